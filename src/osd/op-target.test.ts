import { describe, expect, it } from 'vitest';
import type { PgPool } from '../../crush/osdmap/pg-pool.ts';
import { needsResend, type OpTarget, primaryChanged } from './op-target.ts';

const t = (osd: number, acting: number[], more: Partial<OpTarget> = {}): OpTarget => ({ osd, pool: 1, seed: 0, rawHash: 0, shard: -1, acting, lastForceResend: 0, ...more });
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
});
