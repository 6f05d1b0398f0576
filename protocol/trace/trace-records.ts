// The records of a rados-ts trace file (what `Rados.connect({ trace })` writes): their shapes and
// the file's magic. Pure: src/trace/trace-file.ts packs and unpacks them with msgpackr.

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
  /** Whether authentication payloads and key-carrying command data were kept (`traceSecrets`); otherwise they are left out. */
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
  /**
   * The segments; an authentication frame's are empty (a MESSAGE keeps its header) unless secrets
   * were kept, with `r` set; a key-carrying monitor command keeps all but its data segment, which
   * is empty, with `r` set.
   */
  s: Uint8Array[];
  /** Set when segments were left out: the original lengths of all of them. */
  r?: number[];
}

/** A trace file read back. */
export interface TraceContents {
  /** The first record: who recorded it, when, and whether secrets were kept. */
  header: TraceHeader;
  /** Every frame, in the order they were recorded. */
  frames: TraceFrame[];
  /** The file ends inside a record (the client stopped mid-write): the records before it are kept. */
  truncated: boolean;
  /** Bytes from the file's start (magic included) through the last whole record. */
  wholeBytes: number;
}

/** Whether bytes start like a trace file. */
export function isTraceFile(bytes: Uint8Array): boolean {
  return bytes.length >= TRACE_MAGIC.length && TRACE_MAGIC.every((b, i) => bytes[i] === b);
}
