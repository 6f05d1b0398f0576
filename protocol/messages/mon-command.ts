// MMonCommand (src/messages/MMonCommand.h): paxos header, fsid, vector<string> cmd; input in the
// data segment. MMonCommandAck (MMonCommandAck.h): paxos header, s32 r, string rs,
// vector<string> cmd; output in the data segment.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';
import { CLIENT_PAXOS_HEADER, decodePaxosHeader, encodePaxosHeader, type PaxosHeader } from './paxos-header.ts';

/** MMonCommand's message type and header versions. */
export const MON_COMMAND = {
  /** Message type id (MsgType.MON_COMMAND). */
  type: 50,
  /** Header version: the encoding of the front this library writes. */
  version: 1,
  /** Header compat_version: the oldest encoding a receiver must understand to decode it. */
  compatVersion: 1,
} as const;

/** MMonCommand (src/messages/MMonCommand.h): a command for the monitors. */
export interface MonCommand {
  /** MMonCommand::fsid: the cluster's fsid (UUID string); a monitor drops a command for another cluster. */
  fsid: string;
  /** MMonCommand::cmd: the command, usually one JSON string such as `{"prefix": "osd pool ls", "format": "json"}`. */
  cmd: string[];
}
/** The front of an MMonCommand (the input buffer goes in the data segment). */
export function encodeMonCommand(c: MonCommand): Uint8Array {
  const w = new Writer(128);
  encodePaxosHeader(w, CLIENT_PAXOS_HEADER);
  encodeUuid(w, c.fsid);
  w.array(c.cmd, (w, s) => w.string(s));
  return w.finish();
}
/** Decodes the front of an MMonCommand. */
export function decodeMonCommand(front: Uint8Array): MonCommand {
  const r = new Reader(front);
  decodePaxosHeader(r);
  return { fsid: decodeUuid(r, 'MMonCommand.fsid'), cmd: r.array('MMonCommand.cmd', (r) => r.string('cmd'), 4) };
}

/** MMonCommandAck (src/messages/MMonCommandAck.h): a monitor's answer to MMonCommand. */
export interface MonCommandAck {
  /** The paxos header; version is the map version the command left behind, if any. */
  paxos: PaxosHeader;
  /** MMonCommandAck::r: the result, 0 or a negative errno. */
  r: number;
  /** MMonCommandAck::rs: the status string shown to a CLI user (an error message, or e.g. "pool 'x' created"). */
  rs: string;
  /** MMonCommandAck::cmd: the command, echoed. */
  cmd: string[];
}
/** Decodes the front of an MMonCommandAck (the output buffer is in the data segment). */
export function decodeMonCommandAck(front: Uint8Array): MonCommandAck {
  const r = new Reader(front);
  const paxos = decodePaxosHeader(r);
  return { paxos, r: r.i32('MMonCommandAck.r'), rs: r.string('MMonCommandAck.rs'), cmd: r.array('MMonCommandAck.cmd', (r) => r.string('cmd'), 4) };
}
/** The front of an MMonCommandAck. */
export function encodeMonCommandAck(a: MonCommandAck): Uint8Array {
  const w = new Writer(128);
  encodePaxosHeader(w, a.paxos);
  w.i32(a.r).string(a.rs);
  w.array(a.cmd, (w, s) => w.string(s));
  return w.finish();
}
