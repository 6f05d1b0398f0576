// PaxosServiceMessage's header (src/messages/PaxosServiceMessage.h paxos_encode): le64 version,
// le16 deprecated_session_mon (-1 from clients), le64 deprecated_session_mon_tid.
import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** The header every PaxosServiceMessage starts with (MMonCommand, MAuth, …). */
export interface PaxosHeader {
  /** The map version the message refers to (e.g. what a command changed to); 0 from a client. */
  version: bigint;
  /** deprecated_session_mon: -1 from clients; unused since Luminous. */
  sessionMon: number;
  /** deprecated_session_mon_tid: 0 from clients; unused since Luminous. */
  sessionMonTid: bigint;
}

/** The header a client sends: version 0, no session monitor. */
export const CLIENT_PAXOS_HEADER: PaxosHeader = { version: 0n, sessionMon: -1, sessionMonTid: 0n };

/** Encodes a paxos header (le64 version, le16 session mon, le64 session mon tid). */
export function encodePaxosHeader(w: Writer, h: PaxosHeader): void {
  w.u64(h.version).i16(h.sessionMon).u64(h.sessionMonTid);
}

/** Decodes a paxos header. */
export function decodePaxosHeader(r: Reader): PaxosHeader {
  return { version: r.u64('paxos.version'), sessionMon: r.i16('paxos.session_mon'), sessionMonTid: r.u64('paxos.session_mon_tid') };
}
