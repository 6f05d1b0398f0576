// A whole capture read as Ceph traffic: every TCP connection that is msgr2 becomes a session, and
// every frame of it an event in capture order, described in Ceph's vocabulary; a reply is matched
// to its request (same session, tid) so its latency is known.
import { readCaptureFile } from '../capture/capture-file.ts';
import type { KeyringEntry } from '../cephx/keyring.ts';
import { type CryptoProvider, webCryptoProvider } from '../crypto/crypto-provider.ts';
import { tcpSegmentOf, type TcpSegment } from '../capture/tcp-segment.ts';
import { reassembleTcp, type TcpConnection } from '../capture/tcp-streams.ts';
import { openSecureSessions, type SessionKeys } from './open-secure-sessions.ts';
import { sessionEvents, type TraceEvent } from './session-events.ts';
import { type SessionSpan, traceSession, type TracedSession } from './trace-session.ts';

export type { TraceEvent };

/** The capture as Ceph sessions. */
export interface CaptureTrace {
  /** What was read: a capture file, or a rados-ts trace file (decode-trace-records.ts). */
  format: 'pcap' | 'pcapng' | 'rados-ts-trace';
  /** Packets in the capture; for a trace file, its frame records. */
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
    trace.events.push(...sessionEvents(s));
  }
  trace.events.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : a.session - b.session));
  return trace;
}
