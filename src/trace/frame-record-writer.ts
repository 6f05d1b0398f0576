// Frame records written straight into large buffers as msgpack (the trace file's format, which
// msgpackr reads back: trace-file.ts), without msgpackr on this path. Packing each record with
// msgpackr cost three copies of every segment (into its buffer, out of it, into the flushed
// chunk) and the garbage of each; here a segment is copied once, into the current slab, and no
// record allocates a buffer of its own (a peer is encoded once). Measured in the
// README (Debugging the wire).
// Layout per record (msgpack spec): a map of 7 or 8 entries, keys as fixstr in a fixed order:
// t float64 (ns since the header's start, an integer < 2^53), c uint32, d fixstr, p str8,
// m fixstr, g positive fixint or uint8, s array of bin32, r array of uint32 (left-out lengths).
import type { TraceFrame } from '../../protocol/trace/trace-records.ts';

/** Bytes in a slab; a record larger than that gets a slab of its own size. */
const SLAB_BYTES = 256 << 10;
const utf8 = new TextEncoder();
/** msgpack fixstr of a one-letter key. */
const key = (k: string): number[] => [0xa1, k.charCodeAt(0)];
const KEY = { t: key('t'), c: key('c'), d: key('d'), p: key('p'), m: key('m'), g: key('g'), s: key('s'), r: key('r') };
const FIXSTR: Record<string, Uint8Array> = Object.fromEntries(['tx', 'rx', 'crc', 'secure'].map((v) => [v, Uint8Array.from([0xa0 | v.length, ...utf8.encode(v)])]));

/** Appends frame records to slabs; `take()` hands over the filled part for writing. */
export class FrameRecordWriter {
  #slab = new Uint8Array(SLAB_BYTES);
  #view = new DataView(this.#slab.buffer);
  #at = 0;
  #full: Uint8Array[] = [];
  /** Bytes in #full: `size` is read after every record, so it is kept rather than summed. */
  #fullBytes = 0;
  readonly #peers = new Map<string, Uint8Array>();

  /** Bytes appended since the last take(). */
  get size(): number {
    return this.#fullBytes + this.#at;
  }

  /** Appends one record: `segments` are copied (the caller may reuse them), `leftOut` lists the lengths of segments not kept. */
  append(r: Omit<TraceFrame, 's' | 'r'>, segments: readonly Uint8Array[], leftOut?: readonly number[]): void {
    const peer = this.#peer(r.p);
    let need = 1 + 2 + 9 + 2 + 5 + 2 + 3 + 2 + peer.length + 2 + 7 + 2 + 2 + 5;
    for (const s of segments) need += 5 + s.length;
    if (leftOut) need += 2 + 5 + 5 * leftOut.length;
    this.#room(need);
    const b = this.#slab;
    const v = this.#view;
    let at = this.#at;
    b[at++] = 0x80 | (leftOut ? 8 : 7);
    b.set(KEY.t, at);
    at += 2;
    b[at] = 0xcb;
    v.setFloat64(at + 1, r.t);
    at += 9;
    b.set(KEY.c, at);
    at += 2;
    b[at] = 0xce;
    v.setUint32(at + 1, r.c);
    at += 5;
    b.set(KEY.d, at);
    b.set(FIXSTR[r.d]!, at + 2);
    at += 5;
    b.set(KEY.p, at);
    b.set(peer, at + 2);
    at += 2 + peer.length;
    b.set(KEY.m, at);
    b.set(FIXSTR[r.m]!, at + 2);
    at += 2 + FIXSTR[r.m]!.length;
    b.set(KEY.g, at);
    at += 2;
    if (r.g < 0x80) b[at++] = r.g;
    else {
      b[at] = 0xcc;
      b[at + 1] = r.g;
      at += 2;
    }
    b.set(KEY.s, at);
    at += 2;
    at = arrayHeader(v, at, segments.length);
    for (const s of segments) {
      b[at] = 0xc6;
      v.setUint32(at + 1, s.length);
      b.set(s, at + 5);
      at += 5 + s.length;
    }
    if (leftOut) {
      b.set(KEY.r, at);
      at += 2;
      at = arrayHeader(v, at, leftOut.length);
      for (const n of leftOut) {
        b[at] = 0xce;
        v.setUint32(at + 1, n);
        at += 5;
      }
    }
    this.#at = at;
  }

  /** The records appended since the last call, as chunks to write in order. */
  take(): Uint8Array[] {
    const out = this.#full;
    if (this.#at > 0) {
      out.push(this.#slab.subarray(0, this.#at));
      this.#fresh(SLAB_BYTES);
    }
    this.#full = [];
    this.#fullBytes = 0;
    return out;
  }

  #peer(p: string): Uint8Array {
    let e = this.#peers.get(p);
    if (!e) {
      const bytes = utf8.encode(p).subarray(0, 255);
      e = Uint8Array.from([0xd9, bytes.length, ...bytes]);
      this.#peers.set(p, e);
    }
    return e;
  }

  /** Makes room for `n` bytes: the current slab goes to the full list when it lacks them. */
  #room(n: number): void {
    if (this.#at + n <= this.#slab.length) return;
    if (this.#at > 0) {
      this.#full.push(this.#slab.subarray(0, this.#at));
      this.#fullBytes += this.#at;
    }
    this.#fresh(Math.max(SLAB_BYTES, n));
  }

  #fresh(size: number): void {
    this.#slab = new Uint8Array(size);
    this.#view = new DataView(this.#slab.buffer);
    this.#at = 0;
  }
}

/** A msgpack array header (fixarray up to 15 entries, else array16). */
function arrayHeader(v: DataView, at: number, n: number): number {
  if (n < 16) {
    v.setUint8(at, 0x90 | n);
    return at + 1;
  }
  v.setUint8(at, 0xdc);
  v.setUint16(at + 1, n);
  return at + 3;
}
