import { describe, expect, it } from 'vitest';
import { DecodeError } from './decode-error.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

describe('Reader/Writer primitives', () => {
  it('round-trips every width, little-endian', () => {
    const w = new Writer(4);
    w.u8(0xfe).i8(-2).u16(0xbeef).i16(-12345).u32(0xdeadbeef).i32(-7).u64(0xfedcba9876543210n).i64(-5n).bool(true);
    w.u64(2 ** 53 - 1)
      .i64(-(2 ** 40) - 3)
      .i64(-1);
    const b = w.finish();
    expect([...b.subarray(2, 4)]).toEqual([0xef, 0xbe]);
    const r = new Reader(b);
    expect(r.u8()).toBe(0xfe);
    expect(r.i8()).toBe(-2);
    expect(r.u16()).toBe(0xbeef);
    expect(r.i16()).toBe(-12345);
    expect(r.u32()).toBe(0xdeadbeef);
    expect(r.i32()).toBe(-7);
    expect(r.u64()).toBe(0xfedcba9876543210n);
    expect(r.i64()).toBe(-5n);
    expect(r.bool()).toBe(true);
    expect(r.u64n()).toBe(2 ** 53 - 1);
    expect(r.i64n()).toBe(-(2 ** 40) - 3);
    expect(r.i64n()).toBe(-1);
    r.expectEnd('all');
  });

  it('refuses a u64 above 2^53 on the number path', () => {
    const b = new Writer().u64(2n ** 60n).finish();
    expect(() => new Reader(b).u64n('big')).toThrow(DecodeError);
    expect(new Reader(b).u64()).toBe(2n ** 60n);
  });

  it('round-trips strings (ASCII and UTF-8), blobs, containers and optionals', () => {
    const w = new Writer();
    w.string('admin')
      .string('ŝnapĉot 😀')
      .blob(new Uint8Array([1, 2, 3]));
    w.array([1, 2, 3], (w, n) => w.u32(n));
    w.map(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
      (w, k) => w.string(k),
      (w, v) => w.u16(v),
    );
    w.optional(7, (w, v) => w.u8(v)).optional<number>(undefined, (w, v) => w.u8(v));
    const r = new Reader(w.finish());
    expect(r.string()).toBe('admin');
    expect(r.string()).toBe('ŝnapĉot 😀');
    expect([...r.blob()]).toEqual([1, 2, 3]);
    expect(r.array('v', (r) => r.u32(), 4)).toEqual([1, 2, 3]);
    expect([
      ...r.map(
        'm',
        (r) => r.string(),
        (r) => r.u16(),
      ),
    ]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(r.optional('o', (r) => r.u8())).toBe(7);
    expect(r.optional('o', (r) => r.u8())).toBeUndefined();
    r.expectEnd('all');
  });
});

describe('versioned struct envelope', () => {
  const encoded = (v: number, compat: number, body: (w: Writer) => void): Uint8Array => {
    const w = new Writer();
    w.struct(v, compat, body);
    w.u32(0xcafef00d); // what follows the struct
    return w.finish();
  };

  it('writes u8 v, u8 compat, le32 len', () => {
    const b = encoded(3, 1, (w) => w.u16(0x0102));
    expect([...b.subarray(0, 8)]).toEqual([3, 1, 2, 0, 0, 0, 0x02, 0x01]);
  });

  it('skips a newer tail it does not know, by length', () => {
    const b = encoded(5, 2, (w) => w.u16(42).string('field added in v5'));
    const r = new Reader(b);
    const got = r.struct('s', 4, (r, v) => ({ v, x: r.u16('x') }));
    expect(got).toEqual({ v: 5, x: 42 });
    expect(r.u32()).toBe(0xcafef00d);
  });

  it('refuses a compat newer than understood, naming field and offset', () => {
    const b = encoded(7, 6, (w) => w.u8(1));
    try {
      new Reader(b).struct('MonMap', 5, () => 0);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).field).toBe('MonMap');
      expect((e as DecodeError).offset).toBe(0);
    }
  });

  it('keeps a body inside its struct_len', () => {
    const b = encoded(1, 1, (w) => w.u16(1));
    expect(() => new Reader(b).struct('s', 1, (r) => r.u32('too-wide'))).toThrow(/too-wide at offset 6/);
  });
});

describe('bad lengths and counts fail before allocating', () => {
  it('a string length past the end', () => {
    const b = new Writer().u32(1000).bytes(new Uint8Array(4)).finish();
    expect(() => new Reader(b).string('name')).toThrow(/name at offset 0: length 1000 runs past the end/);
  });

  it('a huge count', () => {
    const b = new Writer().u32(0xffffffff).finish();
    expect(() => new Reader(b).array('osd_weight', (r) => r.u32(), 4)).toThrow(/cannot fit/);
    expect(() =>
      new Reader(b).map(
        'pools',
        (r) => r.u32(),
        (r) => r.u32(),
        8,
      ),
    ).toThrow(DecodeError);
  });

  it('a struct_len past the end', () => {
    const b = new Uint8Array([1, 1, 0xff, 0xff, 0, 0, 9]);
    expect(() => new Reader(b).struct('pg_pool_t', 1, () => 0)).toThrow(/pg_pool_t at offset 2/);
  });
});

describe('Writer growth', () => {
  it('keeps every value when the buffer grows in the middle of a 16- or 32-bit write', async () => {
    const { Writer } = await import('./writer.ts');
    for (let pad = 0; pad < 40; pad++) {
      const w = new Writer(16);
      for (let i = 0; i < pad; i++) w.u8(i);
      w.u32(0xdeadbeef).u16(0xbeef).i32(-2).i16(-3).u32(7);
      const r = new Reader(w.finish());
      for (let i = 0; i < pad; i++) expect(r.u8()).toBe(i);
      expect([r.u32(), r.u16(), r.i32(), r.i16(), r.u32()]).toEqual([0xdeadbeef, 0xbeef, -2, -3, 7]);
    }
  });
});
