// Writes and discards over an image's data objects (librbd io/ObjectRequest.cc): each object
// piece goes out on its own, after the object map (if any) says the object exists; clones
// copy up first (image-ops.ts writeExtentCow).
import { ObjectState } from '../../protocol/cls/cls-rbd-object-map.ts';
import { Errno, hasErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { WriteOp } from '../compound-op.ts';
import { eachLimited, type ImageState, writeExtentCow } from './image-ops.ts';
import { dataObjectName, fileToExtents } from './striper.ts';

const CONCURRENCY = 16;

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
  const objSize = s.layout.objectSize;
  await eachLimited(fileToExtents(s.layout, offset, len), CONCURRENCY, async (x) => {
    const map = s.objectMap;
    if (map && map.state(x.objectNo) === ObjectState.NONEXISTENT) return;
    const oid = dataObjectName(s.objectPrefix, x.objectNo);
    try {
      if (x.offset === 0 && x.length === objSize) {
        await map?.beforeRemove(x.objectNo, options);
        await s.data.remove(oid, options).catch((e: unknown) => {
          if (!hasErrno(e, Errno.ENOENT)) throw e;
        });
        await map?.afterRemove(x.objectNo, options);
      } else if (x.offset + x.length === objSize) await s.data.operateWriteOp(new WriteOp().assertExists().truncate(x.offset), oid, options);
      else await s.data.operateWriteOp(new WriteOp().assertExists().zero(x.offset, x.length), oid, options);
    } catch (e) {
      if (!hasErrno(e, Errno.ENOENT)) throw e;
    }
  });
}
