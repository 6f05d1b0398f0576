// The hand-written frame records read back through msgpackr (what readTraceFile uses) as the
// records they were made from: every field, segments of every size (a record larger than a slab,
// 16+ segments for array16), left-out lengths, tags past the positive fixint range.
import { describe, expect, it } from 'vitest';
import { FrameRecordWriter } from './frame-record-writer.ts';
import { readTraceFile, traceEncoder } from './trace-file.ts';
import { TRACE_MAGIC, type TraceFrame } from '../../protocol/trace/trace-records.ts';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

const records: TraceFrame[] = [
  { t: 0, c: 1, d: 'tx', p: '127.0.0.1:3300', m: 'crc', g: 1, s: [bytes(26, 1)] },
  { t: 1_234_567, c: 1, d: 'rx', p: '127.0.0.1:3300', m: 'secure', g: 17, s: [bytes(50, 2), bytes(0, 0), bytes(4096, 3), bytes(0, 0)] },
  { t: 2 ** 52 + 1, c: 4_000_000_000, d: 'tx', p: '[::1]:6800', m: 'secure', g: 200, s: [] },
  { t: 99, c: 2, d: 'rx', p: '10.0.0.1:6801', m: 'crc', g: 2, s: [bytes(53, 4)], r: [53, 700, 0, 0] },
  { t: 100, c: 2, d: 'tx', p: '10.0.0.1:6801', m: 'crc', g: 3, s: [], r: [174] },
  { t: 101, c: 3, d: 'tx', p: '10.0.0.2:6802', m: 'crc', g: 17, s: Array.from({ length: 17 }, (_, i) => bytes(i * 3, i)) },
  { t: 102, c: 3, d: 'tx', p: '10.0.0.2:6802', m: 'crc', g: 17, s: [bytes(600_000, 5)] }, // larger than a slab
];

async function roundTrip(write: (w: FrameRecordWriter) => void): Promise<TraceFrame[]> {
  const w = new FrameRecordWriter();
  write(w);
  const encode = await traceEncoder();
  const parts = [TRACE_MAGIC, encode({ format: 'rados-ts-trace', version: 1, startedMs: 1, entity: 'client.admin', secrets: false }), ...w.take()];
  const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    file.set(p, at);
    at += p.length;
  }
  const t = await readTraceFile(file);
  expect(t.truncated).toBe(false);
  expect(t.wholeBytes).toBe(file.length);
  return t.frames;
}

const plain = (f: TraceFrame): unknown => ({ ...f, s: f.s.map((x) => [...x]) });

describe('frame records written without msgpackr', () => {
  it('read back through msgpackr as the records they were made from', async () => {
    const back = await roundTrip((w) => {
      for (const { s, r, ...rest } of records) w.append(rest, s, r);
    });
    expect(back.map(plain)).toEqual(records.map(plain));
  });

  it('copies segments: a caller reusing its buffer after append does not change the record', async () => {
    const buf = bytes(64, 9);
    const before = [...buf];
    const back = await roundTrip((w) => {
      w.append({ t: 1, c: 1, d: 'tx', p: 'a:1', m: 'crc', g: 17 }, [buf]);
      buf.fill(0);
    });
    expect([...back[0]!.s[0]!]).toEqual(before);
  });

  it('counts what it holds until taken', () => {
    const w = new FrameRecordWriter();
    expect(w.size).toBe(0);
    w.append({ t: 1, c: 1, d: 'tx', p: 'a:1', m: 'crc', g: 17 }, [bytes(1000, 1)]);
    const size = w.size;
    expect(size).toBeGreaterThan(1000);
    expect(w.take().reduce((n, p) => n + p.length, 0)).toBe(size);
    expect(w.size).toBe(0);
    expect(w.take()).toEqual([]);
  });
});
