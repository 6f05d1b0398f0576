import { describe, expect, it } from 'vitest';
import { Reader } from '../../protocol/encoding/reader.ts';
import { readF32, readF64, readVarintU64 } from './denc-numbers.ts';

describe('denc numbers', () => {
  it('reads denc varints, low 7 bits first', () => {
    const r = new Reader(new Uint8Array([0x00, 0x02, 0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect([readVarintU64(r, 'a'), readVarintU64(r, 'b'), readVarintU64(r, 'c'), readVarintU64(r, 'd'), readVarintU64(r, 'e')]).toEqual([0n, 2n, 127n, 128n, 0xffffffffffffffffn]);
  });

  it('refuses a varint longer than 64 bits', () => {
    expect(() => readVarintU64(new Reader(new Uint8Array(11).fill(0x80)), 'x')).toThrow();
  });

  it('reads little-endian float and double as encode(float/double) writes them', () => {
    const b = new Uint8Array(12);
    new DataView(b.buffer).setFloat32(0, 0.95, true);
    new DataView(b.buffer).setFloat64(4, 0.25, true);
    const r = new Reader(b);
    expect(readF32(r, 'f')).toBe(Math.fround(0.95));
    expect(readF64(r, 'd')).toBe(0.25);
  });
});
