// Reads, writes and discards over an image's data objects (librbd io/ObjectRequest.cc): each
// object piece goes out on its own; a write after the object map (if any) says the object
// exists; clones read through to their parent and copy up first (image-ops.ts writeExtentCow).
import { Errno, hasErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { discardObject, eachLimited, type ImageState, writeExtentCow } from './image-ops.ts';
import { dataObjectName, fileToExtents, type ObjectExtent } from './striper.ts';

const CONCURRENCY = 16;

/** [offset, offset + len) of the image (the caller clips to its end); holes read as zeros. */
export async function readData(s: ImageState, offset: number, len: number, options?: CallOptions): Promise<Uint8Array> {
  const extents = fileToExtents(s.layout, offset, len);
  if (extents.length === 1) {
    // Within one object: an object that has every byte asked for is returned as the reply's
    // own buffer, without a copy (what makes large aligned reads cheaper).
    const got = await readObject(s, extents[0]!, options);
    if (got?.length === len) return got;
  }
  const out = new Uint8Array(len);
  await eachLimited(extents, CONCURRENCY, async (x) => {
    const got = await readObject(s, x, options);
    if (got) out.set(got, x.bufferOffset); // a short object reads as zeros past its end
    else await s.readParent(offset + x.bufferOffset, x.length, out, x.bufferOffset, options);
  });
  return out;
}

/** One extent's bytes as the OSD returned them; undefined when the object does not exist. */
async function readObject(s: ImageState, x: ObjectExtent, options?: CallOptions): Promise<Uint8Array | undefined> {
  try {
    return await s.data.read(dataObjectName(s.objectPrefix, x.objectNo), x.length, x.offset, options);
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) throw e;
    return undefined;
  }
}

export async function writeData(s: ImageState, offset: number, d: Uint8Array, options?: CallOptions): Promise<void> {
  await eachLimited(fileToExtents(s.layout, offset, d.length), CONCURRENCY, async (x) => {
    if (s.overlap > 0) return writeExtentCow(s, x, d, options);
    await s.objectMap?.beforeWrite(x.objectNo, options);
    await s.data.write(dataObjectName(s.objectPrefix, x.objectNo), d.subarray(x.bufferOffset, x.bufferOffset + x.length), x.offset, options);
  });
}

/**
 * Discards a range: whole objects are removed, an object's tail truncated, anything else
 * zeroed (librbd's discard without the skip-partial option); reads then return zeros. Objects
 * the object map knows do not exist are left alone.
 */
export async function discardData(s: ImageState, offset: number, len: number, options?: CallOptions): Promise<void> {
  if (s.overlap > 0) {
    // In a clone a removed object would read through to the parent again: write zeros instead.
    const zeros = new Uint8Array(len);
    await eachLimited(fileToExtents(s.layout, offset, len), CONCURRENCY, (x) => writeExtentCow(s, x, zeros, options));
    return;
  }
  await eachLimited(fileToExtents(s.layout, offset, len), CONCURRENCY, (x) =>
    discardObject(s, x.objectNo, x.offset === 0 && x.length === s.layout.objectSize ? 'whole' : [x], options),
  );
}
