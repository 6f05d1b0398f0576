// MMonGetMap (no payload) and MMonMap (src/messages/MMonMap.h: front = bufferlist monmapbl).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

export const MMonGetMap = { type: 5, version: 1, compatVersion: 0 } as const;

export function decodeMonMapMessage(front: Uint8Array): Uint8Array {
  return new Reader(front).blob('MMonMap.monmapbl');
}
export function encodeMonMapMessage(monmap: Uint8Array): Uint8Array {
  return new Writer(4 + monmap.length).blob(monmap).finish();
}
