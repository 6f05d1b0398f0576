import { describe, expect, it } from 'vitest';
import { Listeners } from './listeners.ts';

describe('Listeners', () => {
  it('calls every listener in the order added; each removal takes out its own registration', () => {
    const l = new Listeners<{ tick: [n: number] }>();
    const got: string[] = [];
    const a = (n: number): void => void got.push(`a${n}`);
    const offA1 = l.on('tick', a);
    l.on('tick', (n) => got.push(`b${n}`));
    const offA2 = l.on('tick', a);
    l.emit('tick', 1);
    expect(got).toEqual(['a1', 'b1', 'a1']);
    offA1();
    offA1();
    l.emit('tick', 2);
    expect(got.slice(3)).toEqual(['b2', 'a2']);
    offA2();
    expect(l.count('tick')).toBe(1);
  });

  it('lets a listener remove itself while the event is being emitted', () => {
    const l = new Listeners<{ once: [] }>();
    let calls = 0;
    const off = l.on('once', () => {
      calls++;
      off();
    });
    l.emit('once');
    l.emit('once');
    expect(calls).toBe(1);
  });
});
