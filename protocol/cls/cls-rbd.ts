// cls_rbd's inputs and outputs, as librbd's client side encodes them (src/cls/rbd/
// cls_rbd_client.cc) and the types it uses (src/cls/rbd/cls_rbd_types.cc). Each encoder builds
// the `exec` input of one method; each decoder reads that method's output.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUtime, type UTime } from '../types/utime.ts';
import { type ClsMethod, clsRead, clsWrite, noInput, rawBytes } from './cls-method.ts';

/** CEPH_NOSNAP: "the head" where a method takes a snapshot id. */
export const HEAD = 0xffff_ffff_ffff_fffen;

const w = (): Writer => new Writer(32);

// --- directory and id objects --------------------------------------------------------------

export const encodeDirAddImage = (name: string, id: string): Uint8Array => w().string(name).string(id).finish();
export const encodeDirRemoveImage = (name: string, id: string): Uint8Array => w().string(name).string(id).finish();
export const encodeDirRename = (src: string, dst: string, id: string): Uint8Array => w().string(src).string(dst).string(id).finish();
export const encodeDirList = (startAfter: string, max: number): Uint8Array => w().string(startAfter).u64(max).finish();
/** dir_list: map<name, id>. */
export const decodeDirList = (b: Uint8Array): Map<string, string> =>
  new Reader(b).map(
    'dir_list',
    (r) => r.string('name'),
    (r) => r.string('id'),
    8,
  );
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
export const decodeMetadataList = (b: Uint8Array): Map<string, Uint8Array> =>
  new Reader(b).map(
    'metadata',
    (r) => r.string('key'),
    (r) => r.blob('value').slice(),
    8,
  );
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
  new Reader(b).struct('ParentImageSpec', 1, (r) => ({
    poolId: Number(r.i64('pool_id')),
    poolNamespace: r.string('pool_namespace'),
    imageId: r.string('image_id'),
    snapId: r.u64('snap_id'),
  }));

/** std::optional<uint64_t>: bool present, then the value. */
export const decodeOptionalU64 = (b: Uint8Array): bigint | undefined => {
  const r = new Reader(b);
  return r.bool('present') ? r.u64('value') : undefined;
};

/** ParentImageSpec as parent_attach takes it. */
export const encodeParentSpec = (w: Writer, p: ParentImageSpec): Writer => w.struct(1, 1, (w) => w.i64(BigInt(p.poolId)).string(p.poolNamespace).string(p.imageId).u64(p.snapId));

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

// --- methods -------------------------------------------------------------------------------
// One descriptor per cls_rbd method we call, with the access src/cls/rbd/cls_rbd.cc registers
// it with (CLS_METHOD_RD, or CLS_METHOD_RD | CLS_METHOD_WR).

// rbd_directory and rbd_id.<name>
export const getId = clsRead('rbd', 'get_id', noInput, (b) => decodeString(b, 'id'));
export const setId = clsWrite('rbd', 'set_id', encodeString);
export const dirAddImage = clsWrite('rbd', 'dir_add_image', (i: { name: string; id: string }) => encodeDirAddImage(i.name, i.id));
export const dirRemoveImage = clsWrite('rbd', 'dir_remove_image', (i: { name: string; id: string }) => encodeDirRemoveImage(i.name, i.id));
export const dirRenameImage = clsWrite('rbd', 'dir_rename_image', (i: { src: string; dest: string; id: string }) => encodeDirRename(i.src, i.dest, i.id));
export const dirList = clsRead('rbd', 'dir_list', (i: { startAfter: string; max: number }) => encodeDirList(i.startAfter, i.max), decodeDirList);
export const dirGetName = clsRead('rbd', 'dir_get_name', encodeString, (b) => decodeString(b, 'name'));

// rbd_header.<id>: creation, size, features, layout
export const create = clsWrite('rbd', 'create', encodeCreateImage);
export const getSize = clsRead('rbd', 'get_size', encodeSnapId, decodeGetSize);
export const setSize = clsWrite('rbd', 'set_size', encodeU64);
export const getFeatures = clsRead('rbd', 'get_features', encodeGetFeatures, decodeGetFeatures);
export const getSnapContext = clsRead('rbd', 'get_snapcontext', noInput, decodeSnapContext);
export const getObjectPrefix = clsRead('rbd', 'get_object_prefix', noInput, (b) => decodeString(b, 'object_prefix'));
export const getFlags = clsRead('rbd', 'get_flags', encodeSnapId, (b) => decodeU64(b, 'flags'));
export const getStripeUnitCount = clsRead('rbd', 'get_stripe_unit_count', noInput, decodeStripe);
export const setStripeUnitCount = clsWrite('rbd', 'set_stripe_unit_count', (i: { stripeUnit: bigint; stripeCount: bigint }) => encodeU64Pair(i.stripeUnit, i.stripeCount));
/** -1: no separate data pool. */
export const getDataPool = clsRead('rbd', 'get_data_pool', noInput, (b) => decodeI64(b, 'data_pool_id'));
export const opFeaturesGet = clsRead('rbd', 'op_features_get', noInput, (b) => decodeU64(b, 'op_features'));
export const opFeaturesSet = clsWrite('rbd', 'op_features_set', (i: { features: bigint; mask: bigint }) => encodeU64Pair(i.features, i.mask));
export const getCreateTimestamp = clsRead('rbd', 'get_create_timestamp', noInput, (b) => decodeUtimeReply(b, 'create_timestamp'));
export const getAccessTimestamp = clsRead('rbd', 'get_access_timestamp', noInput, (b) => decodeUtimeReply(b, 'access_timestamp'));
export const getModifyTimestamp = clsRead('rbd', 'get_modify_timestamp', noInput, (b) => decodeUtimeReply(b, 'modify_timestamp'));

// snapshots
export const snapshotAdd = clsWrite('rbd', 'snapshot_add', (i: { snapId: bigint; name: string }) => encodeSnapshotAdd(i.snapId, i.name));
export const snapshotGet = clsRead('rbd', 'snapshot_get', encodeSnapId, decodeSnapshotInfo);
export const snapshotRemove = clsWrite('rbd', 'snapshot_remove', encodeSnapId);
export const snapshotRename = clsWrite('rbd', 'snapshot_rename', (i: { snapId: bigint; name: string }) => encodeSnapshotRename(i.snapId, i.name));
export const snapshotTrashAdd = clsWrite('rbd', 'snapshot_trash_add', encodeSnapId);
export const getProtectionStatus = clsRead('rbd', 'get_protection_status', encodeSnapId, decodeProtection);
export const setProtectionStatus = clsWrite('rbd', 'set_protection_status', (i: { snapId: bigint; status: number }) => encodeSetProtection(i.snapId, i.status));

// image metadata
// Annotated where inference would print `Uint8Array<ArrayBufferLike>` (TS >= 5.7 only) in our .d.ts.
export const metadataSet: ClsMethod<Map<string, Uint8Array>, void, 'write'> = clsWrite('rbd', 'metadata_set', encodeMetadataSet);
export const metadataGet = clsRead('rbd', 'metadata_get', encodeString, decodeMetadataValue);
export const metadataRemove = clsWrite('rbd', 'metadata_remove', encodeString);
export const metadataList: ClsMethod<{ startAfter: string; max: number }, Map<string, Uint8Array>, 'read'> = clsRead(
  'rbd',
  'metadata_list',
  (i: { startAfter: string; max: number }) => encodeMetadataList(i.startAfter, i.max),
  decodeMetadataList,
);

// parents and children (clone v1 on rbd_children, v2 on the headers)
export const parentGet = clsRead('rbd', 'parent_get', noInput, decodeParentSpec);
export const parentOverlapGet = clsRead('rbd', 'parent_overlap_get', encodeSnapId, decodeOptionalU64);
export const parentAttach = clsWrite('rbd', 'parent_attach', (i: { parent: ParentImageSpec; overlap: bigint }) => encodeParentAttach(i.parent, i.overlap));
export const parentDetach = clsWrite('rbd', 'parent_detach', noInput);
export const addChild = clsWrite('rbd', 'add_child', (i: { parent: ParentImageSpec; childId: string }) => encodeChildLink(i.parent, i.childId));
export const removeChild = clsWrite('rbd', 'remove_child', (i: { parent: ParentImageSpec; childId: string }) => encodeChildLink(i.parent, i.childId));
export const getChildren = clsRead('rbd', 'get_children', encodeGetChildren, (b) => decodeStringSet(b, 'children'));
export const childAttach = clsWrite('rbd', 'child_attach', (i: { snapId: bigint; child: ChildImageSpec }) => encodeChildAttach(i.snapId, i.child));
export const childDetach = clsWrite('rbd', 'child_detach', (i: { snapId: bigint; child: ChildImageSpec }) => encodeChildAttach(i.snapId, i.child));
export const childrenList = clsRead('rbd', 'children_list', encodeSnapId, decodeChildrenList);

// data objects
/** copyup: the parent's bytes for an object the child does not have yet (written only if still absent). */
export const copyup: ClsMethod<Uint8Array, void, 'write'> = clsWrite('rbd', 'copyup', rawBytes);
