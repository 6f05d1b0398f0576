import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** uuid_d (src/include/uuid.h): 16 raw bytes, encoded with no length. Kept as its canonical text form. */
export function decodeUuid(r: Reader, field = 'uuid'): string {
  const b = r.bytes(16, field);
  let hex = '';
  for (let i = 0; i < 16; i++) hex += b[i]!.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Encodes a UUID string as uuid_d's 16 raw bytes. */
export function encodeUuid(w: Writer, uuid: string): void {
  w.bytes(parseUuid(uuid));
}

/** The 16 bytes of a UUID string (dashes optional); a RangeError if it is not 32 hex digits. */
export function parseUuid(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a uuid: ${uuid}`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
