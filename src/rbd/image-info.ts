// `rbd info --format json` for an open image (tools/rbd/action/Info.cc names the fields), and
// the directory lookup that turns an image id back into its name.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { Feature, featureNames, OP_FEATURE_NAMES } from './features.ts';
import { DIRECTORY } from './object-names.ts';
import { type Layout, numObjects } from './striper.ts';

/** What `rbd info --format json` shows, with its field names. */
export interface ImageInfo {
  /** The image's name in its pool (namespace). */
  name: string;
  /** The image id: the hex suffix of its header object `rbd_header.<id>`. */
  id: string;
  /** Size in bytes (rbd_image_info_t.size, Python `stat()['size']`). */
  size: number;
  /** How many data objects the size spans (rbd_image_info_t.num_objs). */
  objects: number;
  /** log2 of the object size in bytes (rbd_image_info_t.order; 22 = 4 MiB). */
  order: number;
  /** Object size in bytes, 2^order (rbd_image_info_t.obj_size). */
  object_size: number;
  /** How many snapshots the image has. */
  snapshot_count: number;
  /** Name prefix of the data objects, e.g. `rbd_data.<id>` (rbd_image_info_t.block_name_prefix). */
  block_name_prefix: string;
  /** Only for images with the data-pool feature. */
  data_pool?: string;
  /** Image format; only v2 images are supported. */
  format: 2;
  /** Feature names set on the image, in bit order (`layering`, `exclusive-lock`, …). */
  features: string[];
  /** Operation-feature names (`clone-parent`, `clone-child`, `snap-trash`, …). */
  op_features: string[];
  /** Image flag names as `rbd info` prints them (`object map invalid`, …); this client reports none. */
  flags: string[];
  /** Stripe unit in bytes; only for images with the striping feature. */
  stripe_unit?: number;
  /** Objects a stripe spans; only for images with the striping feature. */
  stripe_count?: number;
  /** The parent snapshot a clone reads through; only for clones. */
  parent?: {
    /** The parent's pool name. */
    pool: string;
    /** The parent's RADOS namespace ('' for the default). */
    pool_namespace: string;
    /** The parent image's name. */
    image: string;
    /** The parent image's id. */
    id: string;
    /** The parent snapshot's name. */
    snapshot: string;
    /** Whether the parent image is in the trash. */
    trash: boolean;
    /** Bytes of the clone still backed by the parent (the overlap). */
    overlap: number;
  };
  /** When the image was created. */
  create_timestamp: Date;
  /** When the image was last read, as recorded in its header (updated lazily). */
  access_timestamp: Date;
  /** When the image was last written, as recorded in its header (updated lazily). */
  modify_timestamp: Date;
}

export interface InfoFacts {
  name: string;
  id: string;
  size: number;
  order: number;
  layout: Layout;
  snapshotCount: number;
  objectPrefix: string;
  features: bigint;
  opFeatures: bigint;
  /** create, access, modify */
  timestamps: [Date, Date, Date];
  parent?: NonNullable<ImageInfo['parent']>;
  dataPool?: string;
}

export function formatInfo(f: InfoFacts): ImageInfo {
  const info: ImageInfo = {
    name: f.name,
    id: f.id,
    size: f.size,
    objects: numObjects(f.layout, f.size),
    order: f.order,
    object_size: f.layout.objectSize,
    snapshot_count: f.snapshotCount,
    block_name_prefix: f.objectPrefix,
    format: 2,
    features: featureNames(f.features),
    op_features: featureNames(f.opFeatures, OP_FEATURE_NAMES),
    flags: [],
    create_timestamp: f.timestamps[0],
    access_timestamp: f.timestamps[1],
    modify_timestamp: f.timestamps[2],
  };
  // rbd info prints the stripe settings only for striping-v2 images, and the parent of clones.
  if (f.features & Feature.STRIPINGV2) {
    info.stripe_unit = f.layout.stripeUnit;
    info.stripe_count = f.layout.stripeCount;
  }
  if (f.dataPool !== undefined) info.data_pool = f.dataPool;
  if (f.parent) info.parent = f.parent;
  return info;
}

/** An image's name from its id (dir_get_name); '' when the directory no longer has it. */
export async function imageNameById(io: IoCtx, id: string, options?: CallOptions): Promise<string> {
  try {
    return await callCls(io, DIRECTORY, cls.dirGetName, id, options);
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return '';
    throw e;
  }
}
