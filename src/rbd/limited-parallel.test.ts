import { describe, expect, it } from 'vitest';
import { eachLimited } from './limited-parallel.ts';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('eachLimited', () => {
  it('runs every item, at most `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++running);
      await tick(n % 3);
      running--;
      done.push(n);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('after a failure starts nothing new, and rejects only once the work already started has ended', async () => {
    const started: number[] = [];
    let inFlight = 0;
    const run = eachLimited([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      inFlight++;
      try {
        if (n === 0) throw new Error('object 0 failed');
        await tick(30); // item 1 is still being written when item 0 fails
      } finally {
        inFlight--;
      }
    });
    const err = await run.catch((e: unknown) => e);
    // Settled with the first error, with nothing in flight (the old version rejected at once,
    // with item 1 still out, then went on to start items 2..5).
    expect((err as Error).message).toBe('object 0 failed');
    expect(inFlight).toBe(0);
    await tick(100);
    expect(started).toEqual([0, 1]);
  });

  it('resolves for no items', async () => {
    await expect(eachLimited([], 4, () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
