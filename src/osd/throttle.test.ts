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
});
