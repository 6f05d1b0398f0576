// Reads (librbd io/ImageRequest.cc ImageReadRequest, io/ObjectRequest.cc ObjectReadRequest with
// its read from the parent): a range cut into object extents, each read from its object, and
// in a clone an object that does not exist read through to the parent within the overlap — the
// parent being an image like any other, read the same way (a grandparent in turn). Kept apart
// from writes (object-request.ts), whose copy-ups read the parent through here.
import { Errno, hasErrno, RadosError } from '../../../protocol/errors.ts';
import type { CallOptions } from '../../abort.ts';
import type { ImageCtx } from '../image-ctx.ts';
import { eachLimited, OBJECT_OPS_IN_FLIGHT } from '../limited-parallel.ts';
import { dataObjectName } from '../object-names.ts';
import { fileToExtents, type ObjectExtent } from '../striper.ts';

/** One extent's bytes as the OSD returned them; undefined when the object does not exist. */
export async function readObject(ctx: ImageCtx, x: ObjectExtent, options?: CallOptions): Promise<Uint8Array | undefined> {
  try {
    return await ctx.data.read(dataObjectName(ctx.objectPrefix, x.objectNo), x.length, x.offset, options);
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) throw e;
    return undefined;
  }
}

/** [offset, offset + len), already checked to lie within the image: holes read as zeros, a clone's through its parent. */
export async function readRange(ctx: ImageCtx, offset: number, len: number, options?: CallOptions): Promise<Uint8Array> {
  const extents = fileToExtents(ctx.layout, offset, len);
  if (extents.length === 1) {
    // Within one object: an object that has every byte asked for is returned as the reply's
    // own buffer, without a copy (what makes large aligned reads cheaper).
    const got = await readObject(ctx, extents[0]!, options);
    if (got?.length === len) return got;
  }
  const out = new Uint8Array(len);
  await eachLimited(extents, OBJECT_OPS_IN_FLIGHT, async (x) => {
    const got = await readObject(ctx, x, options);
    if (got)
      out.set(got, x.bufferOffset); // a short object reads as zeros past its end
    else await readFromParent(ctx, offset + x.bufferOffset, x.length, out, x.bufferOffset, options);
  });
  return out;
}

/** A clone's missing object reads through to the parent, within the overlap, into out at `at`. */
export async function readFromParent(ctx: ImageCtx, imageOffset: number, length: number, out: Uint8Array, at: number, options?: CallOptions): Promise<void> {
  const p = ctx.parentSpec;
  if (!p || imageOffset >= p.overlap) return;
  const parent = await ctx.openParent(options);
  parent.checkOpen();
  if (imageOffset > parent.size) throw new RadosError(`read at ${imageOffset} is past the end of image ${parent.name} (${parent.size} bytes)`, Errno.EINVAL);
  const len = Math.min(length, p.overlap - imageOffset, parent.size - imageOffset);
  out.set(await readRange(parent, imageOffset, len, options), at);
}
