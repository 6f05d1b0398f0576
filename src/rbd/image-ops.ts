// Whole-image data operations (librbd io/CopyupRequest, operation/FlattenRequest, ResizeRequest +
// TrimRequest, SnapshotRollbackRequest): copy-on-write into clones, flatten, resize, rollback.
import { Errno, hasErrno, skipErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import { WriteOp } from '../compound-op.ts';
import { copyup } from '../../protocol/cls/cls-rbd.ts';
import type { IoCtx } from '../ioctx.ts';
import { ObjectState } from '../../protocol/cls/cls-rbd-object-map.ts';
import type { ObjectMap } from './object-map.ts';
import { dataObjectName, fileToExtents, type Layout, numObjects, type ObjectExtent } from './striper.ts';

/** What these operations need from an open image. */
export interface ImageState {
  name: string;
  data: IoCtx;
  layout: Layout;
  objectPrefix: string;
  headSize: number;
  /** Parent overlap in bytes (0: not a clone). */
  overlap: number;
  /** Reads [offset, offset + length) of the parent into out at `at` (zeros past the overlap). */
  readParent: (offset: number, length: number, out: Uint8Array, at: number, options?: CallOptions) => Promise<void>;
  /** The object map while we hold the exclusive lock (object-map feature). */
  objectMap?: ObjectMap | undefined;
  /** deep-flatten in a clone with snapshots: copy-ups must reach the snapshots too. */
  deep?: DeepCopyup | undefined;
}

export interface DeepCopyup {
  /** The image's snapshots, oldest first, with their parent overlaps. */
  snaps: Array<{ id: bigint; overlap: number }>;
  /** The data IoCtx with an empty snapshot context (a copy-up written "before" every snapshot). */
  noSnapc: IoCtx;
  fastDiff: boolean;
}

/** Progress callback of long image operations (flatten, resize, rollback): units done of total. */
export type Progress = (done: number, total: number) => void;

export async function eachLimited<T>(items: T[], limit: number, f: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await f(items[i]!, i);
      }
    }),
  );
}

/** The image ranges an object covers (Striper::extent_to_file for the whole object), in object order. */
function objectImageRanges(l: Layout, objectNo: number): Array<{ imageOffset: number; objectOffset: number; length: number }> {
  const perObject = l.objectSize / l.stripeUnit;
  const setNo = Math.floor(objectNo / l.stripeCount);
  const pos = objectNo % l.stripeCount;
  return Array.from({ length: perObject }, (_, b) => ({
    imageOffset: ((setNo * perObject + b) * l.stripeCount + pos) * l.stripeUnit,
    objectOffset: b * l.stripeUnit,
    length: l.stripeUnit,
  }));
}

/** The parent's bytes for a whole child object, clipped to the overlap (librbd's copyup data). */
async function parentObjectData(s: ImageState, objectNo: number, options?: CallOptions): Promise<Uint8Array> {
  const ranges = objectImageRanges(s.layout, objectNo).filter((r) => r.imageOffset < s.overlap);
  if (ranges.length === 0) return new Uint8Array(0);
  const last = ranges.at(-1)!;
  const out = new Uint8Array(last.objectOffset + Math.min(last.length, s.overlap - last.imageOffset));
  await Promise.all(ranges.map((r) => s.readParent(r.imageOffset, Math.min(r.length, s.overlap - r.imageOffset), out, r.objectOffset, options)));
  return out;
}

/**
 * One object write of a clone: try it guarded by the object's existence; if the object is
 * missing, send the parent's data (`rbd.copyup`, a no-op if the object appeared meanwhile)
 * and the write in one op, so the object never exists without its parent data.
 */
export async function writeExtentCow(s: ImageState, x: ObjectExtent, data: Uint8Array, options?: CallOptions): Promise<void> {
  const oid = dataObjectName(s.objectPrefix, x.objectNo);
  const piece = data.subarray(x.bufferOffset, x.bufferOffset + x.length);
  await s.objectMap?.beforeWrite(x.objectNo, options);
  try {
    await s.data.operateWriteOp(new WriteOp().assertExists().write(piece, x.offset), oid, options);
    return;
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) throw e;
  }
  const parent = await parentObjectData(s, x.objectNo, options);
  if (await deepCopyup(s, x.objectNo, parent, options)) {
    await s.data.write(oid, piece, x.offset, options);
    return;
  }
  const op = new WriteOp();
  if (parent.length > 0) op.call(copyup, parent);
  await s.data.operateWriteOp(op.write(piece, x.offset), oid, options);
}

/**
 * librbd CopyupRequest with deep-flatten and snapshots: the snapshots whose overlap reaches the
 * object get it in their object maps (the oldest EXISTS, later ones EXISTS_CLEAN with
 * fast-diff), then the parent data goes out alone with an empty snapshot context, so every
 * snapshot sees it; the caller's write follows with the image's context. False when not needed.
 */
async function deepCopyup(s: ImageState, objectNo: number, parent: Uint8Array, options?: CallOptions): Promise<boolean> {
  if (!s.deep || !parent.some((b) => b !== 0)) return false;
  const ranges = objectImageRanges(s.layout, objectNo);
  const snaps = s.deep.snaps.filter((sn) => ranges.some((r) => r.imageOffset < sn.overlap));
  if (snaps.length === 0) return false;
  for (const [i, sn] of snaps.entries()) {
    await s.objectMap?.updateSnapshot(sn.id, objectNo, s.deep.fastDiff && i > 0 ? ObjectState.EXISTS_CLEAN : ObjectState.EXISTS, options);
  }
  await s.objectMap?.beforeWrite(objectNo, options);
  await callCls(s.deep.noSnapc, dataObjectName(s.objectPrefix, objectNo), copyup, parent, options);
  return true;
}

/** Copies up every object of the overlap that the child does not have yet (flatten's data part). */
export async function copyupAll(s: ImageState, onProgress?: Progress, options?: CallOptions): Promise<void> {
  const total = Math.min(numObjects(s.layout, s.overlap), numObjects(s.layout, s.headSize));
  const objects = Array.from({ length: total }, (_, i) => i);
  let done = 0;
  await eachLimited(objects, 16, async (objectNo) => {
    const data = await parentObjectData(s, objectNo, options);
    if (await deepCopyup(s, objectNo, data, options)) {
      onProgress?.(++done, total);
      return;
    }
    if (data.length > 0) await s.objectMap?.beforeWrite(objectNo, options);
    if (data.length > 0) await s.data.operateWriteOp(new WriteOp().call(copyup, data), dataObjectName(s.objectPrefix, objectNo), options);
    onProgress?.(++done, total);
  });
}

/**
 * Removes what lies past `newSize` (librbd TrimRequest): objects wholly past it are deleted,
 * the boundary objects truncated or zeroed where the removed range sits in them.
 */
export async function trim(s: ImageState, newSize: number, onProgress?: Progress, options?: CallOptions): Promise<void> {
  if (newSize >= s.headSize) return;
  // The removed range's pieces, grouped by object (striping spreads them over several).
  const byObject = new Map<number, ObjectExtent[]>();
  for (const p of fileToExtents(s.layout, newSize, s.headSize - newSize)) {
    const list = byObject.get(p.objectNo);
    if (list) list.push(p);
    else byObject.set(p.objectNo, [p]);
  }
  let done = 0;
  await eachLimited([...byObject], 16, async ([objectNo, pieces]) => {
    const oid = dataObjectName(s.objectPrefix, objectNo);
    // librbd TrimRequest (copyup objects): in a deep-flatten clone with snapshots, what the
    // child does not have yet is copied up first, so the snapshots keep the parent's data.
    if (s.deep && objectNo < numObjects(s.layout, s.overlap) && !(await objectExists(s.data, oid, options))) {
      await deepCopyup(s, objectNo, await parentObjectData(s, objectNo, options), options);
    }
    const whole = objectImageRanges(s.layout, objectNo).every((r) => r.imageOffset >= newSize);
    await discardObject(s, objectNo, whole ? 'whole' : pieces, options);
    onProgress?.(++done, byObject.size);
  });
}

/**
 * librbd ObjectDiscardRequest for one object: removed ('whole': PENDING → NONEXISTENT in the
 * object map), or each piece truncated (an object's tail) or zeroed, after the map marks the
 * object EXISTS — truncating or zeroing writes it, so after a snapshot its EXISTS_CLEAN turns
 * dirty for fast-diff and du. An object the map says does not exist, or that is missing, is left
 * alone (never created, as librbd leaves it).
 */
export async function discardObject(s: ImageState, objectNo: number, pieces: ObjectExtent[] | 'whole', options?: CallOptions): Promise<void> {
  const map = s.objectMap;
  if (map && map.state(objectNo) === ObjectState.NONEXISTENT) return;
  const oid = dataObjectName(s.objectPrefix, objectNo);
  if (pieces === 'whole') {
    await map?.beforeRemove(objectNo, options);
    await s.data.remove(oid, options).catch(skipErrno(Errno.ENOENT));
    await map?.afterRemove(objectNo, options);
    return;
  }
  await map?.beforeWrite(objectNo, options);
  for (const p of pieces) {
    const op = p.offset + p.length === s.layout.objectSize ? new WriteOp().assertExists().truncate(p.offset) : new WriteOp().assertExists().zero(p.offset, p.length);
    await s.data.operateWriteOp(op, oid, options).catch(skipErrno(Errno.ENOENT));
  }
}

async function objectExists(io: IoCtx, oid: string, options?: CallOptions): Promise<boolean> {
  try {
    await io.stat(oid, options);
    return true;
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return false;
    throw e;
  }
}

/** Rolls every object back to a snapshot (self-managed ROLLBACK), after resizing to its size. */
export async function rollbackObjects(s: ImageState, snapId: bigint, objectCount: number, onProgress?: Progress, options?: CallOptions): Promise<void> {
  const objects = Array.from({ length: objectCount }, (_, i) => i);
  let done = 0;
  await eachLimited(objects, 16, async (objectNo) => {
    await s.data.rollbackSelfManagedSnap(dataObjectName(s.objectPrefix, objectNo), snapId, options).catch(skipErrno(Errno.ENOENT));
    onProgress?.(++done, objectCount);
  });
}
