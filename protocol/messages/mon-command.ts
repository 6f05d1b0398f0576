// MMonCommand (src/messages/MMonCommand.h): paxos header, fsid, vector<string> cmd; input in the
// data segment. MMonCommandAck (MMonCommandAck.h): paxos header, s32 r, string rs,
// vector<string> cmd; output in the data segment.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';
import { CLIENT_PAXOS_HEADER, decodePaxosHeader, encodePaxosHeader, type PaxosHeader } from './paxos-header.ts';

export const MON_COMMAND = { type: 50, version: 1, compatVersion: 1 } as const;

export interface MonCommand {
  fsid: string;
  cmd: string[];
}
export function encodeMonCommand(c: MonCommand): Uint8Array {
  const w = new Writer(128);
  encodePaxosHeader(w, CLIENT_PAXOS_HEADER);
  encodeUuid(w, c.fsid);
  w.array(c.cmd, (w, s) => w.string(s));
  return w.finish();
}
export function decodeMonCommand(front: Uint8Array): MonCommand {
  const r = new Reader(front);
  decodePaxosHeader(r);
  return { fsid: decodeUuid(r, 'MMonCommand.fsid'), cmd: r.array('MMonCommand.cmd', (r) => r.string('cmd'), 4) };
}

export interface MonCommandAck {
  paxos: PaxosHeader;
  r: number;
  rs: string;
  cmd: string[];
}
export function decodeMonCommandAck(front: Uint8Array): MonCommandAck {
  const r = new Reader(front);
  const paxos = decodePaxosHeader(r);
  return { paxos, r: r.i32('MMonCommandAck.r'), rs: r.string('MMonCommandAck.rs'), cmd: r.array('MMonCommandAck.cmd', (r) => r.string('cmd'), 4) };
}
export function encodeMonCommandAck(a: MonCommandAck): Uint8Array {
  const w = new Writer(128);
  encodePaxosHeader(w, a.paxos);
  w.i32(a.r).string(a.rs);
  w.array(a.cmd, (w, s) => w.string(s));
  return w.finish();
}
