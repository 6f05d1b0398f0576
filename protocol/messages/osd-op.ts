// MOSDOp v8, compat 3 (src/messages/MOSDOp.h encode_payload): the fields decoded up front
// (spg_t, raw hash, epoch, flags, reqid, trace) then the rest; op inputs ride in the data
// segment, one slice per op (OSDOp::merge_osd_op_vector_in_data). v9 (peers with SERVER_SQUID,
// e.g. Tentacle's librados) adds an OpenTelemetry span context after the blkin trace; we send v8
// (we do not advertise SERVER_SQUID) and decode both, so captures of newer clients read whole.
import { DecodeError } from '../encoding/decode-error.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeObjectLocator, encodeObjectLocator, type ObjectLocator } from '../types/object-locator.ts';
import { decodeOsdReqId, encodeOsdReqId, type OsdReqId } from '../types/osd-reqid.ts';
import { decodeSpgT, encodeSpgT, type SpgT } from '../types/pg.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';
import { decodeOsdOpHead, encodeOsdOpHead, type OsdOpHead } from './osd-op-struct.ts';

export const MOSD_OP = { type: 42, version: 8, compatVersion: 3 } as const;

export interface BlkinTrace {
  traceId: bigint;
  spanId: bigint;
  parentSpanId: bigint;
}

/**
 * jspan_context as src/common/tracer.h encodes it: ENCODE_START(1,1), bool is_valid, and when
 * valid the 16-byte trace id, 8-byte span id and a u8 of trace flags.
 */
export interface OtelTrace {
  valid: boolean;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  flags?: number;
}

export interface OsdOpMessage {
  pgid: SpgT;
  hash: number;
  epoch: number;
  flags: number;
  reqid: OsdReqId;
  trace: BlkinTrace;
  clientInc: number;
  mtime: UTime;
  locator: ObjectLocator;
  oid: string;
  ops: OsdOpHead[];
  snapId: bigint;
  snapSeq: bigint;
  snaps: bigint[];
  retryAttempt: number;
  features: bigint;
  /** v9 only. */
  otelTrace?: OtelTrace;
}

function encodeOtelTrace(w: Writer, t: OtelTrace): void {
  w.struct(1, 1, (w) => {
    w.bool(t.valid);
    if (t.valid) w.bytes(t.traceId!).bytes(t.spanId!).u8(t.flags!);
  });
}

function decodeOtelTrace(r: Reader): OtelTrace {
  return r.struct('MOSDOp.otel_trace', 1, (r) => {
    const valid = r.bool('MOSDOp.otel_trace.is_valid');
    if (!valid) return { valid };
    return { valid, traceId: r.bytes(16, 'MOSDOp.otel_trace.trace_id').slice(), spanId: r.bytes(8, 'MOSDOp.otel_trace.span_id').slice(), flags: r.u8('MOSDOp.otel_trace.flags') };
  });
}

export function encodeOsdOp(m: OsdOpMessage): Uint8Array {
  const w = new Writer(256 + m.oid.length + m.ops.length * 38);
  encodeSpgT(w, m.pgid);
  w.u32(m.hash).u32(m.epoch).u32(m.flags);
  encodeOsdReqId(w, m.reqid);
  const t = m.trace;
  w.u64(t.traceId).u64(t.spanId).u64(t.parentSpanId);
  if (m.otelTrace) encodeOtelTrace(w, m.otelTrace);
  w.u32(m.clientInc);
  encodeUtime(w, m.mtime);
  encodeObjectLocator(w, m.locator);
  w.string(m.oid);
  w.u16(m.ops.length);
  for (const op of m.ops) encodeOsdOpHead(w, op);
  w.u64(m.snapId).u64(m.snapSeq);
  w.array(m.snaps, (w, s) => w.u64(s));
  w.i32(m.retryAttempt).u64(m.features);
  return w.finish();
}

/** Decodes a MOSDOp front of header version 8 or 9 (the message header says which). */
export function decodeOsdOp(front: Uint8Array, version = 8): OsdOpMessage {
  if (version !== 8 && version !== 9) throw new DecodeError('MOSDOp', 0, `header version ${version} (we decode 8 and 9)`);
  const r = new Reader(front);
  const pgid = decodeSpgT(r, 'MOSDOp.pgid');
  const hash = r.u32('MOSDOp.hash');
  const epoch = r.u32('MOSDOp.osdmap_epoch');
  const flags = r.u32('MOSDOp.flags');
  const reqid = decodeOsdReqId(r, 'MOSDOp.reqid');
  const trace = { traceId: r.u64('MOSDOp.trace'), spanId: r.u64('MOSDOp.trace'), parentSpanId: r.u64('MOSDOp.trace') };
  const otelTrace = version === 9 ? decodeOtelTrace(r) : undefined;
  const clientInc = r.u32('MOSDOp.client_inc');
  const mtime = decodeUtime(r, 'MOSDOp.mtime');
  const locator = decodeObjectLocator(r, 'MOSDOp.oloc');
  const oid = r.string('MOSDOp.oid');
  const n = r.u16('MOSDOp.num_ops');
  if (n * 38 > r.remaining) r.fail('MOSDOp.num_ops', `${n} ops cannot fit in ${r.remaining} bytes`);
  const ops: OsdOpHead[] = [];
  for (let i = 0; i < n; i++) ops.push(decodeOsdOpHead(r));
  const snapId = r.u64('MOSDOp.snapid');
  const snapSeq = r.u64('MOSDOp.snap_seq');
  const snaps = r.array('MOSDOp.snaps', (r) => r.u64('snap'), 8);
  const retryAttempt = r.i32('MOSDOp.retry_attempt');
  const features = r.u64('MOSDOp.features');
  return { pgid, hash, epoch, flags, reqid, trace, clientInc, mtime, locator, oid, ops, snapId, snapSeq, snaps, retryAttempt, features, ...(otelTrace ? { otelTrace } : {}) };
}
