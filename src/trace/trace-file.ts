// The trace file `Rados.connect({ trace })` writes and `rados-ts trace decode` reads: the 8 bytes
// "RTSTRACE", then msgpack records (msgpackr, the design card's package) one after another: a
// header, then one record per frame. msgpack because a frame record round-trips ~6× faster than
// JSON with base64 (README, Dependencies) and keeps segments as raw bytes.
// msgpackr is loaded only when a trace is written or read: at import it reads the environment
// (its native-acceleration switch), which Deno refuses without --allow-env.
import type { Packr as PackrType } from 'msgpackr';
import { isTraceFile, TRACE_MAGIC, type TraceContents, type TraceFrame, type TraceHeader } from '../../protocol/trace/trace-records.ts';

export { isTraceFile, TRACE_MAGIC, type TraceContents, type TraceFrame, type TraceHeader };

/** Encodes trace records (loads msgpackr on first use). */
export async function traceEncoder(): Promise<(record: TraceHeader | TraceFrame) => Uint8Array> {
  const { Packr } = await import('msgpackr');
  const packr: PackrType = new Packr({ useRecords: false });
  // A copy: msgpackr reuses its output buffer.
  return (record) => Uint8Array.prototype.slice.call(packr.pack(record));
}

/** A trace file's header and frames; a file cut inside a record keeps the records before it. */
export async function readTraceFile(bytes: Uint8Array): Promise<TraceContents> {
  if (!isTraceFile(bytes)) throw new TypeError('not a rados-ts trace file (no RTSTRACE magic)');
  const { Unpackr } = await import('msgpackr');
  const unpackr = new Unpackr({ useRecords: false });
  const records: unknown[] = [];
  let truncated = false;
  let wholeBytes = TRACE_MAGIC.length;
  try {
    unpackr.unpackMultiple(bytes.subarray(TRACE_MAGIC.length), (r: unknown, _start?: number, end?: number) => {
      records.push(r);
      if (end !== undefined) wholeBytes = TRACE_MAGIC.length + end;
    });
  } catch {
    truncated = true; // msgpackr stops at the first incomplete record
  }
  // Untrusted input: check the header's shape before trusting the type.
  const [first, ...frames] = records as [unknown, ...TraceFrame[]];
  const header = first as Partial<TraceHeader> | undefined;
  if (header?.format !== 'rados-ts-trace') throw new TypeError('rados-ts trace file without its header record');
  if (header.version !== 1) throw new TypeError(`rados-ts trace version ${String(header.version)} (this reader knows 1)`);
  return { header: header as TraceHeader, frames: frames.map((f) => ({ ...f, s: f.s.map((x) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) })), truncated, wholeBytes };
}
