/**
 * Our own CRC-32C with Ceph's raw semantics (src/common/crc32c.cc `ceph_crc32c`): reflected
 * 0x82F63B78, no inversion in or out. Slicing-by-16 over one flat Int32Array table (Int32 so
 * V8 keeps every value a small integer), reading the data as aligned little-endian 32-bit words:
 * four loads per 16 bytes instead of sixteen, which is what makes it faster than the crc-32
 * package on large buffers (see `npm run bench -- crc32c`). Unaligned heads, short tails and
 * big-endian hosts take the byte-at-a-time path.
 */

const POLY = 0x82f63b78;

/** T[k * 256 + b]: the CRC of byte b followed by k zero bytes (also the wasm loop's table). */
export const CRC32C_TABLE = ((): Int32Array => {
  const t = new Int32Array(256 * 16);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 16; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();
const T = CRC32C_TABLE;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this the word view costs more than it saves. */
const WORDS_FROM = 64;

export function crc32cSlicing(seed: number, d: Uint8Array, start = 0, end = d.length): number {
  let c = seed | 0;
  let i = start;
  if (LITTLE_ENDIAN && end - i >= WORDS_FROM) {
    while (((d.byteOffset + i) & 3) !== 0) c = T[(c ^ d[i++]!) & 0xff]! ^ (c >>> 8);
    const blocks = (end - i) >>> 4;
    const w = new Int32Array(d.buffer, d.byteOffset + i, blocks * 4);
    for (let j = 0, n = blocks * 4; j < n; j += 4) {
      const a = w[j]! ^ c;
      const b = w[j + 1]!;
      const e = w[j + 2]!;
      const f = w[j + 3]!;
      c =
        T[3840 + (a & 0xff)]! ^
        T[3584 + ((a >>> 8) & 0xff)]! ^
        T[3328 + ((a >>> 16) & 0xff)]! ^
        T[3072 + (a >>> 24)]! ^
        T[2816 + (b & 0xff)]! ^
        T[2560 + ((b >>> 8) & 0xff)]! ^
        T[2304 + ((b >>> 16) & 0xff)]! ^
        T[2048 + (b >>> 24)]! ^
        T[1792 + (e & 0xff)]! ^
        T[1536 + ((e >>> 8) & 0xff)]! ^
        T[1280 + ((e >>> 16) & 0xff)]! ^
        T[1024 + (e >>> 24)]! ^
        T[768 + (f & 0xff)]! ^
        T[512 + ((f >>> 8) & 0xff)]! ^
        T[256 + ((f >>> 16) & 0xff)]! ^
        T[f >>> 24]!;
    }
    i += blocks * 16;
  }
  while (i < end) c = T[(c ^ d[i++]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}
