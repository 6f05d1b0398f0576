// The trace file `Rados.connect({ trace })` writes and `rados-ts trace decode` reads: the 8 bytes
// "RTSTRACE", then msgpack records (msgpackr, the design card's package) one after another: a
// header, then one record per frame. msgpack because a frame record round-trips ~6× faster than
// JSON with base64 (README, Dependencies) and keeps segments as raw bytes.
// msgpackr is loaded only when a trace is written or read: at import it reads the environment
// (its native-acceleration switch), which Deno refuses without --allow-env.
import type { Packr as PackrType } from 'msgpackr';

/** The file's first 8 bytes. */
export const TRACE_MAGIC: Uint8Array = new TextEncoder().encode('RTSTRACE');

/** The first record. */
export interface TraceHeader {
  /** Always 'rados-ts-trace'. */
  format: 'rados-ts-trace';
  /** The record layout's version; this reader knows 1. */
  version: 1;
  /** When the trace started, milliseconds since the Unix epoch; frame times count from here. */
  startedMs: number;
  /** Our entity name (client.admin). */
  entity: string;
  /** Whether authentication payloads were kept (`traceSecrets`); otherwise they are left out. */
  secrets: boolean;
}

/** One frame, as the hook saw it (after decryption in secure mode). */
export interface TraceFrame {
  /** Nanoseconds since the header's startedMs. */
  t: number;
  /** The connection's number within the client (FrameEvent.connection). */
  c: number;
  /** 'tx' sent by us, 'rx' received. */
  d: 'tx' | 'rx';
  /** The peer, "host:port". */
  p: string;
  /** The connection mode. */
  m: 'crc' | 'secure';
  /** The frame tag. */
  g: number;
  /** The segments; an authentication frame's are empty unless secrets were kept, with `r` set. */
  s: Uint8Array[];
  /** Set when the segments were left out: their original lengths. */
  r?: number[];
}

/** Encodes trace records (loads msgpackr on first use). */
export async function traceEncoder(): Promise<(record: TraceHeader | TraceFrame) => Uint8Array> {
  const { Packr } = await import('msgpackr');
  const packr: PackrType = new Packr({ useRecords: false });
  // A copy: msgpackr reuses its output buffer.
  return (record) => Uint8Array.prototype.slice.call(packr.pack(record));
}

/** Whether bytes start like a trace file. */
export function isTraceFile(bytes: Uint8Array): boolean {
  return bytes.length >= TRACE_MAGIC.length && TRACE_MAGIC.every((b, i) => bytes[i] === b);
}

/** A trace file read back. */
export interface TraceContents {
  /** The first record: who recorded it, when, and whether secrets were kept. */
  header: TraceHeader;
  /** Every frame, in the order they were recorded. */
  frames: TraceFrame[];
  /** The file ends inside a record (the client stopped mid-write): the records before it are kept. */
  truncated: boolean;
}

/** A trace file's header and frames; a file cut inside a record keeps the records before it. */
export async function readTraceFile(bytes: Uint8Array): Promise<TraceContents> {
  if (!isTraceFile(bytes)) throw new TypeError('not a rados-ts trace file (no RTSTRACE magic)');
  const { Unpackr } = await import('msgpackr');
  const unpackr = new Unpackr({ useRecords: false });
  const records: unknown[] = [];
  let truncated = false;
  try {
    unpackr.unpackMultiple(bytes.subarray(TRACE_MAGIC.length), (r: unknown) => {
      records.push(r);
    });
  } catch {
    truncated = true; // msgpackr stops at the first incomplete record
  }
  // Untrusted input: check the header's shape before trusting the type.
  const [first, ...frames] = records as [unknown, ...TraceFrame[]];
  const header = first as Partial<TraceHeader> | undefined;
  if (header?.format !== 'rados-ts-trace') throw new TypeError('rados-ts trace file without its header record');
  if (header.version !== 1) throw new TypeError(`rados-ts trace version ${String(header.version)} (this reader knows 1)`);
  return { header: header as TraceHeader, frames: frames.map((f) => ({ ...f, s: f.s.map((x) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) })), truncated };
}
