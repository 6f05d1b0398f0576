// Changes to one data object (librbd io/ObjectRequest.cc, io/CopyupRequest.cc): write
// (copy-on-write in a clone), discard, copy-up and rollback of object `objectNo`, keeping the
// object map (when held) ahead of the object as librbd does. Reads are read-request.ts.
import { Errno, hasErrno, skipErrno } from '../../../protocol/errors.ts';
import { copyup } from '../../../protocol/cls/cls-rbd.ts';
import { ObjectState } from '../../../protocol/cls/cls-rbd-object-map.ts';
import type { CallOptions } from '../../abort.ts';
import { callCls } from '../../cls-call.ts';
import { WriteOp } from '../../../protocol/osd/compound-op.ts';
import type { ImageCtx } from '../image-ctx.ts';
import { dataObjectName } from '../object-names.ts';
import { fileToExtents, numObjects, type ObjectExtent, objectToImageRanges } from '../striper.ts';
import { readFromParent } from './read-request.ts';

const oidOf = (ctx: ImageCtx, objectNo: number): string => dataObjectName(ctx.objectPrefix, objectNo);

/** librbd ObjectWriteRequest: `data` is the caller's whole buffer, of which `x` names the piece. */
export async function writeObject(ctx: ImageCtx, x: ObjectExtent, data: Uint8Array, options?: CallOptions): Promise<void> {
  if (ctx.overlap > 0) return writeObjectCow(ctx, x, data, options);
  await ctx.objectMap?.beforeWrite(x.objectNo, options);
  await ctx.data.write(oidOf(ctx, x.objectNo), data.subarray(x.bufferOffset, x.bufferOffset + x.length), x.offset, options);
}

/** The parent's bytes for a whole child object, clipped to the overlap (librbd's copyup data). */
async function parentObjectData(ctx: ImageCtx, objectNo: number, options?: CallOptions): Promise<Uint8Array> {
  const overlap = ctx.overlap;
  const ranges = objectToImageRanges(ctx.layout, objectNo).filter((r) => r.imageOffset < overlap);
  if (ranges.length === 0) return new Uint8Array(0);
  const last = ranges.at(-1)!;
  const out = new Uint8Array(last.objectOffset + Math.min(last.length, overlap - last.imageOffset));
  await Promise.all(ranges.map((r) => readFromParent(ctx, r.imageOffset, Math.min(r.length, overlap - r.imageOffset), out, r.objectOffset, options)));
  return out;
}

/**
 * One object write of a clone: try it guarded by the object's existence; if the object is
 * missing, send the parent's data (`rbd.copyup`, a no-op if the object appeared meanwhile)
 * and the write in one op, so the object never exists without its parent data.
 */
async function writeObjectCow(ctx: ImageCtx, x: ObjectExtent, data: Uint8Array, options?: CallOptions): Promise<void> {
  const oid = oidOf(ctx, x.objectNo);
  const piece = data.subarray(x.bufferOffset, x.bufferOffset + x.length);
  await ctx.objectMap?.beforeWrite(x.objectNo, options);
  try {
    await ctx.data.operateWriteOp(new WriteOp().assertExists().write(piece, x.offset), oid, options);
    return;
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) throw e;
  }
  const parent = await parentObjectData(ctx, x.objectNo, options);
  if (await deepCopyup(ctx, x.objectNo, parent, options)) {
    await ctx.data.write(oid, piece, x.offset, options);
    return;
  }
  const op = new WriteOp();
  if (parent.length > 0) op.call(copyup, parent);
  await ctx.data.operateWriteOp(op.write(piece, x.offset), oid, options);
}

/**
 * librbd CopyupRequest with deep-flatten and snapshots: the snapshots whose overlap reaches the
 * object get it in their object maps (the oldest EXISTS, later ones EXISTS_CLEAN with
 * fast-diff), then the parent data goes out alone with an empty snapshot context, so every
 * snapshot sees it; the caller's write follows with the image's context. False when not needed.
 */
async function deepCopyup(ctx: ImageCtx, objectNo: number, parent: Uint8Array, options?: CallOptions): Promise<boolean> {
  const deep = ctx.deepCopyup();
  if (!deep || !parent.some((b) => b !== 0)) return false;
  const ranges = objectToImageRanges(ctx.layout, objectNo);
  const snaps = deep.snaps.filter((sn) => ranges.some((r) => r.imageOffset < sn.overlap));
  if (snaps.length === 0) return false;
  for (const [i, sn] of snaps.entries()) {
    await ctx.objectMap?.updateSnapshot(sn.id, objectNo, deep.fastDiff && i > 0 ? ObjectState.EXISTS_CLEAN : ObjectState.EXISTS, options);
  }
  await ctx.objectMap?.beforeWrite(objectNo, options);
  await callCls(deep.noSnapc, oidOf(ctx, objectNo), copyup, parent, options);
  return true;
}

/**
 * Flatten's per-object step (librbd FlattenRequest's C_FlattenObject, then CopyupRequest): an
 * object the child's map says exists is skipped; otherwise the parent's data is copied up,
 * unless the parent has none there. Flatten's write is empty, so zeros from the parent are not
 * copied up (CopyupRequest::is_copyup_required): a sparse parent leaves a sparse child.
 */
export async function copyupObject(ctx: ImageCtx, objectNo: number, options?: CallOptions): Promise<void> {
  const state = ctx.objectMap?.state(objectNo);
  if (state === ObjectState.EXISTS || state === ObjectState.EXISTS_CLEAN) return;
  if (!(await parentMayHaveData(ctx, objectNo, options))) return;
  const data = await parentObjectData(ctx, objectNo, options);
  if (!data.some((b) => b !== 0)) return;
  if (await deepCopyup(ctx, objectNo, data, options)) return;
  await ctx.objectMap?.beforeWrite(objectNo, options);
  await ctx.data.operateWriteOp(new WriteOp().call(copyup, data), oidOf(ctx, objectNo), options);
}

/**
 * False when the parent surely holds nothing for child object `objectNo`: the parent's
 * snapshot map says none of its objects under that range exist (librbd's read from the parent
 * skips them the same way, with no OSD op), and the parent is no clone itself there. Saves a
 * flatten of a sparse 1 TiB clone 262,144 parent reads and their 4 MiB buffers.
 */
async function parentMayHaveData(ctx: ImageCtx, objectNo: number, options?: CallOptions): Promise<boolean> {
  const overlap = ctx.overlap;
  const ranges = objectToImageRanges(ctx.layout, objectNo).filter((r) => r.imageOffset < overlap);
  if (ranges.length === 0) return false;
  const parent = await ctx.openParent(options);
  if (parent.parentSpec) return true; // a grandparent may hold it
  const map = await parent.snapshotObjectMap(options);
  if (!map) return true;
  return ranges.some((r) =>
    fileToExtents(parent.layout, r.imageOffset, Math.min(r.length, overlap - r.imageOffset)).some((x) => (map[x.objectNo] ?? ObjectState.EXISTS) !== ObjectState.NONEXISTENT),
  );
}

/**
 * TrimRequest's copy-up step: in a deep-flatten clone with snapshots, what the child does not
 * have yet is copied up before the object is trimmed, so the snapshots keep the parent's data.
 */
export async function copyupBeforeTrim(ctx: ImageCtx, objectNo: number, options?: CallOptions): Promise<void> {
  if (!ctx.deepCopyup() || objectNo >= numObjects(ctx.layout, ctx.overlap)) return;
  if (await objectExists(ctx, objectNo, options)) return;
  await deepCopyup(ctx, objectNo, await parentObjectData(ctx, objectNo, options), options);
}

/**
 * librbd ObjectDiscardRequest for one object: removed ('whole': PENDING → NONEXISTENT in the
 * object map), or each piece truncated (an object's tail) or zeroed, after the map marks the
 * object EXISTS — truncating or zeroing writes it, so after a snapshot its EXISTS_CLEAN turns
 * dirty for fast-diff and du. An object the map says does not exist, or that is missing, is left
 * alone (never created, as librbd leaves it).
 */
export async function discardObject(ctx: ImageCtx, objectNo: number, pieces: ObjectExtent[] | 'whole', options?: CallOptions): Promise<void> {
  const map = ctx.objectMap;
  if (map && map.state(objectNo) === ObjectState.NONEXISTENT) return;
  const oid = oidOf(ctx, objectNo);
  if (pieces === 'whole') {
    await map?.beforeRemove(objectNo, options);
    await ctx.data.remove(oid, options).catch(skipErrno(Errno.ENOENT));
    await map?.afterRemove(objectNo, options);
    return;
  }
  await map?.beforeWrite(objectNo, options);
  for (const p of pieces) {
    const op = p.offset + p.length === ctx.layout.objectSize ? new WriteOp().assertExists().truncate(p.offset) : new WriteOp().assertExists().zero(p.offset, p.length);
    await ctx.data.operateWriteOp(op, oid, options).catch(skipErrno(Errno.ENOENT));
  }
}

async function objectExists(ctx: ImageCtx, objectNo: number, options?: CallOptions): Promise<boolean> {
  try {
    await ctx.data.stat(oidOf(ctx, objectNo), options);
    return true;
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return false;
    throw e;
  }
}

/** SnapshotRollbackRequest's per-object step: the object as it was at the snapshot (self-managed ROLLBACK). */
export async function rollbackObject(ctx: ImageCtx, objectNo: number, snapId: bigint, options?: CallOptions): Promise<void> {
  await ctx.data.rollbackSelfManagedSnap(oidOf(ctx, objectNo), snapId, options).catch(skipErrno(Errno.ENOENT));
}
