// Reading an image's header (librbd image/RefreshRequest.cc): size, features, flags, snapshot
// context, object prefix, striping, op features, data pool, each snapshot, and the parent link.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import type { UTime } from '../../protocol/types/utime.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import { ReadOp } from '../../protocol/osd/compound-op.ts';
import type { IoCtx } from '../ioctx.ts';
import { Feature, featureNames, READABLE_FEATURES } from './features.ts';
import type { Layout } from './striper.ts';

/** One snapshot of an image (Python `list_snaps` entries). */
export interface SnapInfo {
  /** The snapshot id. */
  id: bigint;
  /** The snapshot name. */
  name: string;
  /** The image size at the snapshot, in bytes. */
  size: number;
  /** Protected snapshots cannot be removed (clone v1 parents must be). */
  protected: boolean;
  /** When the snapshot was taken. */
  timestamp: Date;
  /** A clone's parent overlap at this snapshot; absent when the snapshot has no parent. */
  overlap?: number;
  /** cls::rbd::SnapshotNamespaceType: 0 user (`rbd snap ls`), 2 trash (see trashOriginalName). */
  namespaceType: number;
  /** Removed by its user while v2 clones still use it: the name it had then. */
  trashOriginalName?: string;
  /** …and its namespace then, as `rbd snap ls --all` names it ('user', 'group', …). */
  trashOriginalNamespace?: string;
}

/** A clone's parent: the snapshot it was cloned from (cls_rbd parent_get / parent_overlap_get). */
export interface ParentSpec {
  /** The parent image's pool id. */
  poolId: number;
  /** The parent image's namespace ('' for none). */
  poolNamespace: string;
  /** The parent image's id. */
  imageId: string;
  /** The parent snapshot's id. */
  snapId: bigint;
  /** Bytes of the clone still read through from the parent. */
  overlap: number;
}

export interface HeaderState {
  order: number;
  headSize: number;
  features: bigint;
  flags: bigint;
  objectPrefix: string;
  layout: Layout;
  opFeatures: bigint;
  snaps: SnapInfo[];
  snapContext: { seq: bigint; snaps: bigint[] };
  /** The data pool's id (data-pool feature), else undefined. */
  dataPoolId: number | undefined;
}

export const toDate = (t: UTime): Date => new Date(t.sec * 1000 + Math.floor(t.nsec / 1e6));

export async function readHeader(io: IoCtx, header: string, name: string, readOnly: boolean, options?: CallOptions): Promise<HeaderState> {
  let out;
  try {
    out = await io.operateReadOp(
      new ReadOp()
        .call(cls.getSize, cls.HEAD)
        .call(cls.getFeatures, readOnly)
        .call(cls.getSnapContext, undefined)
        .call(cls.getObjectPrefix, undefined)
        .call(cls.getFlags, cls.HEAD),
      header,
      options,
    );
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) throw new RadosError(`image ${name} (${header}) has no header`, Errno.ENOENT, { cause: e });
    throw e;
  }
  const [size, feats, snapc, prefix, flags] = out as Uint8Array[];
  const sz = cls.getSize.decode(size!);
  const f = cls.getFeatures.decode(feats!);
  const unknown = f.incompatible & ~READABLE_FEATURES;
  if (unknown !== 0n) throw new RadosError(`image ${name} uses features this client cannot read: ${featureNames(unknown).join(', ') || unknown.toString()}`, Errno.ENOSYS);
  const features = f.features;
  const objectSize = 2 ** sz.order;
  let layout: Layout = { objectSize, stripeUnit: objectSize, stripeCount: 1 };
  if (features & Feature.STRIPINGV2) {
    const s = await callCls(io, header, cls.getStripeUnitCount, undefined, options);
    layout = { objectSize, stripeUnit: Number(s.stripeUnit), stripeCount: Number(s.stripeCount) };
  }
  let dataPoolId: number | undefined;
  if (features & Feature.DATA_POOL) {
    const id = Number(await callCls(io, header, cls.getDataPool, undefined, options));
    if (id >= 0) dataPoolId = id;
  }
  const snapContext = cls.getSnapContext.decode(snapc!);
  return {
    order: sz.order,
    headSize: Number(sz.size),
    features,
    flags: flags ? cls.getFlags.decode(flags) : 0n,
    objectPrefix: cls.getObjectPrefix.decode(prefix!),
    layout,
    opFeatures: features & Feature.OPERATIONS ? await callCls(io, header, cls.opFeaturesGet, undefined, options) : 0n,
    snaps: await readSnaps(io, header, snapContext.snaps, (features & Feature.LAYERING) !== 0n, options),
    snapContext: { seq: snapContext.seq, snaps: snapContext.snaps },
    dataPoolId,
  };
}

/**
 * Every snapshot's info, protection status and parent overlap in one read of the header, as
 * librbd's RefreshRequest::send_v2_get_snapshots sends them (one op, steps per snapshot): a
 * refresh costs one round trip whatever the snapshot count, not three per snapshot (630 for
 * 210 snapshots, and a snapshot create refreshes more than once).
 */
async function readSnaps(io: IoCtx, header: string, snapc: readonly bigint[], layering: boolean, options?: CallOptions): Promise<SnapInfo[]> {
  if (snapc.length === 0) return [];
  // Oldest first, as librbd keeps them (ImageCtx::snap_info is ordered by id) and lists them
  // (`rbd snap ls`, Python list_snaps); the snapshot context has them newest first.
  const ids = [...snapc].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const op = new ReadOp();
  for (const id of ids) {
    op.call(cls.snapshotGet, id).call(cls.getProtectionStatus, id);
    if (layering) op.call(cls.parentOverlapGet, id);
  }
  const out = (await io.operateReadOp(op, header, options)) as Uint8Array[];
  const per = layering ? 3 : 2;
  return ids.map((id, i) => {
    const info = cls.snapshotGet.decode(out[i * per]!);
    const snap: SnapInfo = {
      id,
      name: info.name,
      size: Number(info.imageSize),
      protected: cls.getProtectionStatus.decode(out[i * per + 1]!) === cls.Protection.PROTECTED,
      timestamp: toDate(info.timestamp),
      namespaceType: info.namespaceType,
    };
    if (info.trashOriginalName !== undefined) snap.trashOriginalName = info.trashOriginalName;
    if (info.trashOriginalNamespaceType !== undefined)
      snap.trashOriginalNamespace = cls.SNAP_NAMESPACE_NAMES[info.trashOriginalNamespaceType] ?? String(info.trashOriginalNamespaceType);
    if (layering) {
      const overlap = cls.parentOverlapGet.decode(out[i * per + 2]!);
      if (overlap !== undefined) snap.overlap = Number(overlap);
    }
    return snap;
  });
}

/**
 * The parent link: `link` is the header's parent spec, kept while the head or any snapshot
 * still uses it (a flatten without deep-flatten leaves it to the snapshots); `atSnap` is the
 * link with its overlap as seen at `snapId` (the head: cls.HEAD), undefined when not a clone there.
 */
export async function readParent(io: IoCtx, header: string, snapId: bigint, options?: CallOptions): Promise<{ link?: cls.ParentImageSpec; atSnap?: ParentSpec }> {
  const link = await callCls(io, header, cls.parentGet, undefined, options);
  if (link.poolId < 0) return {};
  const overlap = await callCls(io, header, cls.parentOverlapGet, snapId, options);
  return overlap === undefined ? { link } : { link, atSnap: { ...link, overlap: Number(overlap) } };
}
