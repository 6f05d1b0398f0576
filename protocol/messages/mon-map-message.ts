// MMonGetMap (no payload) and MMonMap (src/messages/MMonMap.h: front = bufferlist monmapbl).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

/** MMonGetMap (no payload): asks a monitor for its monmap. */
export const MMonGetMap = {
  /** Message type id (MsgType.MON_GET_MAP). */
  type: 5,
  /** Header version: the encoding of the front this library writes. */
  version: 1,
  /** Header compat_version: the oldest encoding a receiver must understand to decode it. */
  compatVersion: 0,
} as const;

/** The encoded MonMap an MMonMap's front carries (decodeMonMap decodes it). */
export function decodeMonMapMessage(front: Uint8Array): Uint8Array {
  return new Reader(front).blob('MMonMap.monmapbl');
}
/** The front of an MMonMap carrying an encoded MonMap. */
export function encodeMonMapMessage(monmap: Uint8Array): Uint8Array {
  return new Writer(4 + monmap.length).blob(monmap).finish();
}
