// The `rbd export-diff` stream, format 1 (src/tools/rbd/action/ExportDiff.cc writes it,
// Import.cc's do_import_diff_fd reads it; tags in src/tools/rbd/Utils.h): the banner
// "rbd diff v1\n", then records of a one-byte tag and little-endian fields — 'f' start
// snapshot and 't' end snapshot (le32 length + name), 's' image size (le64), 'w' data (le64
// offset, le64 length, the bytes), 'z' zeros (le64 offset, le64 length) — and 'e' to end.
import { concatBytes } from '../encoding/concat-bytes.ts';
import { utf8Decode, utf8Encode } from '../encoding/utf8.ts';
import { Writer } from '../encoding/writer.ts';
import { Errno, RadosError } from '../errors.ts';

/** utils::RBD_DIFF_BANNER. */
export const RBD_DIFF_BANNER = 'rbd diff v1\n';

/** RBD_DIFF_* record tags (one byte each). */
export const DiffTag = {
  FROM_SNAP: 0x66, // 'f'
  TO_SNAP: 0x74, // 't'
  IMAGE_SIZE: 0x73, // 's'
  WRITE: 0x77, // 'w'
  ZERO: 0x7a, // 'z'
  END: 0x65, // 'e'
} as const;

/** import-diff reads snapshot names of at most this many bytes (its guard against garbage). */
const MAX_SNAP_NAME = 4096;

/** The stream's opening: banner, start and end snapshot names when given, the image size at the end version. */
export function encodeDiffHeader(h: { fromSnap?: string | undefined; toSnap?: string | undefined; size: number }): Uint8Array {
  const w = new Writer(64).bytes(utf8Encode(RBD_DIFF_BANNER));
  if (h.fromSnap !== undefined) w.u8(DiffTag.FROM_SNAP).string(h.fromSnap);
  if (h.toSnap !== undefined) w.u8(DiffTag.TO_SNAP).string(h.toSnap);
  return w.u8(DiffTag.IMAGE_SIZE).u64(h.size).finish();
}

/** A data record: its 17-byte head, then the bytes themselves. */
export const encodeDiffWrite = (offset: number, data: Uint8Array): Uint8Array => concatBytes([new Writer(17).u8(DiffTag.WRITE).u64(offset).u64(data.length).finish(), data]);

/** A zeros record. */
export const encodeDiffZero = (offset: number, length: number): Uint8Array => new Writer(17).u8(DiffTag.ZERO).u64(offset).u64(length).finish();

/** The closing record. */
export const encodeDiffEnd = (): Uint8Array => Uint8Array.of(DiffTag.END);

/** One record of a diff stream, as decodeDiffStream yields it. */
export type DiffRecord =
  | { type: 'from'; name: string }
  | { type: 'to'; name: string }
  | { type: 'size'; size: number }
  | { type: 'write'; offset: number; data: Uint8Array }
  | { type: 'zero'; offset: number; length: number }
  | { type: 'end' };

const bad = (why: string): RadosError => new RadosError(`rbd diff stream: ${why}`, Errno.EINVAL);

/** Buffered bytes from chunks, read from the front. */
class ChunkReader {
  private buf: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  /** Exactly `n` bytes, or an error naming `what` when the stream ends first. */
  async take(n: number, what: string): Promise<Uint8Array> {
    while (this.buf.length - this.at < n) {
      const r = await this.it.next();
      if (r.done) throw bad(`ends inside ${what}`);
      this.buf = concatBytes([this.buf.subarray(this.at), r.value]);
      this.at = 0;
    }
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  async u64(what: string): Promise<number> {
    const b = await this.take(8, what);
    const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`${what} ${v} is too large`);
    return Number(v);
  }

  async name(what: string): Promise<string> {
    const b = await this.take(4, what);
    const n = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
    if (n > MAX_SNAP_NAME) throw bad(`${what} is ${n} bytes long`);
    const s = await this.take(n, what);
    return utf8Decode(s, 0, s.length);
  }

  /** Stops the source (a reader's cancel). */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/**
 * The records of a format-1 diff stream, ending with 'end'. EINVAL for a wrong banner, an
 * unknown tag, or a stream that ends early (as import-diff refuses them).
 */
export async function* decodeDiffStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<DiffRecord> {
  const r = new ChunkReader(chunks);
  try {
    const banner = await r.take(RBD_DIFF_BANNER.length, 'the banner');
    if (utf8Decode(banner, 0, banner.length) !== RBD_DIFF_BANNER) throw bad('invalid or unexpected diff banner');
    for (;;) {
      const tag = (await r.take(1, 'a record tag'))[0]!;
      switch (tag) {
        case DiffTag.FROM_SNAP:
          yield { type: 'from', name: await r.name('the start snapshot name') };
          break;
        case DiffTag.TO_SNAP:
          yield { type: 'to', name: await r.name('the end snapshot name') };
          break;
        case DiffTag.IMAGE_SIZE:
          yield { type: 'size', size: await r.u64('the image size') };
          break;
        case DiffTag.WRITE: {
          const offset = await r.u64('a write offset');
          const length = await r.u64('a write length');
          yield { type: 'write', offset, data: (await r.take(length, 'write data')).slice() };
          break;
        }
        case DiffTag.ZERO:
          yield { type: 'zero', offset: await r.u64('a zero offset'), length: await r.u64('a zero length') };
          break;
        case DiffTag.END:
          yield { type: 'end' };
          return;
        default:
          throw bad(`unrecognized tag byte ${tag}`);
      }
    }
  } finally {
    await r.close();
  }
}
