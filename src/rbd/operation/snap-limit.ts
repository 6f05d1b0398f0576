// The snapshot limit (`rbd snap limit set|clear`): cls_rbd snapshot_set_limit/get_limit on the
// header; the OSD class refuses a snapshot_add past it (EDQUOT). Setting it is a change under the
// exclusive lock (librbd Operations::snap_set_limit: prepare_image_update, then
// SnapshotLimitRequest); a handle set to a snapshot may set it (librbd checks read_only only).
import * as cls from '../../../protocol/cls/cls-rbd.ts';
import type { CallOptions } from '../../abort.ts';
import type { ImageCtx } from '../image-ctx.ts';

/** What snapshot_get_limit answers when no limit is set, and what removes one. */
export const NO_SNAP_LIMIT = 0xffffffffffffffffn;

export async function getSnapLimit(ctx: ImageCtx, options?: CallOptions): Promise<bigint> {
  await ctx.fresh(options);
  return ctx.call(cls.snapshotGetLimit, undefined, options);
}

export async function setSnapLimit(ctx: ImageCtx, limit: bigint, options?: CallOptions): Promise<void> {
  ctx.checkWritable(true);
  await ctx.mutate(options, { lock: true, permitSnapshot: true }, () => ctx.call(cls.snapshotSetLimit, limit, options));
}
