// A whole capture read as Ceph traffic: every TCP connection that is msgr2 becomes a session, and
// every frame of it an event in capture order, described in Ceph's vocabulary; a reply is matched
// to its request (same session, tid) so its latency is known.
import { readCaptureFile } from '../capture/capture-file.ts';
import type { KeyringEntry } from '../cephx/keyring.ts';
import { type CryptoProvider, webCryptoProvider } from '../crypto/crypto-provider.ts';
import { tcpSegmentOf, type TcpSegment } from '../capture/tcp-segment.ts';
import { reassembleTcp, type TcpConnection } from '../capture/tcp-streams.ts';
import { MsgType } from '../messages/message-types.ts';
import { Tag } from '../msgr2/tags.ts';
import { describeFrame, type FrameDescription } from './describe-frame.ts';
import { openSecureSessions, type SessionKeys } from './open-secure-sessions.ts';
import { type Direction, type SessionSpan, traceSession, type TracedSession } from './trace-session.ts';

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

/** The capture as Ceph sessions. */
export interface CaptureTrace {
  format: 'pcap' | 'pcapng';
  packets: number;
  sessions: TracedSession[];
  events: TraceEvent[];
  /** What is not a readable frame (encrypted, lost, not frames), per session. */
  spans: Array<SessionSpan & { session: number }>;
  /** Per secure session: whose it is, whether it was decrypted, and if not, why. */
  secure: Array<SessionKeys & { session: number }>;
  /** TCP connections that were not msgr2. */
  otherConnections: number;
  truncated?: { atOffset: number; reason: string };
}

/** Request → reply types whose tids pair up (MOSDOp/MOSDOpReply, MMonCommand/Ack, …). */
const REPLIES = new Map<number, number>([
  [MsgType.OSD_OPREPLY, MsgType.OSD_OP],
  [MsgType.MON_COMMAND_ACK, MsgType.MON_COMMAND],
  [MsgType.MON_GET_VERSION_REPLY, MsgType.MON_GET_VERSION],
  [MsgType.POOLOP_REPLY, MsgType.POOLOP],
]);

export interface DecodeOptions {
  /** Keys (a parsed keyring) that open secure-mode sessions: a client's key opens its sessions. */
  keyring?: Map<string, KeyringEntry>;
  /** Crypto for cephx and AES-GCM; Web Crypto by default. */
  crypto?: CryptoProvider;
}

/** Decodes a pcap/pcapng file's msgr2 traffic; with a keyring, secure sessions are decrypted. */
export async function decodeCapture(file: Uint8Array, options: DecodeOptions = {}): Promise<CaptureTrace> {
  const cap = readCaptureFile(file);
  const segments = cap.packets.map(tcpSegmentOf).filter((s): s is TcpSegment => s !== undefined);
  const trace: CaptureTrace = {
    format: cap.format,
    packets: cap.packets.length,
    sessions: [],
    events: [],
    spans: [],
    secure: [],
    otherConnections: 0,
    ...(cap.truncated ? { truncated: cap.truncated } : {}),
  };
  const traced: Array<{ session: TracedSession; conn: TcpConnection }> = [];
  for (const conn of reassembleTcp(segments)) {
    const s = traceSession(conn);
    if (s) traced.push({ session: s, conn });
    else trace.otherConnections++;
  }
  const opened = await openSecureSessions(traced, options.keyring, options.crypto ?? webCryptoProvider);
  for (const [session, k] of opened) trace.secure.push({ ...k, session });
  for (const { session: s } of traced) {
    trace.sessions.push(s);
    trace.spans.push(...s.spans.map((x) => ({ ...x, session: s.id })));
    const pending = new Map<string, bigint>();
    // The client's entity name, client.<global id> from AUTH_DONE: librados leaves MOSDOp's
    // reqid empty and the OSD takes the connection's peer name (MOSDOp::get_reqid).
    let source: string | undefined;
    let clientType: unknown;
    for (const f of s.frames) {
      const d = describeFrame(f, source);
      if (f.tag === Tag.HELLO && f.dir === 'to-server') clientType = d.fields['entityType'];
      if (f.tag === Tag.AUTH_DONE && clientType === 'client') source = `client.${String(d.fields['globalId'])}`;
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
      trace.events.push(e);
    }
  }
  trace.events.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : a.session - b.session));
  return trace;
}
