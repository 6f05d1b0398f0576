// The bookkeeping that lets mutate() skip a header re-read only when one begun after the change
// started has finished (refresh-generations.ts).
import { describe, expect, it } from 'vitest';
import { RefreshGenerations } from './refresh-generations.ts';

describe('RefreshGenerations', () => {
  it('a read begun after the mark counts only once it has landed', () => {
    const g = new RefreshGenerations();
    const mark = g.mark();
    const n = g.begin(); // a concurrent refresh starts (another change's fresh(), the lock's acquired hook)
    expect(g.landedSince(mark)).toBe(false); // not landed: the snapshot list is still the old one
    expect(g.mayApply(n)).toBe(true);
    g.landed(n);
    expect(g.landedSince(mark)).toBe(true);
  });

  it('a read begun before the mark does not count, even when it lands after', () => {
    const g = new RefreshGenerations();
    const early = g.begin();
    const mark = g.mark();
    g.landed(early);
    expect(g.landedSince(mark)).toBe(false);
  });

  it('an older read landing after a newer one does not replace its result', () => {
    const g = new RefreshGenerations();
    const a = g.begin();
    const b = g.begin();
    expect(g.mayApply(b)).toBe(true);
    g.landed(b);
    expect(g.mayApply(a)).toBe(false);
    g.landed(a);
    expect(g.landedSince(a)).toBe(true); // b, begun after a, is what the state holds
  });
});
