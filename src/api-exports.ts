// What every runtime entry (index.ts, index.workerd.ts) exports besides its own `Rados`.
export type { RadosConnectOptions } from './rados-options.ts';
export { WriteOp, ReadOp, type ReadStepValue } from '../protocol/osd/compound-op.ts';
export { callCls } from './cls-call.ts';
export type { ClsAccess, ClsMethod } from '../protocol/cls/cls-method.ts';
export type { CallOptions } from './abort.ts';
export type { IoCtx, LockOptions, PoolSnap } from './ioctx.ts';
export type { LockHolder, LockersResult, ObjectCreateOptions, OmapKeysOptions, OmapValsOptions, PoolRef } from './ioctx-options.ts';
export type { Bytes, CmpOperator, ObjectStat, OmapCmpOperator, OmapEntries, OmapKeysResult, OmapValsResult, SparseReadResult } from '../protocol/osd/op-steps.ts';
export type { ObjectClone, ObjectSnapSet } from '../protocol/osd/snap-set.ts';
export type { ListCursor, ListedObject, ListOptions, ObjectListing } from './osd/list-objects.ts';
export type { NotifyHandler, NotifyOptions, WatchErrorHandler, WatchHandle, WatchStatus } from './osd/watch-notify.ts';
export type { ObjecterOpStatus, ObjecterWait } from './osd/objecter.ts';
export type { NotifyResult, Watcher } from '../protocol/messages/watch-notify.ts';
export type { MonCommandResult } from './mon/mon-client.ts';
export type { InFlightStatus, MgrCommandOptions, PoolCreateOptions } from './rados.ts';
export type { Logger } from './logger.ts';
export type { FrameEvent, FrameHook } from './msgr2/frame-trace.ts';
export type { TraceSink } from './trace/trace-recorder.ts';
export { readTraceFile, TraceFormatError, type TraceContents, type TraceFrame, type TraceHeader } from './trace/trace-file.ts';
export type { ConnectOptions, Transport, TransportFactory } from './transport/transport.ts';
export {
  RadosError,
  AuthError,
  ConnectionError,
  TimeoutError,
  ProtocolError,
  Errno,
  hasErrno,
  skipErrno,
  errnoName,
  PermissionError,
  ObjectNotFound,
  ImageNotFound,
  IOError,
  NoSpace,
  ObjectExists,
  ImageExists,
  ObjectBusy,
  ImageBusy,
  NoData,
  InterruptedOrTimeoutError,
  TimedOut,
  Timeout,
  PermissionDeniedError,
  InProgress,
  IsConnected,
  InvalidArgumentError,
  InvalidArgument,
  NotConnected,
  ConnectionShutdown,
  ReadOnlyImage,
  ImageHasSnapshots,
  FunctionNotSupported,
  ArgumentOutOfRange,
  DiskQuotaExceeded,
  OperationCanceled,
  OperationNotSupported,
} from '../protocol/errors.ts';
export type { RadosErrorOptions } from '../protocol/errors.ts';
export { RBD, type CloneOptions, type CreateOptions, type ImageSpec } from './rbd/rbd.ts';
export {
  Image,
  type ImageWatcher,
  type TrashSnapNamespace,
  type ImageInfo,
  type ListSnapsOptions,
  type OpenByIdOptions,
  type OpenOptions,
  type ParentSpec,
  type SnapInfo,
} from './rbd/image.ts';
export { LockMode, type ImageLocker, type ImageLockers, type LockModeValue, type LockOwner } from './rbd/image-locks.ts';
export { Feature } from './rbd/features.ts';
export type { ChildInfo } from './rbd/clone.ts';
export type { TrashImageInfo, TrashMoveOptions, TrashPurgeOptions, TrashRemoveOptions, TrashSource } from './rbd/trash.ts';
export type { Progress, ProgressOptions } from './rbd/progress.ts';
export type { ReadableOptions, WritableOptions } from './rbd/image-streams.ts';
export type { DiffCallback, DiffExtent, DiffIterateOptions } from './rbd/diff-iterate.ts';
export type { ExportDiffOptions, ImportDiffOptions } from './rbd/export-diff.ts';
export type { Layout } from './rbd/striper.ts';
export type { ConnectionEvent, MonSessionEvent, MonHuntingEvent, OsdSessionResetEvent, WatchReconnectedEvent, WatchLostEvent, RadosEvents } from './connection-events.ts';
export type { Unsubscribe } from './listeners.ts';
export type { ClusterStats } from '../protocol/messages/statfs.ts';
export type { PoolStats } from '../protocol/messages/pool-stats.ts';
