// What a frame codec (crc or secure, msgr2.1) does: turn a Frame into wire chunks, and turn
// the wire back into a Frame in two steps — a fixed-size head that tells the layout, then the rest.
import type { Frame, OutFrame } from './frame.ts';
import type { Preamble } from './preamble.ts';

/** The fixed-size start of a frame once decoded: enough to know how many bytes the rest takes. */
export interface FrameHead {
  /** The frame's preamble: tag, segment lengths and alignments. */
  preamble: Preamble;
  /** Bytes of segment 0 that arrived inside the head (secure mode's inline buffer). */
  inline?: Uint8Array;
}

/** A msgr2.1 frame codec for one connection mode; a secure codec is stateful (nonces), so one per connection. */
export interface FrameCodec {
  /** The connection mode this codec implements (CEPH_CON_MODE_CRC or CEPH_CON_MODE_SECURE). */
  readonly mode: 'crc' | 'secure';
  /** Bytes to read before the layout is known: 32 (crc) or 96 (secure). */
  readonly headLength: number;
  /** The frame as wire chunks to write in order (segments, and lists of buffers within one, are passed through uncopied). */
  encode(frame: OutFrame): Uint8Array[] | Promise<Uint8Array[]>;
  /** Decodes (and for secure mode, decrypts and authenticates) the first headLength bytes of a frame. */
  decodeHead(head: Uint8Array): FrameHead | Promise<FrameHead>;
  /** Bytes that follow the head on the wire for this frame. */
  restLength(head: FrameHead): number;
  /** Decodes the rest of the frame, checking crcs or GCM tags and the epilogue; a ProtocolError on mismatch. */
  decodeRest(head: FrameHead, rest: Uint8Array): Frame | Promise<Frame>;
}

/** FRAME_LATE_STATUS_* (frames_v2.h): the epilogue's first byte. */
export const LateStatus = {
  /** FRAME_LATE_STATUS_COMPLETE: the frame was sent whole. */
  COMPLETE: 0x0e,
  /** FRAME_LATE_STATUS_ABORTED: the sender gave up on the frame after its preamble; drop it. */
  ABORTED: 0x01,
  /** FRAME_LATE_STATUS_ABORTED_MASK: the bits of the byte that carry the status. */
  MASK: 0x0f,
} as const;
