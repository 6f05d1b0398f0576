// diff-iterate (librbd api/DiffIterate.cc): the extents of an image that changed since a
// snapshot (or since creation), in image order, each as data or as zeros (a discard, a shrink).
// Exact mode asks each object's snapshot set (LIST_SNAPS) what changed between the two
// versions (io/ObjectRequest.cc ObjectListSnapsRequest, librados' calc_snap_set_diff), reading
// through to the parent for a clone's missing objects when diffing from creation; whole-object
// mode with fast-diff answers from the object maps (object-map-diff.ts) without an object op.
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import { intersection, interval, type IntervalSet, isEmpty, normalise, subtract, union } from '../../protocol/osd/interval-set.ts';
import { calcSnapSetDiff, type ObjectSnapSet } from '../../protocol/osd/snap-set.ts';
import { CEPH_NOSNAP } from '../../protocol/types/hobject.ts';
import { abortReason, type CallOptions } from '../abort.ts';
import type { ImageCtx } from './image-ctx.ts';
import { OBJECT_OPS_IN_FLIGHT } from './limited-parallel.ts';
import { DiffState, objectMapDiff } from './object-map-diff.ts';
import { dataObjectName } from './object-names.ts';
import { fileToExtents, type Layout, objectToImageRanges } from './striper.ts';

/** One changed extent (`Image.diffIterate`): `exists` false means it now reads as zeros. */
export interface DiffExtent {
  /** Image offset, in bytes. */
  offset: number;
  /** Length, in bytes. */
  length: number;
  /** Whether the extent holds data at the end version (false: a hole, zeros). */
  exists: boolean;
}

/** `Image.diffIterate` options (Python `diff_iterate`'s keywords). */
export interface DiffIterateOptions extends CallOptions {
  /** Report a clone's parent data too when diffing from creation (default true). */
  includeParent?: boolean;
  /** Report whole objects rather than byte extents; with fast-diff the object maps answer (default false). */
  wholeObject?: boolean;
}

/** Called per changed extent, in image order; a rejection or throw stops the iteration and is rethrown. */
export type DiffCallback = (offset: number, length: number, exists: boolean) => void | Promise<void>;

type State = 'data' | 'zero';
interface Piece {
  start: number;
  end: number;
  state: State;
}

interface ListFlags {
  wholeObject: boolean;
  /** A clone's missing object is read through to the parent (from creation, include_parent). */
  fromParent: boolean;
  /** Zeroed extents are not reported (the listing of a parent). */
  ignoreZeroed: boolean;
}

/** Image ranges an object interval stands for (Striper::extent_to_file). */
function objectToImage(l: Layout, objectNo: number, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const r of objectToImageRanges(l, objectNo)) {
    const s = Math.max(start, r.objectOffset);
    const e = Math.min(end, r.objectOffset + r.length);
    if (s < e) out.push([r.imageOffset + s - r.objectOffset, e - s]);
  }
  return out;
}

/** Objects and their object-relative intervals for image extents (area_to_object_extents). */
function imageToObjects(l: Layout, extents: ReadonlyArray<readonly [number, number]>): Map<number, IntervalSet> {
  const out = new Map<number, IntervalSet>();
  for (const [off, len] of extents) {
    for (const x of fileToExtents(l, off, len)) out.set(x.objectNo, union(out.get(x.objectNo) ?? [], interval(x.offset, x.length)));
  }
  return out;
}

async function listSnapsOf(ctx: ImageCtx, objectNo: number, options?: CallOptions): Promise<ObjectSnapSet | undefined> {
  try {
    return await ctx.data.listObjectSnaps(dataObjectName(ctx.objectPrefix, objectNo), options);
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return undefined;
    throw e;
  }
}

/**
 * ObjectListSnapsRequest with snap ids {from, end}: the object's changed pieces in object
 * coordinates. Extents librbd marks "does not exist" or "zeroed before the start" are left out,
 * as diff-iterate ignores them.
 */
async function objectDelta(ctx: ImageCtx, objectNo: number, objectInterval: IntervalSet, fromId: bigint, endId: bigint, flags: ListFlags, options?: CallOptions): Promise<Piece[]> {
  const set = await listSnapsOf(ctx, objectNo, options);
  if (!set) return listFromParent(ctx, objectNo, objectInterval, fromId, flags, options);
  const objectSize = ctx.layout.objectSize;
  const out: Piece[] = [];
  let start = 0n;
  let prevEndSize = 0;
  for (const endSnap of [fromId, endId]) {
    if (start === endSnap) continue;
    const d = calcSnapSetDiff(set, start, endSnap);
    let diff = d.diff;
    const exists = d.endExists;
    let endSize = d.endSize;
    if (d.wholeObject) {
      diff = interval(0, objectSize);
      endSize = objectSize;
    } else if (flags.wholeObject && !isEmpty(diff)) diff = interval(0, objectSize);
    let diffInterval = intersection(objectInterval, diff);
    let zero: IntervalSet = [];
    if (endSize < prevEndSize) {
      // Truncated: what lay past the new end reads as zeros.
      zero = intersection(interval(endSize, prevEndSize - endSize), objectInterval);
      diffInterval = subtract(diffInterval, zero);
    }
    prevEndSize = endSize;
    start = endSnap;
    // The versions up to the start are walked only for the object's size there.
    if (endSnap <= fromId) continue;
    if (exists && flags.wholeObject && !isEmpty(zero)) {
      // Whole-object mode: an object that still exists is reported whole as data, its
      // truncated tail too (what librbd 18 and 20 report).
      diffInterval = union(diffInterval, zero);
      zero = [];
    }
    if (exists) for (const [s, e] of diffInterval) out.push({ start: s, end: e, state: 'data' });
    else zero = union(zero, diffInterval);
    if (!flags.ignoreZeroed) for (const [s, e] of zero) out.push({ start: s, end: e, state: 'zero' });
  }
  if (out.length === 0) return listFromParent(ctx, objectNo, objectInterval, fromId, flags, options);
  return out;
}

/** A clone's object with nothing of its own: the parent's data under it, within the overlap. */
async function listFromParent(ctx: ImageCtx, objectNo: number, objectInterval: IntervalSet, fromId: bigint, flags: ListFlags, options?: CallOptions): Promise<Piece[]> {
  if (fromId > 0n || !ctx.parentSpec || !flags.fromParent) return [];
  const overlap = ctx.overlap;
  const parentExtents: Array<[number, number]> = [];
  for (const [s, e] of objectInterval) {
    for (const [off, len] of objectToImage(ctx.layout, objectNo, s, e)) {
      const l = Math.min(len, overlap - off);
      if (l > 0) parentExtents.push([off, l]);
    }
  }
  if (parentExtents.length === 0) return [];
  const parent = await ctx.openParent(options);
  const got = await imageDelta(parent, parentExtents, 0n, parent.readSnap?.id ?? CEPH_NOSNAP, { ...flags, ignoreZeroed: true }, options);
  const out: Piece[] = [];
  for (const p of got) {
    for (const x of fileToExtents(ctx.layout, p.start, p.end - p.start)) {
      if (x.objectNo === objectNo) out.push({ start: x.offset, end: x.offset + x.length, state: p.state });
    }
  }
  return out;
}

/** ImageListSnapsRequest: the changed pieces of image extents, in image coordinates. */
async function imageDelta(
  ctx: ImageCtx,
  extents: ReadonlyArray<readonly [number, number]>,
  fromId: bigint,
  endId: bigint,
  flags: ListFlags,
  options?: CallOptions,
): Promise<Piece[]> {
  const objects = [...imageToObjects(ctx.layout, extents)];
  const deltas = await Promise.all(objects.map(([objectNo, iv]) => objectDelta(ctx, objectNo, iv, fromId, endId, flags, options)));
  const out: Piece[] = [];
  deltas.forEach((pieces, i) => {
    const objectNo = objects[i]![0];
    for (const p of pieces) for (const [off, len] of objectToImage(ctx.layout, objectNo, p.start, p.end)) out.push({ start: off, end: off + len, state: p.state });
  });
  return out;
}

/**
 * librbd's SparseExtents as DiffIterate aggregates a stripe period: later pieces replace what
 * they cover, the result is sorted and touching pieces of the same state merged.
 */
function aggregate(pieces: Piece[]): DiffExtent[] {
  let kept: Piece[] = [];
  for (const p of pieces) {
    const next: Piece[] = [];
    for (const k of kept) for (const [s, e] of subtract([[k.start, k.end]], [[p.start, p.end]])) next.push({ start: s, end: e, state: k.state });
    next.push(p);
    kept = next;
  }
  kept.sort((a, b) => a.start - b.start);
  const out: DiffExtent[] = [];
  for (const k of kept) {
    const last = out.at(-1);
    const exists = k.state === 'data';
    if (last && last.exists === exists && last.offset + last.length === k.start) last.length += k.end - k.start;
    else out.push({ offset: k.start, length: k.end - k.start, exists });
  }
  return out;
}

/** The parent's data extents over [0, overlap), as one set (DiffIterate's parent_diff for fast-diff). */
async function parentData(ctx: ImageCtx, options?: CallOptions): Promise<IntervalSet> {
  if (!ctx.parentSpec || ctx.overlap === 0) return [];
  const parent = await ctx.openParent(options);
  const len = Math.min(ctx.overlap, parent.size);
  const ranges: Array<[number, number]> = [];
  for await (const x of diffRange(parent, 0, len, 0n, { includeParent: true, wholeObject: true, ...(options?.signal ? { signal: options.signal } : {}) })) {
    if (x.exists) ranges.push([x.offset, x.offset + x.length]);
  }
  return normalise(ranges);
}

/** DiffIterate::execute over [offset, offset + length) of the version `ctx` reads, since `fromId`. */
async function* diffRange(ctx: ImageCtx, offset: number, length: number, fromId: bigint, opts: DiffIterateOptions): AsyncGenerator<DiffExtent> {
  const endId = ctx.readSnap?.id ?? CEPH_NOSNAP;
  if (fromId === endId) return;
  if (fromId > endId) throw new RadosError(`diff: the start snapshot is not older than the end version of image ${ctx.name}`, Errno.EINVAL);
  const includeParent = opts.includeParent ?? true;
  const wholeObject = opts.wholeObject ?? false;
  const l = ctx.layout;
  const period = l.objectSize * l.stripeCount;
  const periods: Array<[number, number]> = [];
  for (let off = offset, left = length; left > 0;) {
    const len = Math.min(off - (off % period) + period - off, left);
    periods.push([off, len]);
    off += len;
    left -= len;
  }
  const fast = wholeObject ? await objectMapDiff(ctx, fromId, endId, opts) : undefined;
  if (fast) {
    const parent = includeParent && fromId === 0n ? await parentData(ctx, opts) : [];
    for (const [off, len] of periods) {
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      const pieces: Piece[] = [];
      for (const x of fileToExtents(l, off, len)) {
        const state = fast[x.objectNo] ?? DiffState.HOLE;
        const at = off + x.bufferOffset;
        if (state === DiffState.HOLE && fromId === 0n && parent.length > 0) {
          for (const [s, e] of intersection(interval(at, x.length), parent)) pieces.push({ start: s, end: e, state: 'data' });
        } else if (state === DiffState.HOLE_UPDATED || state === DiffState.DATA_UPDATED) {
          pieces.push({ start: at, end: at + x.length, state: state === DiffState.DATA_UPDATED ? 'data' : 'zero' });
        }
      }
      yield* aggregate(pieces);
    }
    return;
  }
  const flags: ListFlags = { wholeObject, fromParent: includeParent && fromId === 0n, ignoreZeroed: false };
  // Periods are listed a bounded number at a time, reported in order (librbd's OrderedThrottle).
  const ahead: Array<Promise<DiffExtent[]>> = [];
  let next = 0;
  const fill = (): void => {
    while (ahead.length < OBJECT_OPS_IN_FLIGHT && next < periods.length) {
      const [off, len] = periods[next++]!;
      const p = imageDelta(ctx, [[off, len]], fromId, endId, flags, opts).then(aggregate);
      // The consumer gets the error when it reaches this period; until then (or if it stops first) say so.
      p.catch((e: unknown) => ctx.log.debug(`rbd ${ctx.name}: diff of ${off}~${len} failed: ${(e as Error).message}`));
      ahead.push(p);
    }
  };
  fill();
  while (ahead.length > 0) {
    const extents = await ahead.shift()!;
    fill();
    yield* extents;
  }
}

/**
 * librbd diff_iterate: refresh, clip [offset, offset + length) to the image (EINVAL from at or
 * past its end; an empty range is always valid), find the start snapshot (ENOENT), and list.
 */
export async function* diffExtents(
  ctx: ImageCtx,
  offset: number,
  length: number,
  fromSnapshot: string | null | undefined,
  opts: DiffIterateOptions = {},
): AsyncGenerator<DiffExtent> {
  await ctx.fresh(opts);
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RadosError('diff_iterate: offset and length must be non-negative integers', Errno.EINVAL);
  }
  if (length === 0) return;
  if (offset >= ctx.size) throw new RadosError(`diff_iterate at ${offset} is at or past the end of image ${ctx.name} (${ctx.size} bytes)`, Errno.EINVAL);
  const len = Math.min(length, ctx.size - offset);
  const fromId = fromSnapshot === null || fromSnapshot === undefined ? 0n : ctx.userSnap(fromSnapshot).id;
  yield* diffRange(ctx, offset, len, fromId, opts);
}

/** Python `diff_iterate`: `callback(offset, length, exists)` per changed extent, in order. */
export async function diffIterate(
  ctx: ImageCtx,
  offset: number,
  length: number,
  fromSnapshot: string | null | undefined,
  callback: DiffCallback,
  opts: DiffIterateOptions = {},
): Promise<void> {
  for await (const x of diffExtents(ctx, offset, length, fromSnapshot, opts)) await callback(x.offset, x.length, x.exists);
}
