// The encodings the OSDMap uses beyond the shared Reader's integers: IEEE float/double as
// raw little-endian bytes (encode(float) in src/include/encoding.h) and denc's unsigned
// varint (denc_varint in src/include/denc.h: 7 bits a byte, low first, high bit = more).
import type { Reader } from '../../protocol/encoding/reader.ts';

export function readF32(r: Reader, field: string): number {
  const b = r.bytes(4, field);
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

export function readF64(r: Reader, field: string): number {
  const b = r.bytes(8, field);
  return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
}

/** denc_varint of a u64 (as bigint: shard bitmaps use all 64 bits). */
export function readVarintU64(r: Reader, field: string): bigint {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    const byte = r.u8(field);
    v |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return v;
    shift += 7n;
    if (shift > 63n) r.fail(field, 'varint longer than 64 bits');
  }
}
