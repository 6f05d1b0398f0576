import { utf8Encode, utf8Length } from './utf8.ts';

const TWO_32 = 0x1_0000_0000;

/**
 * Writes Ceph's little-endian encoding into a growing Uint8Array.
 * The mirror of {@link Reader}; `finish()` returns the bytes written.
 */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Makes room for `n` more bytes; returns the offset they start at. */
  private reserve(n: number): number {
    const at = this.pos;
    const need = at + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.pos = need;
    return at;
  }

  /** Writes an unsigned 8-bit integer. */
  u8(v: number): this {
    const at = this.reserve(1);
    this.buf[at] = v;
    return this;
  }

  /** Writes a signed 8-bit integer. */
  i8(v: number): this {
    return this.u8(v & 0xff);
  }

  /** Writes a bool as one byte, 1 or 0. */
  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  /** Writes a little-endian unsigned 16-bit integer. */
  u16(v: number): this {
    // reserve() first: it may replace this.view, which the call would otherwise have captured already.
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
    return this;
  }

  /** Writes a little-endian signed 16-bit integer. */
  i16(v: number): this {
    // reserve() first: it may replace this.view, which the call would otherwise have captured already.
    const at = this.reserve(2);
    this.view.setInt16(at, v, true);
    return this;
  }

  /** Writes a little-endian unsigned 32-bit integer. */
  u32(v: number): this {
    // reserve() first: it may replace this.view, which the call would otherwise have captured already.
    const at = this.reserve(4);
    this.view.setUint32(at, v >>> 0, true);
    return this;
  }

  /** Writes a little-endian signed 32-bit integer. */
  i32(v: number): this {
    // reserve() first: it may replace this.view, which the call would otherwise have captured already.
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
    return this;
  }

  /** u64 from a bigint, or from a non-negative integer number (the fast path). */
  u64(v: bigint | number): this {
    const at = this.reserve(8);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64 number out of range: ${v}`);
      this.view.setUint32(at, v % TWO_32, true);
      this.view.setUint32(at + 4, Math.floor(v / TWO_32), true);
    } else {
      this.view.setBigUint64(at, BigInt.asUintN(64, v), true);
    }
    return this;
  }

  /** s64 from a bigint or a safe integer number (negative values as two's complement). */
  i64(v: bigint | number): this {
    const at = this.reserve(8);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError(`s64 number out of range: ${v}`);
      const lo = v % TWO_32;
      this.view.setUint32(at, lo < 0 ? lo + TWO_32 : lo, true);
      this.view.setInt32(at + 4, Math.floor(v / TWO_32), true);
    } else {
      this.view.setBigInt64(at, BigInt.asIntN(64, v), true);
    }
    return this;
  }

  /** Raw bytes, no length prefix. */
  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** Writes `n` zero bytes. */
  zeros(n: number): this {
    const at = this.reserve(n);
    this.buf.fill(0, at, at + n);
    return this;
  }

  /** std::string: le32 length + UTF-8 bytes. */
  string(s: string): this {
    const n = utf8Length(s);
    this.u32(n);
    const at = this.reserve(n);
    if (n === s.length) {
      for (let i = 0; i < n; i++) this.buf[at + i] = s.charCodeAt(i);
    } else {
      this.buf.set(utf8Encode(s), at);
    }
    return this;
  }

  /** bufferlist (or a string given as bytes): le32 length + bytes. */
  blob(b: Uint8Array): this {
    this.u32(b.length);
    return this.bytes(b);
  }

  /** std::vector / std::list: le32 count, then each item written by `elem`. */
  array<T>(items: readonly T[], elem: (w: Writer, item: T) => void): this {
    this.u32(items.length);
    for (const item of items) elem(this, item);
    return this;
  }

  /** std::map from a Map or from pairs, in the order given (callers keep Ceph's sorted order). */
  map<K, V>(entries: ReadonlyMap<K, V> | ReadonlyArray<readonly [K, V]>, key: (w: Writer, k: K) => void, value: (w: Writer, v: V) => void): this {
    this.u32(Array.isArray(entries) ? entries.length : (entries as ReadonlyMap<K, V>).size);
    for (const [k, v] of entries) {
      key(this, k);
      value(this, v);
    }
    return this;
  }

  /** std::optional: u8 0 when undefined, else u8 1 and the value. */
  optional<T>(v: T | undefined, value: (w: Writer, v: T) => void): this {
    if (v === undefined) return this.u8(0);
    this.u8(1);
    value(this, v);
    return this;
  }

  /** `ENCODE_START(version, compat)` … `ENCODE_FINISH`: the le32 length is patched in after `body`. */
  struct(version: number, compat: number, body: (w: Writer) => void): this {
    this.u8(version);
    this.u8(compat);
    const lenAt = this.reserve(4);
    body(this);
    this.view.setUint32(lenAt, this.pos - lenAt - 4, true);
    return this;
  }

  /** Overwrites a le32 at an earlier offset (for lengths known only afterwards). */
  patchU32(at: number, v: number): this {
    this.view.setUint32(at, v >>> 0, true);
    return this;
  }

  /** The bytes written so far, copied into a buffer of exactly that size. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
