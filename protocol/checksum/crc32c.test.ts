import CRC32C from 'crc-32/crc32c.js';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cLargeImpl } from './crc32c.ts';
import { crc32cSlicing } from './crc32c-slicing.ts';
import { loadWasmCrc32c } from './crc32c-wasm.ts';

const wasm = loadWasmCrc32c()!;

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ceph_crc32c', () => {
  // Vectors from Ceph's src/test/common/test_crc32c.cc.
  const pkg = (seed: number, d: Uint8Array, start = 0, end = d.length): number => ~CRC32C.buf(d.subarray(start, end), ~seed) >>> 0;
  for (const [name, f] of [
    ['runtime', crc32c],
    ['own slicing-by-16', crc32cSlicing],
    ['own slicing-by-16 in wasm', wasm],
    ['crc-32 package', pkg],
  ] as const) {
    it(`${name} matches Ceph's test vectors`, () => {
      expect(f(0, ascii('foo bar baz'))).toBe(4119623852);
      expect(f(1234, ascii('foo bar baz'))).toBe(881700046);
    });
    it(`${name} computes a sub-range`, () => {
      expect(f(0, ascii('xxfoo bar bazyy'), 2, 13)).toBe(4119623852);
    });
  }

  it('the two implementations agree on random data, lengths and seeds', () => {
    let x = 12345;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let t = 0; t < 400; t++) {
      const len = t < 40 ? t : rnd() % 9000;
      const d = new Uint8Array(len);
      for (let i = 0; i < len; i++) d[i] = rnd() & 0xff;
      const seed = t % 3 === 0 ? 0 : t % 3 === 1 ? 0xffffffff : rnd();
      const a = len > 0 ? rnd() % len : 0;
      expect(crc32cSlicing(seed, d)).toBe(pkg(seed, d));
      expect(crc32cSlicing(seed, d, a)).toBe(pkg(seed, d, a));
      expect(crc32c(seed, d, a)).toBe(pkg(seed, d, a));
      expect(wasm(seed, d, a, len)).toBe(pkg(seed, d, a));
    }
  });

  it('Node compiles the wasm loop, and it agrees across its window (pieces of 112 KiB)', () => {
    expect(crc32cLargeImpl).toBe('wasm');
    const big = new Uint8Array(300_001).map((_, i) => (i * 2654435761) >>> 24);
    for (const [a, b] of [
      [0, 300_001],
      [1, 114_689],
      [5, 229_377],
      [114_687, 114_700],
    ] as const) {
      expect(wasm(0xffffffff, big, a, b)).toBe(pkg(0xffffffff, big, a, b));
    }
  });

  it('word loads give the same result at every alignment of the data in its buffer', () => {
    const big = new Uint8Array(70_000).map((_, i) => (i * 2654435761) >>> 24);
    for (let off = 0; off < 8; off++) {
      for (const len of [63, 64, 65, 79, 80, 4096, 65_537]) {
        const view = big.subarray(off, off + len); // byteOffset not a multiple of 4 for most offs
        expect(crc32cSlicing(0xffffffff, view)).toBe(pkg(0xffffffff, view));
        expect(crc32c(0, view, 3, len)).toBe(pkg(0, view, 3, len));
        expect(wasm(7, view, 0, len)).toBe(pkg(7, view));
      }
    }
  });
});
