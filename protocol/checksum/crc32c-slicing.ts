/**
 * Our own CRC-32C, slicing-by-16 over Int32Array tables (Int32 so V8 keeps every
 * value a small integer), with Ceph's raw semantics: reflected 0x82F63B78, no
 * inversion in or out (src/common/crc32c.cc `ceph_crc32c`).
 *
 * The runtime uses the crc-32 package (see crc32c.ts), which measured faster; this
 * one is the independent implementation it is cross-checked against, and the
 * baseline in `npm run bench`.
 */

const POLY = 0x82f63b78;

function makeTables(): Int32Array[] {
  const flat = new Int32Array(256 * 16);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    flat[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = flat[n]!;
    for (let k = 1; k < 16; k++) {
      c = flat[c & 0xff]! ^ (c >>> 8);
      flat[k * 256 + n] = c;
    }
  }
  return Array.from({ length: 16 }, (_, k) => flat.subarray(k * 256, k * 256 + 256));
}

const [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15] = makeTables() as [
  Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array,
  Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array,
];

export function crc32cSlicing(seed: number, d: Uint8Array, start = 0, end = d.length): number {
  let c = seed | 0;
  let i = start;
  const stop = end - ((end - start) & 15);
  while (i < stop) {
    c =
      T15[(d[i]! ^ c) & 0xff]! ^
      T14[(d[i + 1]! ^ (c >>> 8)) & 0xff]! ^
      T13[(d[i + 2]! ^ (c >>> 16)) & 0xff]! ^
      T12[d[i + 3]! ^ (c >>> 24)]! ^
      T11[d[i + 4]!]! ^ T10[d[i + 5]!]! ^ T9[d[i + 6]!]! ^ T8[d[i + 7]!]! ^
      T7[d[i + 8]!]! ^ T6[d[i + 9]!]! ^ T5[d[i + 10]!]! ^ T4[d[i + 11]!]! ^
      T3[d[i + 12]!]! ^ T2[d[i + 13]!]! ^ T1[d[i + 14]!]! ^ T0[d[i + 15]!]!;
    i += 16;
  }
  while (i < end) c = T0[(c ^ d[i++]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}
