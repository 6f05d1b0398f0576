// cls_rbd's inputs and outputs, as librbd's client side encodes them (src/cls/rbd/
// cls_rbd_client.cc) and the types it uses (src/cls/rbd/cls_rbd_types.cc). Each encoder builds
// the `exec` input of one method; each decoder reads that method's output.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUtime, type UTime } from '../types/utime.ts';

/** CEPH_NOSNAP: "the head" where a method takes a snapshot id. */
export const HEAD = 0xffff_ffff_ffff_fffen;

const w = (): Writer => new Writer(32);

// --- directory and id objects --------------------------------------------------------------

export const encodeDirAddImage = (name: string, id: string): Uint8Array => w().string(name).string(id).finish();
export const encodeDirRemoveImage = (name: string, id: string): Uint8Array => w().string(name).string(id).finish();
export const encodeDirRename = (src: string, dst: string, id: string): Uint8Array => w().string(src).string(dst).string(id).finish();
export const encodeDirList = (startAfter: string, max: number): Uint8Array => w().string(startAfter).u64(max).finish();
/** dir_list: map<name, id>. */
export const decodeDirList = (b: Uint8Array): Map<string, string> => new Reader(b).map('dir_list', (r) => r.string('name'), (r) => r.string('id'), 8);
export const encodeString = (s: string): Uint8Array => w().string(s).finish();
export const decodeString = (b: Uint8Array, what: string): string => new Reader(b).string(what);

// --- header --------------------------------------------------------------------------------

export interface CreateImage {
  size: bigint;
  order: number;
  features: bigint;
  objectPrefix: string;
  /** -1: data objects live in the image's own pool. */
  dataPoolId: bigint;
}

export const encodeCreateImage = (c: CreateImage): Uint8Array => w().u64(c.size).u8(c.order).u64(c.features).string(c.objectPrefix).i64(c.dataPoolId).finish();
export const encodeSnapId = (snapId: bigint): Uint8Array => w().u64(snapId).finish();
/** get_features: le64 snap id (always NOSNAP today), bool read_only. */
export const encodeGetFeatures = (readOnly: boolean): Uint8Array => w().u64(HEAD).bool(readOnly).finish();
export const decodeGetFeatures = (b: Uint8Array): { features: bigint; incompatible: bigint } => {
  const r = new Reader(b);
  return { features: r.u64('features'), incompatible: r.u64('incompatible_features') };
};
/** get_size: u8 order, le64 size. */
export const decodeGetSize = (b: Uint8Array): { order: number; size: bigint } => {
  const r = new Reader(b);
  return { order: r.u8('order'), size: r.u64('size') };
};
export const encodeU64 = (v: bigint): Uint8Array => w().u64(v).finish();
export const encodeU64Pair = (a: bigint, b: bigint): Uint8Array => w().u64(a).u64(b).finish();
export const decodeU64 = (b: Uint8Array, what: string): bigint => new Reader(b).u64(what);
export const decodeI64 = (b: Uint8Array, what: string): bigint => new Reader(b).i64(what);
export const decodeStripe = (b: Uint8Array): { stripeUnit: bigint; stripeCount: bigint } => {
  const r = new Reader(b);
  return { stripeUnit: r.u64('stripe_unit'), stripeCount: r.u64('stripe_count') };
};
/** get_snapcontext: SnapContext { le64 seq, vector<le64> snaps (newest first) }. */
export const decodeSnapContext = (b: Uint8Array): { seq: bigint; snaps: bigint[] } => {
  const r = new Reader(b);
  return { seq: r.u64('snapc.seq'), snaps: r.array('snapc.snaps', (r) => r.u64('snap'), 8) };
};
export const decodeUtimeReply = (b: Uint8Array, what: string): UTime => decodeUtime(new Reader(b), what);

// --- snapshots -----------------------------------------------------------------------------

/** cls::rbd::SnapshotNamespaceType. */
export const SnapNamespaceType = { USER: 0, GROUP: 1, TRASH: 2, MIRROR: 3 } as const;
/** The names `rbd snap ls --format json` prints for them (src/cls/rbd/cls_rbd_types.cc). */
export const SNAP_NAMESPACE_NAMES: Readonly<Record<number, string>> = { 0: 'user', 1: 'group', 2: 'trash', 3: 'mirror' };

export interface SnapshotInfo {
  id: bigint;
  namespaceType: number;
  name: string;
  imageSize: bigint;
  timestamp: UTime;
  childCount: number;
  /** A snapshot in the trash namespace (removed while clones still use it): its name before. */
  trashOriginalName?: string;
  /** …and the namespace it was in then (SnapNamespaceType). */
  trashOriginalNamespaceType?: number;
}

/** snapshot_add: name, le64 snap id, SnapshotNamespace (user: ENCODE_START(1,1) le32 type 0). */
export const encodeSnapshotAdd = (snapId: bigint, name: string): Uint8Array =>
  w()
    .string(name)
    .u64(snapId)
    .struct(1, 1, (w) => w.u32(SnapNamespaceType.USER))
    .finish();

export const encodeSnapshotRename = (snapId: bigint, name: string): Uint8Array => w().u64(snapId).string(name).finish();

/** snapshot_get: SnapshotInfo, ENCODE_START(1,1): le64 id, namespace, name, le64 image_size, utime timestamp, le32 child_count. */
export function decodeSnapshotInfo(b: Uint8Array): SnapshotInfo {
  return new Reader(b).struct('SnapshotInfo', 1, (r) => {
    const id = r.u64('id');
    // TrashSnapshotNamespace (cls_rbd_types.cc): original name, le32 original type. Other
    // namespace types carry a body the struct length lets us skip.
    let trash: { trashOriginalName: string; trashOriginalNamespaceType: number } | undefined;
    const namespaceType = r.struct('SnapshotNamespace', 1, (r) => {
      const type = r.u32('type');
      if (type === SnapNamespaceType.TRASH) trash = { trashOriginalName: r.string('original_name'), trashOriginalNamespaceType: r.u32('original_snapshot_namespace_type') };
      return type;
    });
    const name = r.string('name');
    const imageSize = r.u64('image_size');
    const timestamp = decodeUtime(r, 'timestamp');
    const childCount = r.u32('child_count');
    return { id, namespaceType, name, imageSize, timestamp, childCount, ...trash };
  });
}

/** Protection status (cls::rbd RBD_PROTECTION_STATUS_*). */
export const Protection = { UNPROTECTED: 0, UNPROTECTING: 1, PROTECTED: 2 } as const;
export const encodeSetProtection = (snapId: bigint, status: number): Uint8Array => w().u64(snapId).u8(status).finish();
export const decodeProtection = (b: Uint8Array): number => new Reader(b).u8('protection_status');

// --- image metadata ------------------------------------------------------------------------

export const encodeMetadataSet = (entries: Map<string, Uint8Array>): Uint8Array => {
  const out = w();
  const keys = [...entries.keys()].sort();
  out.u32(keys.length);
  for (const k of keys) out.string(k).blob(entries.get(k)!);
  return out.finish();
};
export const encodeMetadataList = (startAfter: string, max: number): Uint8Array => w().string(startAfter).u64(max).finish();
export const decodeMetadataList = (b: Uint8Array): Map<string, Uint8Array> => new Reader(b).map('metadata', (r) => r.string('key'), (r) => r.blob('value').slice(), 8);
export const decodeMetadataValue = (b: Uint8Array): string => new Reader(b).string('value');

// --- parents (clones) ----------------------------------------------------------------------

export interface ParentImageSpec {
  poolId: number;
  poolNamespace: string;
  imageId: string;
  snapId: bigint;
}

/** parent_get: ParentImageSpec, ENCODE_START(1,1): s64 pool (-1: none), namespace, image id, snap id. */
export const decodeParentSpec = (b: Uint8Array): ParentImageSpec =>
  new Reader(b).struct('ParentImageSpec', 1, (r) => ({ poolId: Number(r.i64('pool_id')), poolNamespace: r.string('pool_namespace'), imageId: r.string('image_id'), snapId: r.u64('snap_id') }));

/** std::optional<uint64_t>: bool present, then the value. */
export const decodeOptionalU64 = (b: Uint8Array): bigint | undefined => {
  const r = new Reader(b);
  return r.bool('present') ? r.u64('value') : undefined;
};

/** ParentImageSpec as parent_attach takes it. */
export const encodeParentSpec = (w: Writer, p: ParentImageSpec): Writer =>
  w.struct(1, 1, (w) => w.i64(BigInt(p.poolId)).string(p.poolNamespace).string(p.imageId).u64(p.snapId));

/** Clone v2 on the child header: parent_attach(ParentImageSpec, le64 overlap, bool reattach). */
export const encodeParentAttach = (p: ParentImageSpec, overlap: bigint): Uint8Array => encodeParentSpec(w(), p).u64(overlap).bool(false).finish();

/** Clone v1 on the child header: set_parent(s64 pool, image id, le64 snap, le64 overlap). */
export const encodeSetParent = (p: ParentImageSpec, overlap: bigint): Uint8Array => w().i64(BigInt(p.poolId)).string(p.imageId).u64(p.snapId).u64(overlap).finish();

/** Clone v1 on rbd_children: add_child / remove_child (s64 pool, parent id, le64 snap, child id); get_children without the child. */
export const encodeChildLink = (p: ParentImageSpec, childId: string): Uint8Array => w().i64(BigInt(p.poolId)).string(p.imageId).u64(p.snapId).string(childId).finish();
export const encodeGetChildren = (p: ParentImageSpec): Uint8Array => w().i64(BigInt(p.poolId)).string(p.imageId).u64(p.snapId).finish();
export const decodeStringSet = (b: Uint8Array, what: string): string[] => new Reader(b).array(what, (r) => r.string('item'), 4);

export interface ChildImageSpec {
  poolId: number;
  poolNamespace: string;
  imageId: string;
}

/** ChildImageSpec, ENCODE_START(2,1): s64 pool, image id, pool namespace (v2). */
const encodeChildSpec = (w: Writer, c: ChildImageSpec): Writer => w.struct(2, 1, (w) => w.i64(BigInt(c.poolId)).string(c.imageId).string(c.poolNamespace));
const decodeChildSpec = (r: Reader): ChildImageSpec =>
  r.struct('ChildImageSpec', 2, (r, v) => {
    const poolId = Number(r.i64('pool_id'));
    const imageId = r.string('image_id');
    const poolNamespace = v >= 2 ? r.string('pool_namespace') : '';
    return { poolId, imageId, poolNamespace };
  });

/** Clone v2 on the parent header: child_attach / child_detach (le64 snap, ChildImageSpec). */
export const encodeChildAttach = (snapId: bigint, c: ChildImageSpec): Uint8Array => encodeChildSpec(w().u64(snapId), c).finish();
export const decodeChildrenList = (b: Uint8Array): ChildImageSpec[] => new Reader(b).array('children', decodeChildSpec, 6);
