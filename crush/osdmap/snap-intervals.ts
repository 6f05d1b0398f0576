// Per-pool snapshot interval sets of the OSDMap (new_removed_snaps, new_purged_snaps,
// removed_snaps_queue: map<int64_t, snap_interval_set_t>, src/osd/OSDMap.h) and the two
// operations OSDMap::apply_incremental does on them (interval_set::union_of, ::subtract,
// src/include/interval_set.h).
import type { Reader } from '../../protocol/encoding/reader.ts';
import type { SnapIntervals } from './osdmap.ts';

/** map<int64, interval_set<snapid_t>>: u32 n, then (le64 pool, u32 m, m × (le64 start, le64 len)). */
export function decodePoolSnapIntervals(r: Reader, field: string): Map<number, SnapIntervals> {
  return r.map(
    field,
    (r) => r.i64n(`${field}.pool`),
    (r) => r.array(`${field}.intervals`, (r) => [r.u64('start'), r.u64('len')] as [bigint, bigint], 16),
    12,
  );
}

/** Sorted, merged [start, end) ranges → [start, length] pairs. */
function normalize(ranges: Array<[bigint, bigint]>): SnapIntervals {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else out.push([s, e]);
  }
  return out.map(([s, e]) => [s, e - s]);
}

const ends = (set: SnapIntervals): Array<[bigint, bigint]> => set.map(([s, len]) => [s, s + len]);

export function unionIntervals(a: SnapIntervals, b: SnapIntervals): SnapIntervals {
  return normalize([...ends(a), ...ends(b)]);
}

/** a minus b (Ceph asserts b ⊆ a; here whatever of b lies outside a is simply ignored). */
export function subtractIntervals(a: SnapIntervals, b: SnapIntervals): SnapIntervals {
  let cur = ends(a);
  for (const [bs, be] of ends(b)) {
    const next: Array<[bigint, bigint]> = [];
    for (const [s, e] of cur) {
      if (be <= s || bs >= e) next.push([s, e]);
      else {
        if (bs > s) next.push([s, bs]);
        if (be < e) next.push([be, e]);
      }
    }
    cur = next;
  }
  return normalize(cur);
}
