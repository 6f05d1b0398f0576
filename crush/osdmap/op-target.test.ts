import { describe, expect, it } from 'vitest';
import type { PgPool } from './pg-pool.ts';
import { needsResend, type OpTarget, pgIsMergeSource, pgIsMergeTarget, pgIsSplit, primaryChanged } from './op-target.ts';

const t = (osd: number, acting: number[], more: Partial<OpTarget> = {}): OpTarget => ({
  osd,
  pool: 1,
  seed: 0,
  rawHash: 0,
  shard: -1,
  acting,
  pgNum: 16,
  lastForceResend: 0,
  ...more,
});
const pool = (lastForceOpResend: number): PgPool => ({ lastForceOpResend }) as PgPool;

describe('when an op goes out again on a new map (Objecter::_calc_target)', () => {
  it('primary_changed_broken: a new primary, or the same one at another position', () => {
    expect(primaryChanged(1, [1, 2], 2, [2, 1])).toBe(true); // pg-upmap-primary swapped them
    expect(primaryChanged(1, [1, 2], 1, [2, 1])).toBe(true); // same primary, other position
    expect(primaryChanged(1, [1, 2], 1, [1, 3])).toBe(false); // only a replica changed
    expect(primaryChanged(-1, [], -1, [])).toBe(false);
    expect(primaryChanged(-1, [], 1, [1])).toBe(true);
  });

  it('resends on a primary change, a new PG or shard, no target, or a forced resend newer than the op', () => {
    expect(needsResend(t(1, [1, 2]), t(2, [2, 1]), pool(0), 10)).toBe(true);
    expect(needsResend(t(1, [1, 2]), t(1, [1, 3]), pool(0), 10)).toBe(false);
    expect(needsResend(t(1, [1, 2]), t(1, [1, 2], { seed: 3 }), pool(0), 10)).toBe(true);
    expect(needsResend(t(1, [1, 2], { shard: 0 }), t(1, [1, 2], { shard: 1 }), pool(0), 10)).toBe(true);
    expect(needsResend(undefined, t(1, [1]), pool(0), 10)).toBe(true);
    expect(needsResend(t(1, [1]), undefined, pool(0), 10)).toBe(true);
    expect(needsResend(t(1, [1], { lastForceResend: 5 }), t(1, [1]), pool(9), 9)).toBe(true);
    expect(needsResend(t(1, [1], { lastForceResend: 9 }), t(1, [1]), pool(9), 10)).toBe(false);
  });

  it('pg_t::is_split / is_merge_source / is_merge_target: which PGs a pg_num change touches', () => {
    const seeds = (n: number, f: (seed: number) => boolean): number[] => Array.from({ length: n }, (_, i) => i).filter(f);
    // Doubling splits every PG (child = seed + old pg_num).
    expect(seeds(16, (s) => pgIsSplit(s, 16, 32))).toEqual(seeds(16, () => true));
    // 12 → 16: the new PGs 12..15 come from 4..7 (ceph_stable_mod with the mask 15, then 7).
    expect(seeds(12, (s) => pgIsSplit(s, 12, 16))).toEqual([4, 5, 6, 7]);
    expect(seeds(16, (s) => pgIsSplit(s, 16, 16))).toEqual([]);
    // Shrinking 16 → 12: 12..15 merge into 4..7.
    expect(seeds(16, (s) => pgIsMergeSource(s, 16, 12))).toEqual([12, 13, 14, 15]);
    expect(seeds(16, (s) => pgIsMergeTarget(s, 16, 12))).toEqual([4, 5, 6, 7]);
    expect(seeds(32, (s) => pgIsMergeTarget(s, 32, 16))).toEqual(seeds(16, () => true));
  });

  it("resends an op whose PG split or merged, even when its PG and primary stay (Objecter's split_or_merge)", () => {
    // The object stays in PG 5 (its hash's low bits), 5 splits into 5 and 13: resend.
    expect(needsResend(t(1, [1, 2], { seed: 5, pgNum: 12 }), t(1, [1, 2], { seed: 5, pgNum: 16 }), pool(0), 10)).toBe(true);
    // PG 1 does not split from 12 to 16 PGs: nothing to do.
    expect(needsResend(t(1, [1, 2], { seed: 1, pgNum: 12 }), t(1, [1, 2], { seed: 1, pgNum: 16 }), pool(0), 10)).toBe(false);
    // PG 4 takes in 12 when shrinking back: resend.
    expect(needsResend(t(1, [1, 2], { seed: 4, pgNum: 16 }), t(1, [1, 2], { seed: 4, pgNum: 12 }), pool(0), 10)).toBe(true);
  });
});
