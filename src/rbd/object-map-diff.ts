// fast-diff: which objects changed between two versions of an image, from their object maps
// alone (librbd object_map/DiffRequest.cc as diff-iterate runs it). Each version's map is
// folded into a per-object state; objects the end version holds are DATA_UPDATED when they
// changed, HOLE_UPDATED when they went away, else unchanged.
import { ObjectState, RBD_FLAG_FAST_DIFF_INVALID } from '../../protocol/cls/cls-rbd-object-map.ts';
import * as om from '../../protocol/cls/cls-rbd-object-map.ts';
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno } from '../../protocol/errors.ts';
import { CEPH_NOSNAP } from '../../protocol/types/hobject.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import { Feature } from './features.ts';
import type { ImageCtx } from './image-ctx.ts';
import { objectMapName } from './object-names.ts';
import { numObjects } from './striper.ts';

/** object_map::DiffState (src/librbd/object_map/Types.h). */
export const DiffState = { HOLE: 0, DATA: 1, HOLE_UPDATED: 2, DATA_UPDATED: 3 } as const;

/** One version's map, or why it cannot be used ('skip': an intermediate snapshot without one). */
async function loadVersion(ctx: ImageCtx, snapId: bigint, intermediate: boolean, options?: CallOptions): Promise<Uint8Array | 'skip' | undefined> {
  let size: number;
  if (snapId === CEPH_NOSNAP) size = ctx.headSize;
  else {
    const s = ctx.snaps.find((x) => x.id === snapId);
    if (!s) return intermediate ? 'skip' : undefined;
    size = s.size;
  }
  const flags = await callCls(ctx.ioctx, ctx.header, cls.getFlags, snapId, options);
  if (flags & RBD_FLAG_FAST_DIFF_INVALID) return undefined;
  let states: Uint8Array;
  try {
    states = om.decodeObjectMap(await callCls(ctx.ioctx, objectMapName(ctx.id, snapId === CEPH_NOSNAP ? undefined : snapId), om.objectMapLoad, undefined, options));
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT) && intermediate) return 'skip';
    if (hasErrno(e, Errno.ENOENT) || hasErrno(e, Errno.EINVAL)) return undefined;
    throw e;
  }
  const count = numObjects(ctx.layout, size);
  return states.length < count ? undefined : states.subarray(0, count);
}

/**
 * The DiffState of every object of the end version `endId` since `fromId` (0: since creation,
 * where only the end version counts), or undefined when fast-diff cannot answer (no feature, a
 * map flagged invalid or missing): diff-iterate then lists snapshots object by object.
 */
export async function objectMapDiff(ctx: ImageCtx, fromId: bigint, endId: bigint, options?: CallOptions): Promise<Uint8Array | undefined> {
  if (!(ctx.features & Feature.FAST_DIFF)) return undefined;
  const ids: bigint[] = [];
  if (fromId !== 0n) {
    ids.push(fromId);
    for (const s of [...ctx.snaps].sort((a, b) => (a.id < b.id ? -1 : 1))) if (s.id > fromId && s.id < endId) ids.push(s.id);
  }
  ids.push(endId);
  let diff = new Uint8Array(0);
  for (const current of ids) {
    const map = await loadVersion(ctx, current, current !== fromId && current !== endId, options);
    if (map === 'skip') continue;
    if (!map) return undefined;
    const isEnd = current === endId;
    const next = new Uint8Array(map.length);
    const overlap = Math.min(diff.length, map.length);
    for (let o = 0; o < overlap; o++) {
      const st = map[o]!;
      const prev = diff[o]!;
      let d = prev;
      if (prev === DiffState.HOLE) {
        // Starting from a hole, intermediate versions do not matter: only the end's state does.
        if (st !== ObjectState.NONEXISTENT && isEnd) d = DiffState.DATA_UPDATED;
      } else if (prev === DiffState.DATA) {
        if (st === ObjectState.NONEXISTENT) d = DiffState.HOLE_UPDATED;
        else if (st !== ObjectState.EXISTS_CLEAN) d = DiffState.DATA_UPDATED;
      } else if (prev === DiffState.HOLE_UPDATED) {
        if (st !== ObjectState.NONEXISTENT) d = DiffState.DATA_UPDATED;
      } else if (st === ObjectState.NONEXISTENT) d = DiffState.HOLE_UPDATED;
      next[o] = d;
    }
    for (let o = overlap; o < map.length; o++) {
      const st = map[o]!;
      if (st === ObjectState.NONEXISTENT) next[o] = DiffState.HOLE;
      else if (current !== fromId) next[o] = isEnd ? DiffState.DATA_UPDATED : DiffState.HOLE;
      else next[o] = st === ObjectState.PENDING ? DiffState.DATA_UPDATED : DiffState.DATA;
    }
    diff = next;
  }
  return diff;
}
