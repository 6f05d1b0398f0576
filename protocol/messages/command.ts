// MCommand (src/messages/MCommand.h): fsid, vector<string> cmd, the input in the data segment —
// what librados' osd_command and pg_command send to an OSD (Objecter::_send_command).
// MCommandReply (src/messages/MCommandReply.h): s32 r, string rs, the output in the data segment.
// MMgrCommand / MMgrCommandReply (src/messages/MMgrCommand*.h, Octopus+) have the same fronts
// under their own message types; mgr_command sends them to the active manager (MgrClient).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';

/** MCommand's message type and header versions. */
export const MCOMMAND = {
  /** MSG_COMMAND. */
  type: 97,
  /** Header version (Message's default). */
  version: 1,
  /** Header compat_version (as librados' messages carry it on the wire). */
  compatVersion: 1,
} as const;

/** MMgrCommand's message type and header versions (Octopus+: MgrClient sends it to the active manager). */
export const MMGR_COMMAND = {
  /** MSG_MGR_COMMAND. */
  type: 0x709,
  /** Header version (Message's default). */
  version: 1,
  /** Header compat_version (as librados' messages carry it on the wire). */
  compatVersion: 1,
} as const;

/** A command for a daemon (MCommand, MMgrCommand). */
export interface DaemonCommand {
  /** The cluster's fsid. */
  fsid: string;
  /** The command: one JSON string, as librados sends it. */
  cmd: string[];
}

/** The front of an MCommand or MMgrCommand (the input goes in the data segment). */
export function encodeDaemonCommand(c: DaemonCommand): Uint8Array {
  const w = new Writer(128);
  encodeUuid(w, c.fsid);
  w.array(c.cmd, (x, s) => x.string(s));
  return w.finish();
}

/** Decodes the front of an MCommand or MMgrCommand. */
export function decodeDaemonCommand(front: Uint8Array): DaemonCommand {
  const r = new Reader(front);
  return { fsid: decodeUuid(r, 'MCommand.fsid'), cmd: r.array('MCommand.cmd', (x) => x.string('cmd'), 4) };
}

/** A daemon's answer (MCommandReply, MMgrCommandReply). */
export interface DaemonCommandReply {
  /** 0 or a negative errno. */
  r: number;
  /** The status string. */
  rs: string;
}

/** Decodes the front of an MCommandReply or MMgrCommandReply (the output is in the data segment). */
export function decodeDaemonCommandReply(front: Uint8Array): DaemonCommandReply {
  const r = new Reader(front);
  return { r: r.i32('MCommandReply.r'), rs: r.string('MCommandReply.rs') };
}

/** The front of an MCommandReply or MMgrCommandReply (what a daemon sends; for tests and captures). */
export function encodeDaemonCommandReply(a: DaemonCommandReply): Uint8Array {
  return new Writer(64).i32(a.r).string(a.rs).finish();
}
