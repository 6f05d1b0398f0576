import { Errno, RadosError } from '../../protocol/errors.ts';
// RBD image features (src/include/rbd/features.h) and what this client does with each.
/** RBD image feature bits (`features` of `RBD.create` and `ImageInfo`). */
export const Feature = {
  /** Clones: the image may have children (RBD_FEATURE_LAYERING). */
  LAYERING: 1n,
  /** Custom stripe unit and count (`striping` in `rbd info`). */
  STRIPINGV2: 2n,
  /** Writes need the image's exclusive lock, held by one client at a time. */
  EXCLUSIVE_LOCK: 4n,
  /** An object map records which data objects exist (needs exclusive-lock). */
  OBJECT_MAP: 8n,
  /** The object map also tracks which objects changed since each snapshot (needs object-map). */
  FAST_DIFF: 16n,
  /** Snapshots of a clone can be flattened too, detaching it fully from its parent. */
  DEEP_FLATTEN: 32n,
  /** Writes go through a journal first (for rbd-mirror; needs exclusive-lock). */
  JOURNALING: 64n,
  /** Data objects live in a separate pool (e.g. an erasure-coded one). */
  DATA_POOL: 128n,
  /** The header lists operation features (op_features) that clients must understand. */
  OPERATIONS: 256n,
  /** The image is being live-migrated (`rbd migration`). */
  MIGRATING: 512n,
  /** The image is a non-primary snapshot-mirroring copy (read-only). */
  NON_PRIMARY: 1024n,
} as const;

/** Names as `rbd info` prints them, in bit order. */
export const FEATURE_NAMES: ReadonlyArray<[bigint, string]> = [
  [Feature.LAYERING, 'layering'],
  [Feature.STRIPINGV2, 'striping'],
  [Feature.EXCLUSIVE_LOCK, 'exclusive-lock'],
  [Feature.OBJECT_MAP, 'object-map'],
  [Feature.FAST_DIFF, 'fast-diff'],
  [Feature.DEEP_FLATTEN, 'deep-flatten'],
  [Feature.JOURNALING, 'journaling'],
  [Feature.DATA_POOL, 'data-pool'],
  [Feature.OPERATIONS, 'operations'],
  [Feature.MIGRATING, 'migrating'],
  [Feature.NON_PRIMARY, 'non-primary'],
];

/** RBD_OPERATION_FEATURE_* (include/rbd/features.h): the header's op_features, under the operations feature. */
export const OpFeature = {
  /** Some v2 clone has this image's snapshot as its parent. */
  CLONE_PARENT: 1n,
  /** This image is a v2 clone (attached to its parent's snapshot, not listed in rbd_children). */
  CLONE_CHILD: 2n,
  GROUP: 4n,
  /** Some snapshot is in the trash namespace. */
  SNAP_TRASH: 8n,
} as const;

/** Op-feature names as `rbd info` prints them, in bit order. */
export const OP_FEATURE_NAMES: ReadonlyArray<[bigint, string]> = [
  [OpFeature.CLONE_PARENT, 'clone-parent'],
  [OpFeature.CLONE_CHILD, 'clone-child'],
  [OpFeature.GROUP, 'group'],
  [OpFeature.SNAP_TRASH, 'snap-trash'],
];

/**
 * RBD_OPERATION_FEATURES_ALL as librbd 16 knows them (the four above and non-primary, 16): an
 * image with any other op feature has its operations disabled there (EROFS), removal included.
 */
export const LIBRBD_OP_FEATURES = 0x1fn;

/** Op features whose on-disk state we keep as librbd does: with only these, the operations feature does not make an image read-only. */
export const WRITABLE_OP_FEATURES = OpFeature.CLONE_PARENT | OpFeature.CLONE_CHILD | OpFeature.SNAP_TRASH;

export const featureNames = (bits: bigint, table: ReadonlyArray<[bigint, string]> = FEATURE_NAMES): string[] => table.filter(([b]) => (bits & b) !== 0n).map(([, n]) => n);

/** Features whose on-disk state we keep exactly as librbd does (so we may write such images). */
export const WRITABLE_FEATURES = Feature.LAYERING | Feature.STRIPINGV2 | Feature.DATA_POOL | Feature.EXCLUSIVE_LOCK | Feature.OBJECT_MAP | Feature.FAST_DIFF | Feature.DEEP_FLATTEN;
/** rbd_default_features in Ceph 16.2: layering, exclusive-lock, object-map, fast-diff, deep-flatten. */
export const DEFAULT_FEATURES = Feature.LAYERING | Feature.EXCLUSIVE_LOCK | Feature.OBJECT_MAP | Feature.FAST_DIFF | Feature.DEEP_FLATTEN;
/** Features we can read through. */
export const READABLE_FEATURES = WRITABLE_FEATURES | Feature.OPERATIONS;

/** Names of `bits`, comma-separated in name order (librbd's rbd_features_to_string walks its name map); EINVAL for a bit without a name. */
export function featuresToString(bits: bigint): string {
  const known = FEATURE_NAMES.reduce((a, [b]) => a | b, 0n);
  if ((bits & ~known) !== 0n) throw new RadosError(`unknown features 0x${(bits & ~known).toString(16)}`, Errno.EINVAL);
  return featureNames(bits).sort().join(',');
}

/**
 * The bits of comma-separated feature names (librbd's rbd_features_from_string): blanks around
 * a name are ignored, an empty name or an unknown one is EINVAL, and the empty string means the
 * default features (rbd_default_features).
 */
export function featuresFromString(names: string): bigint {
  if (names === '') return DEFAULT_FEATURES;
  let bits = 0n;
  for (const n of names.split(',').map((x) => x.trim())) {
    const f = FEATURE_NAMES.find(([, name]) => name === n);
    if (!f) throw new RadosError(`unknown feature '${n}'`, Errno.EINVAL);
    bits |= f[0];
  }
  return bits;
}
