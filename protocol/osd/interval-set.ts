// A set of byte ranges kept as sorted, disjoint, non-adjacent [start, end) pairs: what Ceph's
// interval_set<uint64_t> (src/include/interval_set.h) is to snap_set_diff and librbd's diff
// code. Small and immutable-by-convention: every operation returns a new set.

/** Sorted, disjoint, non-touching [start, end) ranges (end exclusive). */
export type IntervalSet = ReadonlyArray<readonly [number, number]>;

/** The set of one range (empty when `length` is 0). */
export const interval = (start: number, length: number): IntervalSet => (length > 0 ? [[start, start + length]] : []);

/** Ranges in any order, overlapping or touching, as one normalised set. */
export function normalise(ranges: Iterable<readonly [number, number]>): IntervalSet {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export const union = (a: IntervalSet, b: IntervalSet): IntervalSet => normalise([...a, ...b]);

export function intersection(a: IntervalSet, b: IntervalSet): IntervalSet {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i]!;
    const [bs, be] = b[j]!;
    const s = Math.max(as, bs);
    const e = Math.min(ae, be);
    if (s < e) out.push([s, e]);
    if (ae < be) i++;
    else j++;
  }
  return out;
}

export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  const out: Array<[number, number]> = [];
  for (const [s0, e] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

export const isEmpty = (a: IntervalSet): boolean => a.length === 0;
