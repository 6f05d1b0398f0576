// Trace files that are not whole: a file cut mid-record keeps the records before it; a damaged
// record (bytes that are not msgpack, or a record of the wrong shape) is refused with a
// TraceFormatError that says which record and why, never a crash in the decoder after it. The
// file is made of real frames (test/capture/captured-trace.ts).
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';
import { decodeTraceRecords } from '../../protocol/trace/decode-trace-records.ts';
import { TRACE_MAGIC } from '../../protocol/trace/trace-records.ts';
import { capturedTraceFile } from '../../test/capture/captured-trace.ts';
import { readTraceFile, traceEncoder, TraceFormatError } from './trace-file.ts';

/** A file of the given records after the magic. */
async function fileOf(...records: unknown[]): Promise<Uint8Array> {
  const encode = (await traceEncoder()) as (r: unknown) => Uint8Array;
  return concatBytes([TRACE_MAGIC, ...records.map((r) => encode(r))]);
}
const header = { format: 'rados-ts-trace', version: 1, startedMs: 1, entity: 'client.admin', secrets: false };
const frame = { t: 5, c: 1, d: 'tx', p: '127.0.0.1:3300', m: 'crc', g: 1, s: [new Uint8Array(4)] };

describe('readTraceFile on damaged files', () => {
  it('a whole file of real frames reads and decodes: every frame a MESSAGE or handshake event', async () => {
    const { bytes, frames } = await capturedTraceFile();
    const t = await readTraceFile(bytes);
    expect(t.truncated).toBe(false);
    expect(t.frames.length).toBe(frames);
    const d = decodeTraceRecords(t);
    expect(d.events.length).toBe(frames);
    expect(d.events.filter((e) => e.message?.type === 'MOSDOp').map((e) => e.line)).toEqual([expect.stringMatching(/^osd_op\(client\.\d+\.0:1 2\.0 .*obj1:head \[writefull 0~46/)]);
  });

  it('cut inside a record: the records before it, marked truncated', async () => {
    const { bytes, frames } = await capturedTraceFile();
    const t = await readTraceFile(bytes.subarray(0, bytes.length - 10));
    expect(t.truncated).toBe(true);
    expect(t.frames.length).toBe(frames - 1);
    expect(decodeTraceRecords(t).truncated?.reason).toMatch(/ends inside a record/);
  });

  it('a byte msgpack never uses, in the middle: a TraceFormatError naming the record, not a truncation', async () => {
    const good = await fileOf(header, frame);
    const bad = concatBytes([good, Uint8Array.of(0xc1), (await fileOf(frame)).subarray(TRACE_MAGIC.length)]); // 0xc1: never used in msgpack
    await expect(readTraceFile(bad)).rejects.toThrow(TraceFormatError);
    await expect(readTraceFile(bad)).rejects.toThrow(/^rados-ts trace record 2/);
  });

  it.each([
    ['no magic', () => Promise.resolve(new TextEncoder().encode('RTSTRACX and more')), /no RTSTRACE magic/],
    ['no header record', async () => fileOf(frame), /without its header record/],
    ['an unknown version', async () => fileOf({ ...header, version: 2 }), /version 2 \(this reader knows 1\)/],
    ['a header without its entity', async () => fileOf({ ...header, entity: 7 }), /header: entity is number 7/],
    ['a record that is a number', async () => fileOf(header, frame, 42), /record 2: number 42, not a frame record/],
    ['segments that are not bytes', async () => fileOf(header, { ...frame, s: ['abc'] }), /record 1: s is an array of 1, not a list of segments/],
    ['no segments', async () => fileOf(header, { ...frame, s: undefined }), /record 1: s is missing, not a list of segments/],
    ['a time that is not a number', async () => fileOf(header, { ...frame, t: 'soon' }), /record 1: t is string soon, not a time/],
    ['a direction that is neither', async () => fileOf(header, { ...frame, d: 'up' }), /record 1: d is string up/],
    ['a tag past 255', async () => fileOf(header, { ...frame, g: 300 }), /record 1: g is number 300, not a frame tag/],
    ['left-out lengths that are not counts', async () => fileOf(header, { ...frame, r: [-1] }), /record 1: r is an array of 1/],
  ])('%s: a TraceFormatError saying so', async (_what, make, message) => {
    const p = readTraceFile(await make());
    await expect(p).rejects.toThrow(TraceFormatError);
    await expect(readTraceFile(await make())).rejects.toThrow(message);
  });
});
