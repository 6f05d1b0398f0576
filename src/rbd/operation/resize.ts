// Resizing an image (librbd operation/ResizeRequest.cc with TrimRequest.cc): a growing object
// map before the header's size, a shrinking one after the data past the new end is removed.
import * as cls from '../../../protocol/cls/cls-rbd.ts';
import { Errno, RadosError } from '../../../protocol/errors.ts';
import type { CallOptions } from '../../abort.ts';
import type { ImageCtx } from '../image-ctx.ts';
import { copyupBeforeTrim, discardObject } from '../io/object-request.ts';
import { eachLimited, OBJECT_OPS_IN_FLIGHT } from '../limited-parallel.ts';
import type { Progress, ProgressOptions } from '../progress.ts';
import { fileToExtents, numObjects, type ObjectExtent, objectToImageRanges } from '../striper.ts';

/** Python `resize`: shrinking removes the data past the new end first, as librbd does. */
export async function resize(ctx: ImageCtx, size: number, opts: ProgressOptions = {}): Promise<void> {
  if (!Number.isSafeInteger(size) || size < 0) throw new RadosError(`resize: the size must be a non-negative integer (got ${size})`, Errno.EINVAL);
  await ctx.mutate(opts, { lock: true, changesHeader: true }, async () => {
    const count = numObjects(ctx.layout, size);
    const map = ctx.objectMap;
    if (map && count > map.size) await map.resize(count, opts);
    await trim(ctx, size, opts.onProgress, opts);
    await setSize(ctx, size, opts);
    if (map && count < map.size) await map.resize(count, opts);
    opts.onProgress?.(1, 1);
  });
}

/** The header's size (cls set_size). */
export async function setSize(ctx: ImageCtx, size: number, options?: CallOptions): Promise<void> {
  await ctx.call(cls.setSize, BigInt(size), options);
}

/**
 * TrimRequest: removes what lies past `newSize` of the head: objects wholly past it are
 * deleted, the boundary objects truncated or zeroed where the removed range sits in them.
 */
export async function trim(ctx: ImageCtx, newSize: number, onProgress?: Progress, options?: CallOptions): Promise<void> {
  if (newSize >= ctx.headSize) return;
  // The removed range's pieces, grouped by object (striping spreads them over several).
  const byObject = new Map<number, ObjectExtent[]>();
  for (const p of fileToExtents(ctx.layout, newSize, ctx.headSize - newSize)) {
    const list = byObject.get(p.objectNo);
    if (list) list.push(p);
    else byObject.set(p.objectNo, [p]);
  }
  let done = 0;
  await eachLimited([...byObject], OBJECT_OPS_IN_FLIGHT, async ([objectNo, pieces]) => {
    await copyupBeforeTrim(ctx, objectNo, options);
    const whole = objectToImageRanges(ctx.layout, objectNo).every((r) => r.imageOffset >= newSize);
    await discardObject(ctx, objectNo, whole ? 'whole' : pieces, options);
    onProgress?.(++done, byObject.size);
  });
}
