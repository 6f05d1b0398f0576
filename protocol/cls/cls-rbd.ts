// cls_rbd's inputs and outputs, as librbd's client side encodes them (src/cls/rbd/
// cls_rbd_client.cc) and the types it uses (src/cls/rbd/cls_rbd_types.cc). Each encoder builds
// the `exec` input of one method and its input decoder reads it back as the class does
// (src/cls/rbd/cls_rbd.cc, whose optional trailing fields take the class's defaults); each
// output decoder reads that method's output.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUtime, type UTime } from '../types/utime.ts';
import { type ClsMethod, clsRead, clsWrite, decodeNoInput, decodeWhole, noInput, rawBytes } from './cls-method.ts';

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

/** dir_add_image / dir_remove_image input: name, id. */
export const decodeDirImageInput = (b: Uint8Array): { name: string; id: string } => decodeWhole(b, 'dir image input', (r) => ({ name: r.string('name'), id: r.string('id') }));
/** dir_rename_image input: src name, dest name, id. */
export const decodeDirRenameInput = (b: Uint8Array): { src: string; dest: string; id: string } =>
  decodeWhole(b, 'dir_rename_image input', (r) => ({ src: r.string('src'), dest: r.string('dest'), id: r.string('id') }));
/** dir_list / metadata_list input: start after, le64 max_return. */
export const decodeListInput = (b: Uint8Array): { startAfter: string; max: number } =>
  decodeWhole(b, 'list input', (r) => ({ startAfter: r.string('start_after'), max: r.u64n('max_return') }));
/** An input that is one string (set_id, dir_get_name, dir_get_id, metadata_get, metadata_remove). */
export const decodeStringInput = (b: Uint8Array): string => decodeWhole(b, 'string input', (r) => r.string('string'));
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
/** create input; data_pool_id is optional to the class (absent: -1, no data pool). */
export const decodeCreateImageInput = (b: Uint8Array): CreateImage =>
  decodeWhole(b, 'create input', (r) => ({
    size: r.u64('size'),
    order: r.u8('order'),
    features: r.u64('features'),
    objectPrefix: r.string('object_prefix'),
    dataPoolId: r.remaining > 0 ? r.i64('data_pool_id') : -1n,
  }));
export const encodeSnapId = (snapId: bigint): Uint8Array => w().u64(snapId).finish();
/** An input that is one le64 snap id (get_size, get_flags, snapshot_get, …). */
export const decodeSnapIdInput = (b: Uint8Array): bigint => decodeWhole(b, 'snap id input', (r) => r.u64('snap_id'));
/** get_features: le64 snap id (always NOSNAP today), bool read_only. */
export const encodeGetFeatures = (readOnly: boolean): Uint8Array => w().u64(HEAD).bool(readOnly).finish();
/** get_features input: the class reads the snap id and ignores it (deprecated); read_only is optional (absent: false). */
export const decodeGetFeaturesInput = (b: Uint8Array): boolean =>
  decodeWhole(b, 'get_features input', (r) => {
    r.u64('snap_id');
    return r.remaining > 0 ? r.bool('read_only') : false;
  });
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
/** An input that is one le64 (set_size). */
export const decodeU64Input = (b: Uint8Array, what: string): bigint => decodeWhole(b, `${what} input`, (r) => r.u64(what));
/** set_stripe_unit_count input: le64 stripe unit, le64 stripe count. */
export const decodeStripeInput = (b: Uint8Array): { stripeUnit: bigint; stripeCount: bigint } =>
  decodeWhole(b, 'set_stripe_unit_count input', (r) => ({ stripeUnit: r.u64('stripe_unit'), stripeCount: r.u64('stripe_count') }));
/** op_features_set input: le64 features, le64 mask. */
export const decodeOpFeaturesSetInput = (b: Uint8Array): { features: bigint; mask: bigint } =>
  decodeWhole(b, 'op_features_set input', (r) => ({ features: r.u64('op_features'), mask: r.u64('mask') }));
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

/**
 * snapshot_add input. The namespace is optional to the class (absent: user); only the user
 * namespace is one our input type holds, so another (group, trash, mirror) is refused here.
 */
export const decodeSnapshotAddInput = (b: Uint8Array): { snapId: bigint; name: string } =>
  decodeWhole(b, 'snapshot_add input', (r) => {
    const name = r.string('name');
    const snapId = r.u64('snap_id');
    if (r.remaining > 0) {
      const at = r.offset;
      const type = r.struct('SnapshotNamespace', 1, (r) => r.u32('type'));
      if (type !== SnapNamespaceType.USER) r.fail('SnapshotNamespace', `namespace type ${type} (${SNAP_NAMESPACE_NAMES[type] ?? 'unknown'}): only user snapshots are decoded`, at);
    }
    return { snapId, name };
  });

export const encodeSnapshotRename = (snapId: bigint, name: string): Uint8Array => w().u64(snapId).string(name).finish();
/** snapshot_rename input: le64 snap id, new name. */
export const decodeSnapshotRenameInput = (b: Uint8Array): { snapId: bigint; name: string } =>
  decodeWhole(b, 'snapshot_rename input', (r) => ({ snapId: r.u64('snap_id'), name: r.string('dst_name') }));

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
/** set_protection_status input: le64 snap id, u8 status. */
export const decodeSetProtectionInput = (b: Uint8Array): { snapId: bigint; status: number } =>
  decodeWhole(b, 'set_protection_status input', (r) => ({ snapId: r.u64('snap_id'), status: r.u8('status') }));

// --- image metadata ------------------------------------------------------------------------

export const encodeMetadataSet = (entries: Map<string, Uint8Array>): Uint8Array => {
  const out = w();
  const keys = [...entries.keys()].sort();
  out.u32(keys.length);
  for (const k of keys) out.string(k).blob(entries.get(k)!);
  return out.finish();
};
/** metadata_set input: map<string, bufferlist> (values copied out of the message). */
export const decodeMetadataSetInput = (b: Uint8Array): Map<string, Uint8Array> =>
  decodeWhole(b, 'metadata_set input', (r) =>
    r.map(
      'metadata',
      (r) => r.string('key'),
      (r) => r.blob('value').slice(),
      8,
    ),
  );
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
const readParentSpec = (r: Reader): ParentImageSpec =>
  r.struct('ParentImageSpec', 1, (r) => ({ poolId: r.i64n('pool_id'), poolNamespace: r.string('pool_namespace'), imageId: r.string('image_id'), snapId: r.u64('snap_id') }));

/** Clone v2 on the child header: parent_attach(ParentImageSpec, le64 overlap, bool reattach). */
export const encodeParentAttach = (p: ParentImageSpec, overlap: bigint, reattach = false): Uint8Array => encodeParentSpec(w(), p).u64(overlap).bool(reattach).finish();
/** parent_attach input; reattach is optional to the class (absent: false) and only present here when true. */
export const decodeParentAttachInput = (b: Uint8Array): { parent: ParentImageSpec; overlap: bigint; reattach?: boolean } =>
  decodeWhole(b, 'parent_attach input', (r) => {
    const parent = readParentSpec(r);
    const overlap = r.u64('parent_overlap');
    const reattach = r.remaining > 0 && r.bool('reattach');
    return reattach ? { parent, overlap, reattach } : { parent, overlap };
  });

/** Clone v1 on the child header: set_parent(s64 pool, image id, le64 snap, le64 overlap). */
export const encodeSetParent = (p: ParentImageSpec, overlap: bigint): Uint8Array => w().i64(BigInt(p.poolId)).string(p.imageId).u64(p.snapId).u64(overlap).finish();

/** Clone v1 on rbd_children: add_child / remove_child (s64 pool, parent id, le64 snap, child id); get_children without the child. */
export const encodeChildLink = (p: ParentImageSpec, childId: string): Uint8Array => w().i64(BigInt(p.poolId)).string(p.imageId).u64(p.snapId).string(childId).finish();
export const encodeGetChildren = (p: ParentImageSpec): Uint8Array => w().i64(BigInt(p.poolId)).string(p.imageId).u64(p.snapId).finish();
/** Clone v1 keys a parent by pool, image id and snap id (no namespace: read back as ""). */
const readV1Parent = (r: Reader): ParentImageSpec => ({ poolId: r.i64n('pool_id'), poolNamespace: '', imageId: r.string('image_id'), snapId: r.u64('snap_id') });
/** add_child / remove_child input. */
export const decodeChildLinkInput = (b: Uint8Array): { parent: ParentImageSpec; childId: string } =>
  decodeWhole(b, 'child link input', (r) => ({ parent: readV1Parent(r), childId: r.string('child_id') }));
/** get_children input. */
export const decodeGetChildrenInput = (b: Uint8Array): ParentImageSpec => decodeWhole(b, 'get_children input', readV1Parent);
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
/** child_attach / child_detach input. */
export const decodeChildAttachInput = (b: Uint8Array): { snapId: bigint; child: ChildImageSpec } =>
  decodeWhole(b, 'child attach input', (r) => ({ snapId: r.u64('snap_id'), child: decodeChildSpec(r) }));
export const decodeChildrenList = (b: Uint8Array): ChildImageSpec[] => new Reader(b).array('children', decodeChildSpec, 6);

// --- methods -------------------------------------------------------------------------------
// One descriptor per cls_rbd method we call, with the access src/cls/rbd/cls_rbd.cc registers
// it with (CLS_METHOD_RD, or CLS_METHOD_RD | CLS_METHOD_WR).

// rbd_directory and rbd_id.<name>
export const getId = clsRead('rbd', 'get_id', noInput, decodeNoInput, (b) => decodeString(b, 'id'));
export const setId = clsWrite('rbd', 'set_id', encodeString, decodeStringInput);
export const dirAddImage = clsWrite('rbd', 'dir_add_image', (i: { name: string; id: string }) => encodeDirAddImage(i.name, i.id), decodeDirImageInput);
export const dirRemoveImage = clsWrite('rbd', 'dir_remove_image', (i: { name: string; id: string }) => encodeDirRemoveImage(i.name, i.id), decodeDirImageInput);
export const dirRenameImage = clsWrite('rbd', 'dir_rename_image', (i: { src: string; dest: string; id: string }) => encodeDirRename(i.src, i.dest, i.id), decodeDirRenameInput);
export const dirList = clsRead('rbd', 'dir_list', (i: { startAfter: string; max: number }) => encodeDirList(i.startAfter, i.max), decodeListInput, decodeDirList);
export const dirGetName = clsRead('rbd', 'dir_get_name', encodeString, decodeStringInput, (b) => decodeString(b, 'name'));
/** The directory's id for a name (librbd api/Trash.cc move looks the image up by it); ENOENT if none. */
export const dirGetId = clsRead('rbd', 'dir_get_id', encodeString, decodeStringInput, (b) => decodeString(b, 'id'));

// rbd_header.<id>: creation, size, features, layout
export const create = clsWrite('rbd', 'create', encodeCreateImage, decodeCreateImageInput);
export const getSize = clsRead('rbd', 'get_size', encodeSnapId, decodeSnapIdInput, decodeGetSize);
export const setSize = clsWrite('rbd', 'set_size', encodeU64, (b) => decodeU64Input(b, 'size'));
export const getFeatures = clsRead('rbd', 'get_features', encodeGetFeatures, decodeGetFeaturesInput, decodeGetFeatures);
export const getSnapContext = clsRead('rbd', 'get_snapcontext', noInput, decodeNoInput, decodeSnapContext);
export const getObjectPrefix = clsRead('rbd', 'get_object_prefix', noInput, decodeNoInput, (b) => decodeString(b, 'object_prefix'));
export const getFlags = clsRead('rbd', 'get_flags', encodeSnapId, decodeSnapIdInput, (b) => decodeU64(b, 'flags'));
/** The snapshot limit (cls_rbd snapshot_get_limit): le64, UINT64_MAX when none is set. */
export const snapshotGetLimit = clsRead('rbd', 'snapshot_get_limit', noInput, decodeNoInput, (b) => decodeU64(b, 'limit'));
/** Sets the snapshot limit (cls_rbd snapshot_set_limit): le64; UINT64_MAX removes it. */
export const snapshotSetLimit = clsWrite('rbd', 'snapshot_set_limit', encodeU64, (b) => decodeU64Input(b, 'limit'));
export const getStripeUnitCount = clsRead('rbd', 'get_stripe_unit_count', noInput, decodeNoInput, decodeStripe);
export const setStripeUnitCount = clsWrite(
  'rbd',
  'set_stripe_unit_count',
  (i: { stripeUnit: bigint; stripeCount: bigint }) => encodeU64Pair(i.stripeUnit, i.stripeCount),
  decodeStripeInput,
);
/** -1: no separate data pool. */
export const getDataPool = clsRead('rbd', 'get_data_pool', noInput, decodeNoInput, (b) => decodeI64(b, 'data_pool_id'));
export const opFeaturesGet = clsRead('rbd', 'op_features_get', noInput, decodeNoInput, (b) => decodeU64(b, 'op_features'));
export const opFeaturesSet = clsWrite('rbd', 'op_features_set', (i: { features: bigint; mask: bigint }) => encodeU64Pair(i.features, i.mask), decodeOpFeaturesSetInput);
export const getCreateTimestamp = clsRead('rbd', 'get_create_timestamp', noInput, decodeNoInput, (b) => decodeUtimeReply(b, 'create_timestamp'));
export const getAccessTimestamp = clsRead('rbd', 'get_access_timestamp', noInput, decodeNoInput, (b) => decodeUtimeReply(b, 'access_timestamp'));
export const getModifyTimestamp = clsRead('rbd', 'get_modify_timestamp', noInput, decodeNoInput, (b) => decodeUtimeReply(b, 'modify_timestamp'));

// snapshots
export const snapshotAdd = clsWrite('rbd', 'snapshot_add', (i: { snapId: bigint; name: string }) => encodeSnapshotAdd(i.snapId, i.name), decodeSnapshotAddInput);
export const snapshotGet = clsRead('rbd', 'snapshot_get', encodeSnapId, decodeSnapIdInput, decodeSnapshotInfo);
export const snapshotRemove = clsWrite('rbd', 'snapshot_remove', encodeSnapId, decodeSnapIdInput);
export const snapshotRename = clsWrite('rbd', 'snapshot_rename', (i: { snapId: bigint; name: string }) => encodeSnapshotRename(i.snapId, i.name), decodeSnapshotRenameInput);
export const snapshotTrashAdd = clsWrite('rbd', 'snapshot_trash_add', encodeSnapId, decodeSnapIdInput);
export const getProtectionStatus = clsRead('rbd', 'get_protection_status', encodeSnapId, decodeSnapIdInput, decodeProtection);
export const setProtectionStatus = clsWrite(
  'rbd',
  'set_protection_status',
  (i: { snapId: bigint; status: number }) => encodeSetProtection(i.snapId, i.status),
  decodeSetProtectionInput,
);

// image metadata
// Annotated where inference would print `Uint8Array<ArrayBufferLike>` (TS >= 5.7 only) in our .d.ts.
export const metadataSet: ClsMethod<Map<string, Uint8Array>, void, 'write'> = clsWrite('rbd', 'metadata_set', encodeMetadataSet, decodeMetadataSetInput);
export const metadataGet = clsRead('rbd', 'metadata_get', encodeString, decodeStringInput, decodeMetadataValue);
export const metadataRemove = clsWrite('rbd', 'metadata_remove', encodeString, decodeStringInput);
export const metadataList: ClsMethod<{ startAfter: string; max: number }, Map<string, Uint8Array>, 'read'> = clsRead(
  'rbd',
  'metadata_list',
  (i: { startAfter: string; max: number }) => encodeMetadataList(i.startAfter, i.max),
  decodeListInput,
  decodeMetadataList,
);

// parents and children (clone v1 on rbd_children, v2 on the headers)
export const parentGet = clsRead('rbd', 'parent_get', noInput, decodeNoInput, decodeParentSpec);
export const parentOverlapGet = clsRead('rbd', 'parent_overlap_get', encodeSnapId, decodeSnapIdInput, decodeOptionalU64);
/** reattach (librbd/api/Migration.cc re-points a migrated image's children): the spec may replace an attached parent. */
export const parentAttach = clsWrite(
  'rbd',
  'parent_attach',
  (i: { parent: ParentImageSpec; overlap: bigint; reattach?: boolean }) => encodeParentAttach(i.parent, i.overlap, i.reattach),
  decodeParentAttachInput,
);
export const parentDetach = clsWrite('rbd', 'parent_detach', noInput, decodeNoInput);
export const addChild = clsWrite('rbd', 'add_child', (i: { parent: ParentImageSpec; childId: string }) => encodeChildLink(i.parent, i.childId), decodeChildLinkInput);
export const removeChild = clsWrite('rbd', 'remove_child', (i: { parent: ParentImageSpec; childId: string }) => encodeChildLink(i.parent, i.childId), decodeChildLinkInput);
export const getChildren = clsRead('rbd', 'get_children', encodeGetChildren, decodeGetChildrenInput, (b) => decodeStringSet(b, 'children'));
export const childAttach = clsWrite('rbd', 'child_attach', (i: { snapId: bigint; child: ChildImageSpec }) => encodeChildAttach(i.snapId, i.child), decodeChildAttachInput);
export const childDetach = clsWrite('rbd', 'child_detach', (i: { snapId: bigint; child: ChildImageSpec }) => encodeChildAttach(i.snapId, i.child), decodeChildAttachInput);
export const childrenList = clsRead('rbd', 'children_list', encodeSnapId, decodeSnapIdInput, decodeChildrenList);

// data objects
/** copyup: the parent's bytes for an object the child does not have yet (written only if still absent). */
export const copyup: ClsMethod<Uint8Array, void, 'write'> = clsWrite('rbd', 'copyup', rawBytes, rawBytes);
