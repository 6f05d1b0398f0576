import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** eversion_t (src/osd/osd_types.h): le64 version, le32 epoch (12 bytes, raw). */
export interface EVersion {
  /** eversion_t::version: the PG log's version counter. */
  version: bigint;
  /** eversion_t::epoch: the OSDMap epoch in which that version was written. */
  epoch: number;
}

/** Decodes an eversion_t. */
export function decodeEversion(r: Reader, field = 'eversion_t'): EVersion {
  const version = r.u64(field);
  const epoch = r.u32(field);
  return { version, epoch };
}

/** Encodes an eversion_t. */
export function encodeEversion(w: Writer, v: EVersion): void {
  w.u64(v.version).u32(v.epoch);
}
