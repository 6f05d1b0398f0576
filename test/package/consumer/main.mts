// A consumer of the packed `rados-ts`: calls the client API and names each public option and
// result type by import, so a missing export or a declaration that stops type-checking fails
// `tsc` here (test/package/consumer-types.test.ts). Type-checked only, never run.
import {
  Rados,
  RBD,
  Image,
  WriteOp,
  ReadOp,
  Feature,
  callCls,
  Errno,
  RadosError,
  AuthError,
  ConnectionError,
  TimeoutError,
  ProtocolError,
  type RadosConnectOptions,
  type CallOptions,
  type IoCtx,
  type LockOptions,
  type PoolSnap,
  type Bytes,
  type CmpOperator,
  type ObjectStat,
  type OmapCmpOperator,
  type OmapEntries,
  type ListCursor,
  type ListedObject,
  type ListOptions,
  type ObjectListing,
  type NotifyHandler,
  type WatchErrorHandler,
  type WatchHandle,
  type NotifyResult,
  type Watcher,
  type MonCommandResult,
  type PoolCreateOptions,
  type Logger,
  type FrameEvent,
  type FrameHook,
  type ConnectOptions,
  type Transport,
  type TransportFactory,
  type CreateOptions,
  type ImageInfo,
  type OpenOptions,
  type ParentSpec,
  type SnapInfo,
  type ChildInfo,
  type Progress,
  type ReadableOptions,
  type WritableOptions,
  type Layout,
  type ReadStepValue,
  type ClsAccess,
  type ClsMethod,
  type PoolRef,
  type OmapValsOptions,
  type OmapValsResult,
  type OmapKeysOptions,
  type OmapKeysResult,
  type ObjectCreateOptions,
  type SparseReadResult,
  type LockersResult,
  type LockHolder,
  type NotifyOptions,
  type CloneOptions,
  type OpenByIdOptions,
  type ListSnapsOptions,
  type ProgressOptions,
} from 'rados-ts';

export type Named = [
  RadosConnectOptions,
  CallOptions,
  IoCtx,
  LockOptions,
  PoolSnap,
  Bytes,
  CmpOperator,
  ObjectStat,
  OmapCmpOperator,
  OmapEntries,
  ListCursor,
  ListedObject,
  ListOptions,
  ObjectListing,
  NotifyHandler,
  WatchErrorHandler,
  WatchHandle,
  NotifyResult,
  Watcher,
  MonCommandResult,
  PoolCreateOptions,
  Logger,
  FrameEvent,
  FrameHook,
  ConnectOptions,
  Transport,
  TransportFactory,
  CreateOptions,
  ImageInfo,
  OpenOptions,
  ParentSpec,
  SnapInfo,
  ChildInfo,
  Progress,
  ReadableOptions,
  WritableOptions,
  Layout,
  ReadStepValue,
  ClsAccess,
  ClsMethod<unknown, unknown>,
  PoolRef,
  OmapValsOptions,
  OmapValsResult,
  OmapKeysOptions,
  OmapKeysResult,
  ObjectCreateOptions,
  SparseReadResult,
  LockersResult,
  LockHolder,
  NotifyOptions,
  CloneOptions,
  OpenByIdOptions,
  ListSnapsOptions,
  ProgressOptions,
  Image,
  WriteOp,
  ReadOp,
];
export const errors = [Errno.ENOENT, RadosError, AuthError, ConnectionError, TimeoutError, ProtocolError, Feature, callCls] as const;

export async function use(options: RadosConnectOptions, call: CallOptions): Promise<number> {
  const rados = await Rados.connect(options);
  try {
    const io: IoCtx = await rados.openIoCtx('rbd', call);
    await io.writeFull('greeting', 'hello', call);
    const stat: ObjectStat = await io.stat('greeting', call);
    const watch: WatchHandle = await io.watch('greeting', () => undefined);
    await watch.close();
    const progress: Progress = (done, total) => void (done / total);
    await RBD.create(io, 'disk', 1 << 30, { order: 22 });
    const img: Image = await RBD.open(io, 'disk');
    const layout: Layout = img.layoutInfo;
    const children: ChildInfo[] = await img.listChildren();
    await img.resize(2 << 30, { onProgress: progress });
    const stream: ReadableStream<Uint8Array> = img.readable({ chunkSize: layout.objectSize } satisfies ReadableOptions);
    await stream.cancel();
    await img.close();
    return stat.size + children.length;
  } finally {
    await rados.close();
  }
}

// What stays internal: connecting goes through `Rados.connect`, and an IoCtx's context (the
// Objecter, watch/notify, the OSDMap) and logger cannot be reached from it.
export function internals(io: IoCtx): void {
  // @ts-expect-error -- connectWith is not part of the public class
  void Rados.connectWith;
  // @ts-expect-error -- the context is a #private field
  void io.ctx;
  // @ts-expect-error -- the logger is reached through an internal module only
  void io.logger;
}

// `await using` closes each handle at the end of the scope (Symbol.asyncDispose).
export async function scoped(options: RadosConnectOptions): Promise<bigint> {
  await using rados = await Rados.connect(options);
  await using io = await rados.openIoCtx('rbd');
  await using watch = await io.watch('greeting', () => undefined);
  await using img = await RBD.open(io, 'disk');
  return watch.cookie + BigInt(img.layoutInfo.objectSize);
}
