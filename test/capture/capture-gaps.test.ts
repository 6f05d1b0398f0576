// Bytes a capture lost in a crc-mode session (fixtures/capture: librados' own mon and OSD
// sessions, Pacific): wherever the gap falls (inside a frame's first 32 bytes, inside a segment,
// over whole frames), the frames before it read as before, the frame it cuts is reported cut, and
// every frame after it is decoded exactly as in the whole stream; no byte goes unmentioned.
import { describe, expect, it } from 'vitest';
import type { HalfStream, TcpConnection } from '../../protocol/capture/tcp-streams.ts';
import type { CaptureTrace } from '../../protocol/trace/decode-capture.ts';
import { traceSession, type TracedSession } from '../../protocol/trace/trace-session.ts';
import { accountedFor } from './accounted-for.ts';
import { fixture } from './parse-session.ts';

/** One direction as a capture with `gap` (start, end) missing, each side of it one packet. */
function half(bytes: Uint8Array, gap?: [number, number]): HalfStream {
  const whole = { from: 'c', to: 's', length: bytes.length, fromStart: true, end: 'fin' as const, duplicateBytes: 0 };
  if (!gap) return { ...whole, chunks: [{ offset: 0, data: bytes, timeNs: 1n, packet: 0 }], gaps: [] };
  const [from, to] = gap;
  return {
    ...whole,
    chunks: [{ offset: 0, data: bytes.subarray(0, from), timeNs: 1n, packet: 0 }, ...(to < bytes.length ? [{ offset: to, data: bytes.subarray(to), timeNs: 2n, packet: 1 }] : [])],
    gaps: [{ offset: from, length: to - from }],
  };
}

type Dir = 'to-server' | 'to-client';

function session(name: string, gapDir?: Dir, gap?: [number, number]): TracedSession {
  const conn: TcpConnection = {
    id: 0,
    client: 'c',
    server: 's',
    toServer: half(fixture(`${name}.client.bin`), gapDir === 'to-server' ? gap : undefined),
    toClient: half(fixture(`${name}.server.bin`), gapDir === 'to-client' ? gap : undefined),
    firstTimeNs: 0n,
  };
  return traceSession(conn)!;
}

const asTrace = (s: TracedSession): CaptureTrace => ({
  format: 'pcap',
  packets: 0,
  sessions: [s],
  events: [],
  spans: s.spans.map((x) => ({ ...x, session: s.id })),
  secure: [],
  otherConnections: 0,
});

const view = (s: TracedSession, dir: Dir): Array<[number, number, number, string, number[]]> =>
  s.frames.filter((f) => f.dir === dir).map((f) => [f.offset, f.length, f.tag, f.crc, f.segments.map((x) => x.length)]);

/** Where to cut: 10 bytes into a frame's preamble, 8 bytes into its segment 0, or exactly its bytes; each gap runs into the next frame. */
const cuts = {
  'inside a preamble (10 of its 32 bytes before the gap)': (f: { offset: number }, next: { offset: number }): [number, number] => [f.offset + 10, next.offset + 7],
  'inside a segment': (f: { offset: number }, next: { offset: number }): [number, number] => [f.offset + 40, next.offset + 3],
  'between frames (one whole frame lost)': (f: { offset: number }, next: { offset: number }): [number, number] => [f.offset, next.offset],
};

describe('crc-mode sessions with bytes the capture lost', () => {
  for (const name of ['rados-osd', 'rados-mon', 'ceph-mon']) {
    for (const dir of ['to-server', 'to-client'] as const) {
      for (const [where, cut] of Object.entries(cuts)) {
        it(`${name} ${dir}, a gap ${where} of each frame: every frame after it decoded`, () => {
          const whole = session(name);
          expect(whole.mode).toBe('crc');
          expect(whole.spans).toEqual([]);
          accountedFor(asTrace(whole));
          const frames = whole.frames.filter((f) => f.dir === dir);
          const other: Dir = dir === 'to-server' ? 'to-client' : 'to-server';
          let tried = 0;
          for (const [k, f] of frames.entries()) {
            const next = frames[k + 1];
            if (!next || f.length <= 44) continue; // a frame with a segment to cut into, and one after it
            const gap = cut(f, next);
            const s = session(name, dir, gap);
            const at = `gap ${gap[0]}..${gap[1]}`;
            expect(view(s, other), at).toEqual(view(whole, other));
            const mine = view(s, dir);
            const before = view(whole, dir).filter((x) => x[0] + x[1] <= gap[0]);
            const after = view(whole, dir).filter((x) => x[0] >= gap[1]);
            expect(mine.slice(0, before.length), at).toEqual(before);
            expect(mine.slice(mine.length - after.length), at).toEqual(after);
            // The frame the gap cuts: reported with its length when its preamble was captured.
            const cutFrames = mine.slice(before.length, mine.length - after.length);
            expect(cutFrames, at).toEqual(gap[0] - f.offset >= 32 ? [[f.offset, f.length, f.tag, 'incomplete', expect.any(Array)]] : []);
            expect(
              s.spans.filter((x) => x.kind === 'encrypted' || x.kind === 'not-a-frame'),
              at,
            ).toEqual([]);
            expect(
              s.spans.filter((x) => x.kind === 'lost'),
              at,
            ).toEqual([expect.objectContaining({ dir, offset: gap[0], length: gap[1] - gap[0] })]);
            accountedFor(asTrace(s));
            tried++;
          }
          expect(tried).toBeGreaterThanOrEqual(2);
        });
      }
    }
  }

  it('rados-osd: a gap at 548..611 (10 bytes of a preamble before it) loses neither the mode nor the MOSDOp at 765', () => {
    const s = session('rados-osd', 'to-server', [548, 611]);
    expect(s.mode).toBe('crc');
    expect(s.frames.filter((f) => f.dir === 'to-server').map((f) => [f.offset, f.tag, f.crc])).toEqual([
      [26, 1, 'ok'], // HELLO
      [98, 2, 'ok'], // AUTH_REQUEST
      [324, 5, 'ok'], // AUTH_REQUEST_MORE
      [765, 17, 'ok'], // MESSAGE: the MOSDOp
    ]);
    expect(s.spans.map((x) => [x.dir, x.kind, x.offset, x.length])).toEqual([
      ['to-server', 'incomplete', 538, 10],
      ['to-server', 'lost', 548, 63],
      ['to-server', 'incomplete', 611, 154],
    ]);
    expect(s.spans[0]!.reason).toBe("the first 10 bytes of a frame's 32-byte preamble; the rest is not in the capture");
    accountedFor(asTrace(s));
  });

  it('a stream that ends inside a preamble: the tail is reported incomplete, not dropped', () => {
    const bytes = fixture('rados-osd.client.bin');
    const conn: TcpConnection = {
      id: 0,
      client: 'c',
      server: 's',
      toServer: { ...half(bytes.subarray(0, 765 + 20)) },
      toClient: half(fixture('rados-osd.server.bin')),
      firstTimeNs: 0n,
    };
    const s = traceSession(conn)!;
    expect(s.spans.map((x) => [x.dir, x.kind, x.offset, x.length])).toEqual([['to-server', 'incomplete', 765, 20]]);
    accountedFor(asTrace(s));
  });
});
