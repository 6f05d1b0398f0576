// MMonGetVersion (src/messages/MMonGetVersion.h): le64 handle (the tid), string what.
// MMonGetVersionReply: le64 handle, le64 version, le64 oldest_version.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

export const MON_GET_VERSION = { type: 19, version: 1, compatVersion: 1 } as const;

export function encodeMonGetVersion(handle: bigint, what: string): Uint8Array {
  return new Writer(32).u64(handle).string(what).finish();
}

export interface MonGetVersionReply {
  handle: bigint;
  version: bigint;
  oldestVersion: bigint;
}
export function decodeMonGetVersionReply(front: Uint8Array): MonGetVersionReply {
  const r = new Reader(front);
  const handle = r.u64('MMonGetVersionReply.handle');
  const version = r.u64('MMonGetVersionReply.version');
  const oldestVersion = r.remaining >= 8 ? r.u64('MMonGetVersionReply.oldest_version') : 0n;
  return { handle, version, oldestVersion };
}
