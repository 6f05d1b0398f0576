// A rados-ts trace file (src/trace/trace-file.ts) made of real frames: librados' mon and OSD
// sessions of fixtures/capture, each a connection, the client's frames as sent ('tx') and the
// daemon's as received ('rx'), written through the recorder's own FrameRecordWriter.
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';
import { TRACE_MAGIC } from '../../protocol/trace/trace-records.ts';
import { FrameRecordWriter } from '../../src/trace/frame-record-writer.ts';
import { traceEncoder } from '../../src/trace/trace-file.ts';
import { fixture, parseSession } from './parse-session.ts';

/** The trace file, and how many frame records it holds. */
export async function capturedTraceFile(): Promise<{ bytes: Uint8Array; frames: number }> {
  const w = new FrameRecordWriter();
  let t = 0;
  let frames = 0;
  for (const [c, name, peer] of [
    [1, 'rados-mon', '127.0.0.1:3300'],
    [2, 'rados-osd', '127.0.0.1:6800'],
  ] as const) {
    const tx = (await parseSession(fixture(`${name}.client.bin`))).frames;
    const rx = (await parseSession(fixture(`${name}.server.bin`))).frames;
    for (let i = 0; i < Math.max(tx.length, rx.length); i++) {
      for (const [d, f] of [
        ['tx', tx[i]],
        ['rx', rx[i]],
      ] as const) {
        if (!f) continue;
        w.append({ t: (t += 1000), c, d, p: peer, m: 'crc', g: f.frame.tag }, f.frame.segments);
        frames++;
      }
    }
  }
  const encode = await traceEncoder();
  return {
    bytes: concatBytes([TRACE_MAGIC, encode({ format: 'rados-ts-trace', version: 1, startedMs: 1_764_000_000_000, entity: 'client.admin', secrets: true }), ...w.take()]),
    frames,
  };
}
