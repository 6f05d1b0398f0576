// The 32-byte preamble of every msgr2 frame (frames_v2.h preamble_block_t):
// u8 tag, u8 num_segments, 4 × {le32 length, le16 alignment}, 2 reserved, le32 crc32c(0, bytes[0..28)).
import { crc32c } from '../checksum/crc32c.ts';
import { ProtocolError } from '../errors.ts';
import { MAX_NUM_SEGMENTS, MAX_SEGMENT_LENGTH } from './frame.ts';
import { isKnownTag, tagName } from './tags.ts';

/** sizeof(preamble_block_t): the preamble's length in bytes. */
export const PREAMBLE_LENGTH = 32;

/** preamble_block_t (src/msg/async/frames_v2.h), decoded. */
export interface Preamble {
  /** The frame's tag (Tag: HELLO, MESSAGE, …). */
  tag: number;
  /** Lengths and alignments of the announced segments (num_segments entries). */
  lengths: number[];
  /** The sender's alignment hint for each segment (8 by default, 4096 for a MESSAGE's data). */
  aligns: number[];
}

/** Writes the preamble, with its crc32c, into out at offset `at`. */
export function encodePreamble(out: Uint8Array, at: number, p: Preamble): void {
  const v = new DataView(out.buffer, out.byteOffset + at, PREAMBLE_LENGTH);
  out.fill(0, at, at + PREAMBLE_LENGTH);
  v.setUint8(0, p.tag);
  v.setUint8(1, p.lengths.length);
  for (let i = 0; i < p.lengths.length; i++) {
    v.setUint32(2 + i * 6, p.lengths[i]!, true);
    v.setUint16(6 + i * 6, p.aligns[i] ?? 0, true);
  }
  v.setUint32(28, crc32c(0, out, at, at + 28), true);
}

/** Validates crc, segment count, tag and lengths; a bad preamble means the stream is lost. */
export function decodePreamble(b: Uint8Array): Preamble {
  const v = new DataView(b.buffer, b.byteOffset, PREAMBLE_LENGTH);
  const want = v.getUint32(28, true);
  const got = crc32c(0, b, 0, 28);
  if (want !== got) throw new ProtocolError(`frame preamble crc mismatch (got 0x${got.toString(16)}, frame says 0x${want.toString(16)})`);
  const tag = v.getUint8(0);
  const n = v.getUint8(1);
  if (!isKnownTag(tag)) throw new ProtocolError(`unknown frame tag ${tag}`);
  if (n < 1 || n > MAX_NUM_SEGMENTS) throw new ProtocolError(`${tagName(tag)} frame with ${n} segments`);
  const lengths: number[] = [];
  const aligns: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = v.getUint32(2 + i * 6, true);
    if (len > MAX_SEGMENT_LENGTH) throw new ProtocolError(`${tagName(tag)} segment ${i} length ${len} exceeds ${MAX_SEGMENT_LENGTH}`);
    lengths.push(len);
    aligns.push(v.getUint16(6 + i * 6, true));
  }
  return { tag, lengths, aligns };
}
