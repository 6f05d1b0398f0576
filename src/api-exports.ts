// What every runtime entry (index.ts, index.workerd.ts) exports besides its own `Rados`.
export type { RadosConnectOptions } from './rados-options.ts';
export { WriteOp, ReadOp, type ReadStepValue } from './compound-op.ts';
export type { IoCtx, LockOptions, PoolSnap } from './ioctx.ts';
export type { Bytes, CmpOperator, ObjectStat, OmapCmpOperator, OmapEntries } from './osd/op-steps.ts';
export type { ListCursor, ListedObject, ObjectListing } from './osd/list-objects.ts';
export type { NotifyHandler, WatchErrorHandler, WatchHandle } from './osd/watch-notify.ts';
export type { NotifyResult, Watcher } from '../protocol/messages/watch-notify.ts';
export type { MonCommandResult } from './mon/mon-client.ts';
export type { PoolCreateOptions } from './rados-core.ts';
export type { Logger } from './logger.ts';
export type { FrameEvent, FrameHook } from './msgr2/frame-trace.ts';
export type { Transport, TransportFactory } from './transport/transport.ts';
export { RadosError, AuthError, ConnectionError, TimeoutError, ProtocolError, Errno } from '../protocol/errors.ts';
export { RBD, type CreateOptions } from './rbd/rbd.ts';
export { Image, type ImageInfo, type OpenOptions, type ParentSpec, type SnapInfo } from './rbd/image.ts';
export { Feature } from './rbd/features.ts';
