// A rados-ts trace file's records (trace-records.ts) read as a capture: each connection number a
// session, each record a frame described by the same code as a capture's (session-events.ts).
// The recorder saw frames after decryption and checks, so every frame reads and none is "lost";
// offsets count the recorded bytes of each direction (the wire's preambles and tags are not kept).
import type { CaptureTrace } from './decode-capture.ts';
import { sessionEvents } from './session-events.ts';
import type { SessionFrame, TracedSession } from './trace-session.ts';
import type { TraceContents } from './trace-records.ts';

/** The trace as sessions and events, in the shape `decodeCapture` gives a capture. */
export function decodeTraceRecords(contents: TraceContents): CaptureTrace {
  const { header, frames } = contents;
  const t0 = BigInt(Math.round(header.startedMs)) * 1_000_000n;
  const sessions = new Map<number, TracedSession>();
  const offsets = new Map<string, number>();
  for (const r of frames) {
    let s = sessions.get(r.c);
    if (!s) {
      s = { id: r.c, client: header.entity, server: r.p, banners: {}, mode: r.m, frames: [], spans: [], streamLength: { 'to-server': 0, 'to-client': 0 } };
      sessions.set(r.c, s);
    }
    const dir = r.d === 'tx' ? 'to-server' : 'to-client';
    const length = (r.r ?? r.s.map((x) => x.length)).reduce((a, b) => a + b, 0);
    const key = `${r.c}:${dir}`;
    const offset = offsets.get(key) ?? 0;
    offsets.set(key, offset + length);
    s.streamLength[dir] = offset + length;
    const frame: SessionFrame = {
      dir,
      offset,
      length,
      timeNs: t0 + BigInt(Math.round(r.t)),
      tag: r.g,
      segments: r.s,
      crc: 'ok',
      aborted: false,
      ...(r.m === 'secure' ? { decrypted: true } : {}),
      ...(r.r ? { leftOut: r.r } : {}),
    };
    s.frames.push(frame);
    if (r.m !== s.mode) s.mode = r.m; // the handshake's frames come before the mode is known
  }
  const list = [...sessions.values()];
  const events = list.flatMap(sessionEvents);
  events.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : a.session - b.session));
  return {
    format: 'rados-ts-trace',
    packets: frames.length,
    sessions: list,
    events,
    spans: [],
    secure: [],
    otherConnections: 0,
    ...(contents.truncated
      ? { truncated: { atOffset: contents.wholeBytes, reason: 'the file ends inside a record (the client stopped mid-write); the records before it are read' } }
      : {}),
  };
}
