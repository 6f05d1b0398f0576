// A session's frames as events: each described in Ceph's vocabulary, with its time, ends and
// place in the stream; a reply matched to its request (same session, tid) carries its latency.
// Shared by captures (decode-capture.ts) and rados-ts trace files (decode-trace-records.ts).
import { MsgType } from '../messages/message-types.ts';
import { Tag, tagName } from '../msgr2/tags.ts';
import { describeFrame, type FrameDescription } from './describe-frame.ts';
import type { Direction, SessionFrame, TracedSession } from './trace-session.ts';

/** One frame of the capture, described. */
export interface TraceEvent extends FrameDescription {
  timeNs: bigint;
  /** The session (TCP connection id in the capture). */
  session: number;
  dir: Direction;
  /** Sender and receiver, "ip:port". */
  from: string;
  to: string;
  /** Stream offset and wire length of the frame. */
  offset: number;
  length: number;
  /** crc mode: the crc32c verdict; a frame read through secure mode: its GCM tags' verdict. */
  crc: 'ok' | 'mismatch' | 'incomplete';
  /** The frame was decrypted (secure mode). */
  decrypted?: boolean;
  /** For a reply matched to its request by tid: the time between them, in nanoseconds. */
  latencyNs?: bigint;
}

/** Request → reply types whose tids pair up (MOSDOp/MOSDOpReply, MMonCommand/Ack, …). */
const REPLIES = new Map<number, number>([
  [MsgType.OSD_OPREPLY, MsgType.OSD_OP],
  [MsgType.MON_COMMAND_ACK, MsgType.MON_COMMAND],
  [MsgType.MON_GET_VERSION_REPLY, MsgType.MON_GET_VERSION],
  [MsgType.POOLOP_REPLY, MsgType.POOLOP],
]);

/**
 * A frame whose payload the recorder left out (without traceSecrets): authentication, its tag and
 * sizes only; a key-carrying monitor command (`auth get-key`, …), described from its header and
 * front with the data segment's length in place of its bytes.
 */
function leftOut(f: SessionFrame, lengths: number[], source: string | undefined): FrameDescription {
  const tag = tagName(f.tag);
  const bytes = lengths.reduce((a, b) => a + b, 0);
  if (f.tag === Tag.MESSAGE && f.segments.length > 1) {
    const d = describeFrame(f, source);
    const data = lengths[3] ?? 0;
    const note = `(data not recorded: ${data} bytes; traceSecrets keeps it)`;
    // The message's own data length is the one it had, not the empty segment recorded (MMonCommandAck's outData too).
    const sizes = { data, ...('outData' in d.fields ? { outData: data } : {}), dataNotRecorded: data };
    const message = d.message ? { ...d.message, line: `${d.message.line} ${note}`, fields: { ...d.message.fields, ...sizes } } : undefined;
    return { ...d, line: `${d.line} ${note}`, fields: { ...d.fields, ...sizes }, ...(message ? { message } : {}) };
  }
  const what = f.tag === Tag.MESSAGE ? 'payload' : 'frame';
  // A MESSAGE keeps its header (so its type), its front and data go.
  if (f.tag === Tag.MESSAGE && f.segments[0] !== undefined) {
    const d = describeFrame({ tag: f.tag, segments: [f.segments[0]] });
    const type = d.message?.type ?? 'message';
    return { tag, line: `${type} (${what} not recorded: ${bytes - f.segments[0].length} bytes; traceSecrets keeps it)`, fields: { type, notRecorded: lengths } };
  }
  return { tag, line: `${tag} (${what} not recorded: ${bytes} bytes; traceSecrets keeps it)`, fields: { notRecorded: lengths } };
}

/** Every frame of a session as an event, in the session's order. */
export function sessionEvents(s: TracedSession): TraceEvent[] {
  const events: TraceEvent[] = [];
  const pending = new Map<string, bigint>();
  // The client's entity name, client.<global id> from AUTH_DONE (or, when the trace left that out,
  // the gid CLIENT_IDENT carries): librados leaves MOSDOp's reqid empty and the OSD takes the
  // connection's peer name (MOSDOp::get_reqid).
  let source: string | undefined;
  let clientType: unknown;
  for (const f of s.frames) {
    const d = f.leftOut ? leftOut(f, f.leftOut, source) : describeFrame(f, source);
    if (f.tag === Tag.HELLO && f.dir === 'to-server') clientType = d.fields['entityType'];
    if (f.tag === Tag.AUTH_DONE && clientType === 'client' && !f.leftOut) source = `client.${String(d.fields['globalId'])}`;
    if (f.tag === Tag.CLIENT_IDENT && clientType === 'client' && source === undefined) source = `client.${String(d.fields['gid'])}`;
    const e: TraceEvent = {
      ...d,
      timeNs: f.timeNs,
      session: s.id,
      dir: f.dir,
      from: f.dir === 'to-server' ? s.client : s.server,
      to: f.dir === 'to-server' ? s.server : s.client,
      offset: f.offset,
      length: f.length,
      crc: f.crc,
      ...(f.decrypted ? { decrypted: true } : {}),
    };
    if (f.tag === Tag.MESSAGE && d.message) {
      const type = f.segments[0]!.length >= 18 ? new DataView(f.segments[0]!.buffer, f.segments[0]!.byteOffset).getUint16(16, true) : 0;
      const tid = d.message.fields['tid'] as string;
      const request = REPLIES.get(type);
      if (request !== undefined) {
        const sent = pending.get(`${request}:${tid}`);
        if (sent !== undefined) e.latencyNs = f.timeNs - sent;
      } else if (tid !== '0' && !pending.has(`${type}:${tid}`)) pending.set(`${type}:${tid}`, f.timeNs);
    }
    events.push(e);
  }
  return events;
}
