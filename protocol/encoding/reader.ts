import { DecodeError } from './decode-error.ts';
import { utf8Decode } from './utf8.ts';

const TWO_32 = 0x1_0000_0000;
/** Largest high word for which hi * 2^32 + lo stays an exact JS number (≤ 2^53). */
const MAX_SAFE_HI = 0x1f_ffff;

/**
 * Reads Ceph's little-endian encoding (src/include/encoding.h, denc.h) from a
 * Uint8Array without copying.
 *
 * Every read is bounded by `limit`, which a versioned struct narrows to its own
 * `struct_len`, so a body can never read into what follows it. Lengths and
 * counts are checked against what is left before anything is allocated: bad
 * input ends in a {@link DecodeError}, never in an out-of-memory or a hang.
 */
export class Reader {
  /** The buffer being read (offsets are absolute into it). */
  readonly buf: Uint8Array;
  private readonly view: DataView;
  /** Absolute offset into `buf` of the next byte to read. */
  offset: number;
  /** Absolute offset one past the last byte this reader may read. */
  private limit: number;

  constructor(buf: Uint8Array, offset = 0, end = buf.length) {
    if (offset < 0 || end > buf.length || offset > end) throw new RangeError('Reader bounds outside the buffer');
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
    this.limit = end;
  }

  /** Bytes left before the current limit (the end, or the end of the struct being read). */
  get remaining(): number {
    return this.limit - this.offset;
  }

  /** Absolute offset one past the last readable byte (a struct body's end while inside one). */
  get end(): number {
    return this.limit;
  }

  /** Throws unless `n` more bytes are readable; returns the offset they start at. */
  need(n: number, field: string): number {
    const at = this.offset;
    if (n > this.limit - at) {
      throw new DecodeError(field, at, `needs ${n} bytes, ${this.limit - at} left`);
    }
    return at;
  }

  /** Throws a DecodeError naming `field` and the offset (the current one by default). */
  fail(field: string, reason: string, offset = this.offset): never {
    throw new DecodeError(field, offset, reason);
  }

  /** Reads an unsigned 8-bit integer; `field` names it in a DecodeError. */
  u8(field = 'u8'): number {
    const at = this.need(1, field);
    this.offset = at + 1;
    return this.buf[at]!;
  }

  /** Reads a signed 8-bit integer. */
  i8(field = 'i8'): number {
    const at = this.need(1, field);
    this.offset = at + 1;
    return this.view.getInt8(at);
  }

  /** Reads a bool: one byte, non-zero is true. */
  bool(field = 'bool'): boolean {
    return this.u8(field) !== 0;
  }

  /** Reads a little-endian unsigned 16-bit integer. */
  u16(field = 'u16'): number {
    const at = this.need(2, field);
    this.offset = at + 2;
    return this.view.getUint16(at, true);
  }

  /** Reads a little-endian signed 16-bit integer. */
  i16(field = 'i16'): number {
    const at = this.need(2, field);
    this.offset = at + 2;
    return this.view.getInt16(at, true);
  }

  /** Reads a little-endian unsigned 32-bit integer. */
  u32(field = 'u32'): number {
    const at = this.need(4, field);
    this.offset = at + 4;
    return this.view.getUint32(at, true);
  }

  /** Reads a little-endian signed 32-bit integer. */
  i32(field = 'i32'): number {
    const at = this.need(4, field);
    this.offset = at + 4;
    return this.view.getInt32(at, true);
  }

  /** Reads a little-endian unsigned 64-bit integer, as a bigint. */
  u64(field = 'u64'): bigint {
    const at = this.need(8, field);
    this.offset = at + 8;
    return this.view.getBigUint64(at, true);
  }

  /** Reads a little-endian signed 64-bit integer, as a bigint. */
  i64(field = 'i64'): bigint {
    const at = this.need(8, field);
    this.offset = at + 8;
    return this.view.getBigInt64(at, true);
  }

  /** A u64 known to fit in 2^53 (epochs, sizes, counts): no bigint allocated. Larger values throw. */
  u64n(field = 'u64'): number {
    const at = this.need(8, field);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (hi > MAX_SAFE_HI) throw new DecodeError(field, at, 'u64 above 2^53 where a number was expected');
    this.offset = at + 8;
    return hi * TWO_32 + lo;
  }

  /** An s64 known to lie within ±2^53 (pool ids, -1 sentinels) as a number. */
  i64n(field = 'i64'): number {
    const at = this.need(8, field);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getInt32(at + 4, true);
    if (hi > MAX_SAFE_HI || hi < -MAX_SAFE_HI - 1) {
      throw new DecodeError(field, at, 's64 outside ±2^53 where a number was expected');
    }
    this.offset = at + 8;
    return hi * TWO_32 + lo;
  }

  /** `n` raw bytes as a view into the buffer (no copy). */
  bytes(n: number, field = 'bytes'): Uint8Array {
    const at = this.need(n, field);
    this.offset = at + n;
    return this.buf.subarray(at, at + n);
  }

  /** Skips `n` bytes (a DecodeError if fewer are left). */
  skip(n: number, field = 'skip'): void {
    const at = this.need(n, field);
    this.offset = at + n;
  }

  /** A le32 length the caller is about to read that many bytes for. */
  private length(field: string): number {
    const at = this.offset;
    const n = this.u32(field);
    if (n > this.limit - this.offset) {
      throw new DecodeError(field, at, `length ${n} runs past the end (${this.limit - this.offset} left)`);
    }
    return n;
  }

  /** std::string: le32 length + bytes, decoded as UTF-8. */
  string(field = 'string'): string {
    const n = this.length(field);
    const at = this.offset;
    this.offset = at + n;
    return utf8Decode(this.buf, at, at + n);
  }

  /** std::string or bufferlist as raw bytes: le32 length + bytes (a view, no copy). */
  blob(field = 'bufferlist'): Uint8Array {
    const n = this.length(field);
    const at = this.offset;
    this.offset = at + n;
    return this.buf.subarray(at, at + n);
  }

  /**
   * A le32 element count, checked against what is left: each element takes at
   * least `minBytes`, so a count that could not fit fails before any array grows.
   */
  count(field: string, minBytes = 1): number {
    const at = this.offset;
    const n = this.u32(field);
    if (n * minBytes > this.limit - this.offset) {
      throw new DecodeError(field, at, `count ${n} cannot fit in ${this.limit - this.offset} bytes`);
    }
    return n;
  }

  /** vector/list/set: le32 count + elements. */
  array<T>(field: string, elem: (r: Reader, i: number) => T, minElemBytes = 1): T[] {
    const n = this.count(field, minElemBytes);
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = elem(this, i);
    return out;
  }

  /** std::map as a JS Map (wire order, which is Ceph's sorted key order). */
  map<K, V>(field: string, key: (r: Reader) => K, value: (r: Reader, k: K) => V, minEntryBytes = 2): Map<K, V> {
    const n = this.count(field, minEntryBytes);
    const out = new Map<K, V>();
    for (let i = 0; i < n; i++) {
      const k = key(this);
      out.set(k, value(this, k));
    }
    return out;
  }

  /** std::map whose keys are structs (pg_t, …): key/value pairs in wire order. */
  pairs<K, V>(field: string, key: (r: Reader) => K, value: (r: Reader, k: K) => V, minEntryBytes = 2): Array<[K, V]> {
    const n = this.count(field, minEntryBytes);
    const out = new Array<[K, V]>(n);
    for (let i = 0; i < n; i++) {
      const k = key(this);
      out[i] = [k, value(this, k)];
    }
    return out;
  }

  /** std::optional / boost::optional: u8 present + value. */
  optional<T>(field: string, value: (r: Reader) => T): T | undefined {
    return this.bool(field) ? value(this) : undefined;
  }

  /**
   * A versioned struct: `DECODE_START(ourVersion)` … `DECODE_FINISH`.
   *
   * Reads u8 struct_v, u8 struct_compat, le32 struct_len; refuses a compat newer
   * than `ourVersion`; runs `body` bounded to struct_len bytes; then skips any tail
   * the body did not read (fields a newer Ceph appended).
   */
  struct<T>(field: string, ourVersion: number, body: (r: Reader, version: number, length: number) => T): T {
    const start = this.offset;
    this.need(6, field);
    const version = this.buf[start]!;
    const compat = this.buf[start + 1]!;
    this.offset = start + 2;
    const len = this.length(field);
    if (compat > ourVersion) {
      throw new DecodeError(field, start, `struct compat ${compat} is newer than supported version ${ourVersion}`);
    }
    return this.bounded(field, len, (r) => body(r, version, len));
  }

  /**
   * Runs `body` with reads limited to the next `len` bytes, then moves past them
   * whatever the body read. Used by {@link struct} and for length-prefixed blobs
   * decoded in place.
   */
  bounded<T>(field: string, len: number, body: (r: Reader) => T): T {
    const bodyStart = this.need(len, field);
    const bodyEnd = bodyStart + len;
    const outer = this.limit;
    this.limit = bodyEnd;
    let result: T;
    try {
      result = body(this);
    } finally {
      this.limit = outer;
    }
    this.offset = bodyEnd;
    return result;
  }

  /** Throws unless every byte has been read (for top-level objects that must be consumed exactly). */
  expectEnd(field: string): void {
    if (this.offset !== this.limit) {
      throw new DecodeError(field, this.offset, `${this.limit - this.offset} unexpected trailing bytes`);
    }
  }
}
