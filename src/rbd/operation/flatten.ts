// Flattening a clone (librbd operation/FlattenRequest.cc): every object of the overlap the
// child lacks is copied up from the parent, then the child leaves the parent.
import { Errno, RadosError } from '../../../protocol/errors.ts';
import { detachParent } from '../clone.ts';
import { Feature } from '../features.ts';
import type { ImageCtx } from '../image-ctx.ts';
import { copyupObject } from '../io/object-request.ts';
import { eachLimited, OBJECT_OPS_IN_FLIGHT } from '../limited-parallel.ts';
import type { ProgressOptions } from '../progress.ts';
import { numObjects } from '../striper.ts';
import { detachFromParent } from './snapshot.ts';

/** Python `flatten`: copies the parent's data into every object of the overlap, then detaches. */
export async function flatten(ctx: ImageCtx, opts: ProgressOptions = {}): Promise<void> {
  await ctx.mutate(opts, { lock: true, changesHeader: true }, async () => {
    if (!ctx.parentSpec) throw new RadosError(`image ${ctx.name} is not a clone`, Errno.EINVAL);
    const total = Math.min(numObjects(ctx.layout, ctx.overlap), numObjects(ctx.layout, ctx.headSize));
    let done = 0;
    await eachLimited(
      Array.from({ length: total }, (_, i) => i),
      OBJECT_OPS_IN_FLIGHT,
      async (objectNo) => {
        await copyupObject(ctx, objectNo, opts);
        opts.onProgress?.(++done, total);
      },
    );
    // Without deep-flatten, snapshots keep using the parent, and the child stays attached
    // until the last of them goes (removing that snapshot detaches it then).
    const snapsKeepParent = !(ctx.features & Feature.DEEP_FLATTEN) && ctx.snaps.some((s) => s.overlap !== undefined);
    if (!snapsKeepParent) await detachFromParent(ctx, opts);
    // cls parent_detach drops the snapshots' links too under deep-flatten, and clone-child when none is left.
    await detachParent(ctx.ioctx, ctx.id, opts);
    await ctx.closeParent();
  });
}
