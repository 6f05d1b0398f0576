// abortReason: what a call rejects with when its signal aborts. An Error reason is kept as is;
// any other reason becomes a TimeoutError whose message shows it.
import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../protocol/errors.ts';
import { abortReason } from './abort.ts';

const aborted = (reason: unknown): AbortSignal => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};

describe('abortReason', () => {
  it('keeps an Error reason', () => {
    const e = new RangeError('mine');
    expect(abortReason(aborted(e))).toBe(e);
  });

  it('the default reason (no argument to abort()) is the runtime AbortError', () => {
    const r = abortReason(aborted(undefined));
    expect(r.name).toBe('AbortError');
  });

  it('a primitive reason is the message', () => {
    for (const [reason, message] of [
      ['why', 'why'],
      [42, '42'],
      [7n, '7'],
      [false, 'false'],
    ] as const) {
      const r = abortReason(aborted(reason));
      expect(r).toBeInstanceOf(TimeoutError);
      expect(r.message).toBe(message);
    }
  });

  it('an object reason is shown as JSON, not "[object Object]"', () => {
    expect(abortReason(aborted({ code: 5, why: 'x' })).message).toBe('{"code":5,"why":"x"}');
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(abortReason(aborted(cyclic)).message).toBe('aborted');
    expect(abortReason(aborted(null)).message).toBe('aborted');
  });
});
