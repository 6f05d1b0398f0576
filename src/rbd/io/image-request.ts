// Requests on a range of the image (librbd io/ImageRequest.cc): the range is cut by the striper
// into object extents, each sent as its own object request (object-request.ts), a bounded
// number at a time. Writes and discards run under the image's mutate() (fresh header,
// exclusive lock, writability); reads go straight out (read-request.ts).
import { Errno, RadosError } from '../../../protocol/errors.ts';
import type { CallOptions } from '../../abort.ts';
import type { ImageCtx } from '../image-ctx.ts';
import { eachLimited, OBJECT_OPS_IN_FLIGHT } from '../limited-parallel.ts';
import { fileToExtents } from '../striper.ts';
import { discardObject, writeObject } from './object-request.ts';
import { readRange } from './read-request.ts';

function checkRange(offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RadosError(`${what}: offset and length must be non-negative integers`, Errno.EINVAL);
  }
}

/** ImageReadRequest: [offset, offset + length), clipped to the image's end (EINVAL starting at or past it); holes read as zeros, a clone's through its parent. */
export async function readImage(ctx: ImageCtx, offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
  await ctx.fresh(options);
  checkRange(offset, length, 'read');
  // librbd's clip_io (librbd/internal.cc): an empty read is always valid; otherwise one that
  // starts at or past the end is EINVAL, and one that runs past it is clipped to it.
  if (length === 0) return new Uint8Array(0);
  if (offset >= ctx.size) throw new RadosError(`read at ${offset} is at or past the end of image ${ctx.name} (${ctx.size} bytes)`, Errno.EINVAL);
  return readRange(ctx, offset, Math.min(length, ctx.size - offset), options);
}

/** ImageWriteRequest: every byte of `data` at `offset`; EINVAL past the image's end. */
export async function writeImage(ctx: ImageCtx, data: Uint8Array, offset: number, options?: CallOptions): Promise<number> {
  ctx.checkWritable();
  checkRange(offset, data.length, 'write');
  return ctx.mutate(options, { lock: true }, async () => {
    if (offset + data.length > ctx.size)
      throw new RadosError(`write of ${data.length} bytes at ${offset} runs past the end of image ${ctx.name} (${ctx.size} bytes)`, Errno.EINVAL);
    await eachLimited(fileToExtents(ctx.layout, offset, data.length), OBJECT_OPS_IN_FLIGHT, (x) => writeObject(ctx, x, data, options));
    return data.length;
  });
}

/**
 * ImageDiscardRequest: whole objects are removed, an object's tail truncated, anything else
 * zeroed (librbd's discard without the skip-partial option); reads then return zeros. Objects
 * the object map knows do not exist are left alone; in a clone zeros are written instead (a
 * removed object would read through to the parent again).
 */
export async function discardImage(ctx: ImageCtx, offset: number, length: number, options?: CallOptions): Promise<void> {
  ctx.checkWritable();
  checkRange(offset, length, 'discard');
  await ctx.mutate(options, { lock: true }, async () => {
    if (offset >= ctx.size) return;
    const len = Math.min(length, ctx.size - offset);
    const extents = fileToExtents(ctx.layout, offset, len);
    if (ctx.overlap > 0) {
      const zeros = new Uint8Array(len);
      await eachLimited(extents, OBJECT_OPS_IN_FLIGHT, (x) => writeObject(ctx, x, zeros, options));
      return;
    }
    await eachLimited(extents, OBJECT_OPS_IN_FLIGHT, (x) => discardObject(ctx, x.objectNo, x.offset === 0 && x.length === ctx.layout.objectSize ? 'whole' : [x], options));
  });
}
