// The trace file `Rados.connect({ trace })` writes and `rados-ts trace decode` reads: the 8 bytes
// "RTSTRACE", then msgpack records (msgpackr, the design card's package) one after another: a
// header, then one record per frame. msgpack because a frame record round-trips ~6× faster than
// JSON with base64 (README, Dependencies) and keeps segments as raw bytes.
// msgpackr is loaded only when a trace is written or read: at import it reads the environment
// (its native-acceleration switch), which Deno refuses without --allow-env.
import type { Packr as PackrType } from 'msgpackr';
import { checkTraceFrame, checkTraceHeader } from '../../protocol/trace/check-trace-records.ts';
import { TraceFormatError } from '../../protocol/trace/trace-format-error.ts';
import { isTraceFile, TRACE_MAGIC, type TraceContents, type TraceFrame, type TraceHeader } from '../../protocol/trace/trace-records.ts';

export { isTraceFile, TRACE_MAGIC, TraceFormatError, type TraceContents, type TraceFrame, type TraceHeader };

/** Encodes trace records (loads msgpackr on first use). */
export async function traceEncoder(): Promise<(record: TraceHeader | TraceFrame) => Uint8Array> {
  const { Packr } = await import('msgpackr');
  const packr: PackrType = new Packr({ useRecords: false });
  // A copy: msgpackr reuses its output buffer.
  return (record) => Uint8Array.prototype.slice.call(packr.pack(record));
}

/**
 * A trace file's header and frames; a file cut inside a record keeps the records before it. A file
 * that is not a trace, or holds a damaged record, is refused with a TraceFormatError saying where.
 */
export async function readTraceFile(bytes: Uint8Array): Promise<TraceContents> {
  if (!isTraceFile(bytes)) throw new TraceFormatError('not a rados-ts trace file (no RTSTRACE magic)');
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
  } catch (e) {
    // msgpackr marks an error at the end of the bytes as incomplete: the client stopped mid-write.
    if (!(e as { incomplete?: boolean }).incomplete) {
      throw new TraceFormatError(`rados-ts trace record ${records.length} (at byte ${wholeBytes}) is not msgpack: ${(e as Error).message}`);
    }
    truncated = true;
  }
  const [first, ...rest] = records;
  const header = checkTraceHeader(first);
  const frames = rest.map((r, i) => {
    const f = checkTraceFrame(r, i + 1);
    // Node's msgpackr gives Buffers: plain Uint8Array views for the pure decoder.
    return { ...f, s: f.s.map((x) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) };
  });
  return { header, frames, truncated, wholeBytes };
}
