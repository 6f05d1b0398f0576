// Rolling an image back to a snapshot (librbd operation/SnapshotRollbackRequest.cc): the head
// resized to the snapshot's size, every object rolled back, the head's object map replaced by
// the snapshot's.
import type { ImageCtx } from '../image-ctx.ts';
import { rollbackObject } from '../io/object-request.ts';
import { eachLimited, OBJECT_OPS_IN_FLIGHT } from '../limited-parallel.ts';
import type { ProgressOptions } from '../progress.ts';
import { numObjects } from '../striper.ts';
import { setSize, trim } from './resize.ts';

/** Python `rollback_to_snap`: the image's size and every object as they were at the snapshot. */
export async function rollbackToSnapshot(ctx: ImageCtx, name: string, opts: ProgressOptions = {}): Promise<void> {
  // ENOENT for a missing snapshot before anything about the lock, as librbd's snap_rollback.
  await ctx.fresh(opts);
  ctx.userSnap(name);
  // Only tries the lock (librbd Operations::snap_rollback: prepare_image_update without
  // request_lock): EROFS while another live client holds it, which is not asked to release it.
  await ctx.mutate(opts, { lock: true, tryLock: true, changesHeader: true }, async () => {
    const s = ctx.userSnap(name);
    const count = Math.max(numObjects(ctx.layout, ctx.headSize), numObjects(ctx.layout, s.size));
    if (s.size !== ctx.headSize) {
      await trim(ctx, s.size, undefined, opts);
      await setSize(ctx, s.size, opts);
    }
    let done = 0;
    await eachLimited(
      Array.from({ length: count }, (_, i) => i),
      OBJECT_OPS_IN_FLIGHT,
      async (objectNo) => {
        await rollbackObject(ctx, objectNo, s.id, opts);
        opts.onProgress?.(++done, count);
      },
    );
    await ctx.objectMap?.rollback(s.id, opts);
  });
}
