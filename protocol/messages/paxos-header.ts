// PaxosServiceMessage's header (src/messages/PaxosServiceMessage.h paxos_encode): le64 version,
// le16 deprecated_session_mon (-1 from clients), le64 deprecated_session_mon_tid.
import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

export interface PaxosHeader {
  version: bigint;
  sessionMon: number;
  sessionMonTid: bigint;
}

export const CLIENT_PAXOS_HEADER: PaxosHeader = { version: 0n, sessionMon: -1, sessionMonTid: 0n };

export function encodePaxosHeader(w: Writer, h: PaxosHeader): void {
  w.u64(h.version).i16(h.sessionMon).u64(h.sessionMonTid);
}

export function decodePaxosHeader(r: Reader): PaxosHeader {
  return { version: r.u64('paxos.version'), sessionMon: r.i16('paxos.session_mon'), sessionMonTid: r.u64('paxos.session_mon_tid') };
}
