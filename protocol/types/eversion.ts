import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** eversion_t (src/osd/osd_types.h): le64 version, le32 epoch (12 bytes, raw). */
export interface EVersion {
  version: bigint;
  epoch: number;
}

export function decodeEversion(r: Reader, field = 'eversion_t'): EVersion {
  const version = r.u64(field);
  const epoch = r.u32(field);
  return { version, epoch };
}

export function encodeEversion(w: Writer, v: EVersion): void {
  w.u64(v.version).u32(v.epoch);
}
