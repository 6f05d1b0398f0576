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
  name: string;
  id: string;
  size: number;
  objects: number;
  order: number;
  object_size: number;
  snapshot_count: number;
  block_name_prefix: string;
  /** Only for images with the data-pool feature. */
  data_pool?: string;
  format: 2;
  features: string[];
  op_features: string[];
  flags: string[];
  stripe_unit?: number;
  stripe_count?: number;
  parent?: { pool: string; pool_namespace: string; image: string; id: string; snapshot: string; trash: boolean; overlap: number };
  create_timestamp: Date;
  access_timestamp: Date;
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
