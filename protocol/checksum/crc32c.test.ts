import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.ts';
import { crc32cSlicing } from './crc32c-slicing.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ceph_crc32c', () => {
  // Vectors from Ceph's src/test/common/test_crc32c.cc.
  for (const [name, f] of [['runtime (crc-32)', crc32c], ['own slicing-by-16', crc32cSlicing]] as const) {
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
      expect(crc32c(seed, d)).toBe(crc32cSlicing(seed, d));
      expect(crc32c(seed, d, a)).toBe(crc32cSlicing(seed, d, a));
    }
  });
});
