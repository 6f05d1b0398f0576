// msgr2.1 crc mode (frames_v2.cc FrameAssembler, rev1): preamble(32); segment 0 and its le32
// crc32c(-1) when it is non-empty; segments 1..3 raw; when there is more than one segment an
// epilogue of 13 bytes: u8 late_status + le32 crc32c(-1) of segments 1..3.
import { crc32c } from '../checksum/crc32c.ts';
import { ProtocolError } from '../errors.ts';
import { concatBytes } from '../encoding/concat-bytes.ts';
import { defaultAligns, type Frame, onwireSegmentCount, type OutFrame, type OutSegment, segmentChunks, segmentLength } from './frame.ts';
import { LateStatus, type FrameCodec, type FrameHead } from './frame-codec.ts';
import { decodePreamble, encodePreamble, PREAMBLE_LENGTH } from './preamble.ts';
import { tagName } from './tags.ts';

const CRC_LENGTH = 4;
const EPILOGUE_LENGTH = 13;

/** msgr2.1 crc mode: frames in the clear, each segment protected by a crc32c. */
export class CrcFrameCodec implements FrameCodec {
  readonly mode = 'crc' as const;
  readonly headLength = PREAMBLE_LENGTH;

  /**
   * Small frames come out as one chunk; later segments are passed through without copying,
   * each buffer of a segment list as its own chunk (the crc runs across them).
   */
  encode(frame: OutFrame): Uint8Array[] {
    const n = onwireSegmentCount(frame.segments);
    const lengths = frame.segments.slice(0, n).map(segmentLength);
    while (lengths.length < n) lengths.push(0);
    const aligns = (frame.aligns ?? defaultAligns(frame.tag)).slice(0, n);
    const seg0 = flat(frame.segments[0]);
    const firstLen = PREAMBLE_LENGTH + (seg0.length > 0 ? seg0.length + CRC_LENGTH : 0);
    const first = new Uint8Array(firstLen);
    encodePreamble(first, 0, { tag: frame.tag, lengths, aligns });
    if (seg0.length > 0) {
      first.set(seg0, PREAMBLE_LENGTH);
      new DataView(first.buffer).setUint32(PREAMBLE_LENGTH + seg0.length, crc32c(0xffffffff, seg0), true);
    }
    if (n === 1) return [first];
    const chunks: Uint8Array[] = [first];
    const epilogue = new Uint8Array(EPILOGUE_LENGTH);
    const ev = new DataView(epilogue.buffer);
    epilogue[0] = LateStatus.COMPLETE;
    for (let i = 1; i < n; i++) {
      let crc = 0xffffffff;
      for (const c of segmentChunks(frame.segments[i]!)) {
        if (c.length === 0) continue;
        chunks.push(c);
        crc = crc32c(crc, c);
      }
      ev.setUint32(1 + (i - 1) * 4, crc, true);
    }
    chunks.push(epilogue);
    return chunks;
  }

  decodeHead(head: Uint8Array): FrameHead {
    return { preamble: decodePreamble(head) };
  }

  restLength({ preamble }: FrameHead): number {
    const [len0 = 0, ...others] = preamble.lengths;
    let n = len0 > 0 ? len0 + CRC_LENGTH : 0;
    for (const l of others) n += l;
    if (preamble.lengths.length > 1) n += EPILOGUE_LENGTH;
    return n;
  }

  decodeRest({ preamble }: FrameHead, rest: Uint8Array): Frame {
    const { tag, lengths, aligns } = preamble;
    const view = new DataView(rest.buffer, rest.byteOffset, rest.byteLength);
    const segments: Uint8Array[] = [];
    let at = 0;
    const len0 = lengths[0] ?? 0;
    const seg0 = rest.subarray(0, len0);
    segments.push(seg0);
    if (len0 > 0) {
      const want = view.getUint32(len0, true);
      if (crc32c(0xffffffff, seg0) !== want) throw new ProtocolError(`${tagName(tag)} segment 0 crc mismatch`);
      at = len0 + CRC_LENGTH;
    }
    for (let i = 1; i < lengths.length; i++) {
      segments.push(rest.subarray(at, at + lengths[i]!));
      at += lengths[i]!;
    }
    if (lengths.length > 1) {
      const status = rest[at]! & LateStatus.MASK;
      if (status === LateStatus.ABORTED) throw new FrameAbortedError(tag);
      if (status !== LateStatus.COMPLETE) throw new ProtocolError(`${tagName(tag)} epilogue late_status 0x${rest[at]!.toString(16)}`);
      for (let i = 1; i < lengths.length; i++) {
        const want = view.getUint32(at + 1 + (i - 1) * 4, true);
        if (crc32c(0xffffffff, segments[i]!) !== want) throw new ProtocolError(`${tagName(tag)} segment ${i} crc mismatch`);
      }
    }
    return { tag, segments, aligns };
  }
}

/** Segment 0 (small: headers, control payloads) as one buffer. */
function flat(s: OutSegment | undefined): Uint8Array {
  if (!s) return new Uint8Array(0);
  return s instanceof Uint8Array ? s : s.length === 1 ? s[0]! : concatBytes(s);
}

/** The sender aborted this frame after its preamble (late_status ABORTED): drop it, keep the connection. */
export class FrameAbortedError extends Error {
  /** Always 'FrameAbortedError'. */
  override name = 'FrameAbortedError';
  /** The tag of the aborted frame. */
  readonly tag: number;
  constructor(tag: number) {
    super(`${tagName(tag)} frame aborted by sender`);
    this.tag = tag;
  }
}
