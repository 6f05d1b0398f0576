// One captured TCP connection read as a msgr2 session: both banners, the handshake in plaintext,
// then crc-mode frames to the end, or (secure mode) the encrypted rest reported as unreadable until
// a key opens it. Every byte of both directions is accounted for: a frame, the banner, an
// encrypted stretch, or a problem with its reason.
import type { TcpConnection } from '../capture/tcp-streams.ts';
import { decodeAuthDone } from '../msgr2/auth-frames.ts';
import type { Banner } from '../msgr2/banner.ts';
import { ConMode, Tag } from '../msgr2/tags.ts';
import { bannerAt, byteRuns, type ByteRun, walkCrcFrames, type WalkedFrame, type WalkProblem } from './frame-walker.ts';

/** Which way a frame went. */
export type Direction = 'to-server' | 'to-client';

/** A frame of the session, in capture order. */
export interface SessionFrame extends WalkedFrame {
  dir: Direction;
  /** A trace file's frame whose segments the recorder left out (authentication): their lengths. */
  leftOut?: number[];
}

/** Bytes of a session that are not frames the trace could read, and why. */
export interface SessionSpan extends WalkProblem {
  dir: Direction;
  /**
   * encrypted: secure mode not decrypted (the reason says why: no key, no ticket, …); lost: not in the capture; not-a-frame: bytes that break
   * framing; mid-frame-start: the capture began inside a frame (normal for a capture started late); incomplete: part of a frame
   * whose other part is lost (the first bytes of a preamble before a gap or the capture's end, or a frame's rest after a gap).
   */
  kind: 'encrypted' | 'lost' | 'not-a-frame' | 'mid-frame-start' | 'incomplete';
}

/** What the trace learnt of one msgr2 connection. */
export interface TracedSession {
  /** The TCP connection's id in the capture, and its ends ("ip:port"). */
  id: number;
  client: string;
  server: string;
  banners: { client?: Banner; server?: Banner };
  /** The mode AUTH_DONE chose; 'unknown' when the capture missed the handshake. */
  mode: 'crc' | 'secure' | 'unknown';
  frames: SessionFrame[];
  /** Everything else, by offset: together with the banners and frames, every byte of both directions. */
  spans: SessionSpan[];
  /** Each direction's length: past the last byte captured, or known lost (a FIN's sequence number). */
  streamLength: Record<Direction, number>;
}

/** The client's handshake frames before the mode switch (ProtocolV2: HELLO, AUTH_REQUEST[_MORE]). */
const CLIENT_PLAIN = new Set<number>([Tag.HELLO, Tag.AUTH_REQUEST, Tag.AUTH_REQUEST_MORE]);

/** Reads a connection as msgr2; undefined when neither direction starts with a msgr2 banner and no frame can be proven in it. */
export function traceSession(conn: TcpConnection): TracedSession | undefined {
  const session: TracedSession = {
    id: conn.id,
    client: conn.client,
    server: conn.server,
    banners: {},
    mode: 'unknown',
    frames: [],
    spans: [],
    streamLength: { 'to-server': conn.toServer.length, 'to-client': conn.toClient.length },
  };
  // The server's direction first: its AUTH_DONE says the mode both directions switch to after it.
  walkDirection(session, 'to-client', byteRuns(conn.toClient), conn.toClient.fromStart);
  walkDirection(session, 'to-server', byteRuns(conn.toServer), conn.toServer.fromStart);
  for (const [dir, half] of [
    ['to-server', conn.toServer],
    ['to-client', conn.toClient],
  ] as const) {
    for (const g of half.gaps) session.spans.push({ dir, kind: 'lost', offset: g.offset, length: g.length, reason: 'not in the capture (dropped or cut packets)' });
  }
  if (!session.banners.client && !session.banners.server && session.frames.length === 0) return undefined;
  session.spans.sort((a, b) => a.offset - b.offset);
  session.frames.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  return session;
}

function walkDirection(session: TracedSession, dir: Direction, runs: ByteRun[], fromStart: boolean): void {
  // Once the mode is known to be secure, the handshake's plaintext ends: after AUTH_DONE on the
  // server's side, after the last AUTH_REQUEST[_MORE] on the client's.
  let plainOver = false;
  // Where the last frame ends when the capture lost part of it: a later run resumes there.
  let frameEnd = 0;
  for (const [i, run] of runs.entries()) {
    let start = 0;
    if (i === 0 && fromStart && run.offset === 0) {
      const b = bannerAt(run.bytes);
      if (!b) {
        if (!session.banners.client && !session.banners.server && dir === 'to-client') return; // not msgr2
        session.spans.push({ dir, kind: 'not-a-frame', offset: 0, length: run.bytes.length, reason: 'no msgr2 banner ("ceph v2\\n") where the stream starts' });
        continue;
      }
      session.banners[dir === 'to-server' ? 'client' : 'server'] = b.banner;
      start = b.length;
    }
    if (plainOver) {
      session.spans.push({ dir, kind: 'encrypted', offset: run.offset, length: run.bytes.length, reason: 'secure mode: encrypted (no key given)' });
      continue;
    }
    // A run inside the frame before the gap (its preamble told its length) is that frame's rest.
    start = Math.max(start, Math.min(frameEnd - run.offset, run.bytes.length));
    const secure = session.mode === 'secure';
    const { frames, problems, tail, stop } = walkCrcFrames(run, start, {
      expect: (tag) => !(secure && dir === 'to-server') || CLIENT_PLAIN.has(tag),
      until: (f) => {
        if (f.tag !== Tag.AUTH_DONE || f.crc !== 'ok') return false;
        session.mode = decodeAuthDone(f.segments[0]!).conMode === ConMode.SECURE ? 'secure' : 'crc';
        return session.mode === 'secure';
      },
      stopAtUnproven: secure,
    });
    session.frames.push(...frames.map((f) => ({ ...f, dir })));
    const last = frames[frames.length - 1];
    if (last) frameEnd = last.offset + last.length;
    // Before the first proven preamble of a capture that started late: a frame's tail, not an
    // error; after a gap, the rest of a frame whose start the capture lost.
    const late = i === 0 && !fromStart;
    const head = start === 0 && (late || i > 0);
    session.spans.push(
      ...problems.map((p) =>
        !head || p.offset !== run.offset
          ? { ...p, dir, kind: 'not-a-frame' as const }
          : late
            ? { ...p, dir, kind: 'mid-frame-start' as const, reason: 'the capture starts inside a frame' }
            : { ...p, dir, kind: 'incomplete' as const, reason: 'the rest of a frame whose start is not in the capture; resynchronised at the next proven preamble' },
      ),
    );
    if (tail) session.spans.push({ ...tail, dir, kind: 'incomplete' });
    // Stopped before the run's end: only a limit does that, at the switch to secure mode (after
    // AUTH_DONE, or at the client's first frame that is not a plaintext handshake frame).
    if (stop < run.bytes.length && session.mode === 'secure') {
      plainOver = true;
      session.spans.push({ dir, kind: 'encrypted', offset: run.offset + stop, length: run.bytes.length - stop, reason: 'secure mode: encrypted (no key given)' });
    }
  }
}
