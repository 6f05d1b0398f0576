// toJsonValue: what a decoded cls input looks like in the trace's JSON (JSON.stringify alone
// throws on bigints, spreads bytes index by index and prints a Map as {}).
import { describe, expect, it } from 'vitest';
import { JSON_HEX_MAX, toJsonValue } from './json-value.ts';

describe('toJsonValue', () => {
  it('bigints as decimal strings, numbers, strings and booleans as they are', () => {
    expect(toJsonValue(18446744073709551614n)).toBe('18446744073709551614');
    expect(toJsonValue(-1n)).toBe('-1');
    expect(toJsonValue({ a: 1, b: 's', c: true, d: null })).toEqual({ a: 1, b: 's', c: true, d: null });
    expect(toJsonValue(Number.NaN)).toBe('NaN');
  });

  it(`bytes by length, with hex up to ${JSON_HEX_MAX}`, () => {
    expect(toJsonValue(new Uint8Array([0, 0xab, 7]))).toEqual({ bytes: 3, hex: '00ab07' });
    expect(toJsonValue(new Uint8Array(JSON_HEX_MAX))).toEqual({ bytes: JSON_HEX_MAX, hex: '00'.repeat(JSON_HEX_MAX) });
    expect(toJsonValue(new Uint8Array(JSON_HEX_MAX + 1))).toEqual({ bytes: JSON_HEX_MAX + 1 });
  });

  it('maps with string keys as objects, others as pairs; undefined fields left out; nested', () => {
    expect(toJsonValue(new Map([['k', 1n]]))).toEqual({ k: '1' });
    expect(toJsonValue(new Map([[1, 'a']]))).toEqual([[1, 'a']]);
    expect(toJsonValue({ x: undefined, y: [1n, { z: new Uint8Array([1]) }] })).toEqual({ y: ['1', { z: { bytes: 1, hex: '01' } }] });
    expect(toJsonValue(undefined)).toBeNull();
  });
});
