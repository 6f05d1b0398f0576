// An object's snapshot set as LIST_SNAPS returns it (obj_list_snap_response_t and clone_info,
// src/osd/osd_types.h), and what changed in it between two snapshots (librados'
// calc_snap_set_diff, src/librados/snap_set_diff.cc): the basis of RBD's diff-iterate.
import { Reader } from '../encoding/reader.ts';
import { CEPH_NOSNAP } from '../types/hobject.ts';
import { interval, type IntervalSet, subtract, union } from './interval-set.ts';

/** One clone of an object (or the head, cloneId CEPH_NOSNAP), as LIST_SNAPS reports it. */
export interface ObjectClone {
  /** The clone's snapshot id; CEPH_NOSNAP for the head. */
  cloneId: bigint;
  /** The snapshots this clone stands for, ascending (empty for the head). */
  snaps: bigint[];
  /** Byte ranges [offset, length] this clone shares with the next newer one (or the head). */
  overlap: Array<[number, number]>;
  /** The clone's size in bytes. */
  size: number;
}

/** An object's clones, oldest first, the head last when it exists (`IoCtx.listObjectSnaps`). */
export interface ObjectSnapSet {
  /** The clones, ascending; the head (cloneId CEPH_NOSNAP) last unless the object is deleted at the head. */
  clones: ObjectClone[];
  /** The newest snapshot sequence the object has seen a write under. */
  seq: bigint;
}

/** obj_list_snap_response_t: ENCODE_START(2,1) vector<clone_info> clones, snapid_t seq. */
export function decodeListSnaps(out: Uint8Array): ObjectSnapSet {
  return new Reader(out).struct('obj_list_snap_response_t', 2, (r, v) => {
    const clones = r.array(
      'clones',
      (r) =>
        r.struct('clone_info', 1, (r) => ({
          cloneId: r.u64('cloneid'),
          snaps: r.array('snaps', (r) => r.u64('snap'), 8),
          overlap: r.pairs(
            'overlap',
            (r) => r.u64n('offset'),
            (r) => r.u64n('length'),
            16,
          ),
          size: r.u64n('size'),
        })),
      6,
    );
    return { clones, seq: v >= 2 ? r.u64('seq') : 0n };
  });
}

/** What changed in an object from snapshot `start` to snapshot `end` (calcSnapSetDiff). */
export interface SnapSetDiff {
  /** Byte ranges that may differ. */
  diff: IntervalSet;
  /** The object's size at `end` (0 when it does not exist then). */
  endSize: number;
  /** Whether the object exists at `end`. */
  endExists: boolean;
  /** The newest snapshot the clone holding `end` stands for (0 when it does not exist). */
  cloneEndSnapId: bigint;
  /** A clone with no snapshots was seen: the whole object must be taken as changed. */
  wholeObject: boolean;
}

/**
 * calc_snap_set_diff: walks the clones covering [start, end]; an object missing at `start`
 * changed wholly up to its size, each clone boundary passed adds what the clone does not share
 * with the next (bounded by the sizes, so a truncation above the start size is no change), and an
 * object missing at `end` changed in what it held at `start`.
 */
export function calcSnapSetDiff(set: ObjectSnapSet, start: bigint, end: bigint): SnapSetDiff {
  let diff: IntervalSet = [];
  let startSize = 0;
  let sawStart = false;
  const clones = set.clones;
  let i = 0;
  while (i < clones.length) {
    const c = clones[i]!;
    let a: bigint;
    let b: bigint;
    if (c.cloneId === CEPH_NOSNAP) {
      // The head holds every snapshot after the newest one it was written under.
      a = set.seq + 1n;
      b = CEPH_NOSNAP;
    } else if (c.snaps.length === 0) {
      return { diff: [], endSize: 0, endExists: false, cloneEndSnapId: 0n, wholeObject: true };
    } else {
      a = c.snaps[0]!;
      b = c.snaps[c.snaps.length - 1]!;
    }
    if (b < start) {
      i++;
      continue;
    }
    if (!sawStart) {
      if (start < a) diff = interval(0, c.size);
      else startSize = c.size;
      sawStart = true;
    }
    if (end < a) break;
    if (end <= b) return { diff, endSize: c.size, endExists: true, cloneEndSnapId: b, wholeObject: false };
    const prevSize = c.size;
    i++;
    const next = clones[i];
    if (next) {
      let boundary: number;
      if (next.size >= prevSize) boundary = next.size;
      else if (prevSize <= startSize) boundary = prevSize;
      else {
        // Truncated (partly) above the size at start: that part is no change.
        boundary = Math.max(next.size, startSize);
        diff = subtract(diff, interval(boundary, prevSize - boundary));
      }
      const toNext = subtract(
        interval(0, boundary),
        c.overlap.map(([o, l]) => [o, o + l] as const),
      );
      diff = union(diff, toNext);
    }
  }
  return { diff: interval(0, startSize), endSize: 0, endExists: false, cloneEndSnapId: 0n, wholeObject: false };
}
