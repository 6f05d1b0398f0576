// MMonGetVersion (src/messages/MMonGetVersion.h): le64 handle (the tid), string what.
// MMonGetVersionReply: le64 handle, le64 version, le64 oldest_version.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

/** MMonGetVersion's message type and header versions. */
export const MON_GET_VERSION = {
  /** Message type id (MsgType.MON_GET_VERSION). */
  type: 19,
  /** Header version: the encoding of the front this library writes. */
  version: 1,
  /** Header compat_version: the oldest encoding a receiver must understand to decode it. */
  compatVersion: 1,
} as const;

/** The front of an MMonGetVersion: the handle that the reply echoes, and the map ("osdmap", "monmap", "mdsmap"). */
export function encodeMonGetVersion(handle: bigint, what: string): Uint8Array {
  return new Writer(32).u64(handle).string(what).finish();
}

/** MMonGetVersion (src/messages/MMonGetVersion.h) as a monitor reads it. */
export interface MonGetVersion {
  /** MMonGetVersion::handle: the request's id, which the reply echoes. */
  handle: bigint;
  /** MMonGetVersion::what: the map asked about ("osdmap", "monmap", "mdsmap"). */
  what: string;
}

/** Decodes the front of an MMonGetVersion. */
export function decodeMonGetVersion(front: Uint8Array): MonGetVersion {
  const r = new Reader(front);
  return { handle: r.u64('MMonGetVersion.handle'), what: r.string('MMonGetVersion.what') };
}

/** MMonGetVersionReply (src/messages/MMonGetVersionReply.h). */
export interface MonGetVersionReply {
  /** MMonGetVersionReply::handle: the request's handle, echoed. */
  handle: bigint;
  /** MMonGetVersionReply::version: the newest version (epoch) of the map the monitor has. */
  version: bigint;
  /** MMonGetVersionReply::oldest_version: the oldest version it still keeps; 0 if not sent. */
  oldestVersion: bigint;
}
/** Decodes the front of an MMonGetVersionReply. */
export function decodeMonGetVersionReply(front: Uint8Array): MonGetVersionReply {
  const r = new Reader(front);
  const handle = r.u64('MMonGetVersionReply.handle');
  const version = r.u64('MMonGetVersionReply.version');
  const oldestVersion = r.remaining >= 8 ? r.u64('MMonGetVersionReply.oldest_version') : 0n;
  return { handle, version, oldestVersion };
}
