import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.ts';

describe('Throttle', () => {
  it('holds ops past the op or byte limit and lets them go in order', async () => {
    const t = new Throttle(2, 100);
    expect(t.acquire(10)).toBeUndefined();
    expect(t.acquire(10)).toBeUndefined();
    const order: number[] = [];
    const third = t.acquire(10)!.then(() => order.push(3));
    const fourth = t.acquire(95)!.then(() => order.push(4));
    t.release(10);
    await third;
    expect(t.inFlight).toEqual({ ops: 2, bytes: 20 });
    t.release(10);
    t.release(10);
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(t.inFlight).toEqual({ ops: 1, bytes: 95 });
    // An op bigger than the byte limit still runs alone.
    t.release(95);
    expect(t.acquire(1000)).toBeUndefined();
  });

  it('an op aborted while it waits leaves the queue having taken nothing, and lets the ones behind it go', async () => {
    const t = new Throttle(10, 100);
    expect(t.acquire(60)).toBeUndefined();
    const ac = new AbortController();
    const big = t.acquire(50, ac.signal)!;
    const small = t.acquire(30)!; // fits, but waits behind `big` (FIFO)
    let smallGot = false;
    void small.then(() => (smallGot = true));
    await Promise.resolve();
    expect(smallGot).toBe(false);
    ac.abort(new Error('caller gave up'));
    await expect(big).rejects.toThrow('caller gave up');
    await small;
    expect(t.inFlight).toEqual({ ops: 2, bytes: 90 });
    // Already aborted: rejected at once, nothing taken.
    const gone = AbortSignal.abort(new Error('late'));
    await expect(t.acquire(50, gone)!).rejects.toThrow('late');
    expect(t.inFlight).toEqual({ ops: 2, bytes: 90 });
  });
});
