// Per-session summary of a decoded capture (`rados-ts trace decode --stats`): what was sent, how
// much, how fast replies came back, and what went wrong.
import type { CaptureTrace } from './decode-capture.ts';

/** One session's numbers. */
export interface SessionStats {
  session: number;
  client: string;
  server: string;
  mode: 'crc' | 'secure' | 'unknown';
  /** Frames by direction, and wire bytes of those frames. */
  frames: { toServer: number; toClient: number };
  bytes: { toServer: number; toClient: number };
  /** Messages by Ceph type name (MOSDOp, MMonCommand, …). */
  messages: Record<string, number>;
  /** Request → reply latency over the replies matched to a request, in milliseconds. */
  latency: { count: number; p50Ms: number | undefined; p99Ms: number | undefined; maxMs: number | undefined };
  /** Replies with a negative result, frames whose crc or tag did not verify, unreadable bytes. */
  errors: { negativeResults: number; badFrames: number; unreadableBytes: number };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Summarises each session of a trace. */
export function traceStats(t: CaptureTrace): SessionStats[] {
  return t.sessions.map((s) => {
    const events = t.events.filter((e) => e.session === s.id);
    const messages: Record<string, number> = {};
    const latencies: number[] = [];
    const st: SessionStats = {
      session: s.id,
      client: s.client,
      server: s.server,
      mode: s.mode,
      frames: { toServer: 0, toClient: 0 },
      bytes: { toServer: 0, toClient: 0 },
      messages,
      latency: { count: 0, p50Ms: undefined, p99Ms: undefined, maxMs: undefined },
      errors: { negativeResults: 0, badFrames: 0, unreadableBytes: 0 },
    };
    for (const e of events) {
      const side = e.dir === 'to-server' ? 'toServer' : 'toClient';
      st.frames[side]++;
      st.bytes[side] += e.length;
      if (e.crc !== 'ok') st.errors.badFrames++;
      if (e.message) messages[e.message.type] = (messages[e.message.type] ?? 0) + 1;
      if (e.latencyNs !== undefined) latencies.push(Number(e.latencyNs) / 1e6);
      const result = e.fields['result'];
      if (typeof result === 'number' && result < 0) st.errors.negativeResults++;
    }
    for (const x of t.spans) if (x.session === s.id && x.kind !== 'mid-frame-start') st.errors.unreadableBytes += x.length;
    latencies.sort((a, b) => a - b);
    st.latency = { count: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1] };
    return st;
  });
}
