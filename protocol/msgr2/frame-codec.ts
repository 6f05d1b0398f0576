// What a frame codec (crc or secure, msgr2.1) does: turn a Frame into wire chunks, and turn
// the wire back into a Frame in two steps — a fixed-size head that tells the layout, then the rest.
import type { Frame, OutFrame } from './frame.ts';
import type { Preamble } from './preamble.ts';

export interface FrameHead {
  preamble: Preamble;
  /** Bytes of segment 0 that arrived inside the head (secure mode's inline buffer). */
  inline?: Uint8Array;
}

export interface FrameCodec {
  readonly mode: 'crc' | 'secure';
  /** Bytes to read before the layout is known: 32 (crc) or 96 (secure). */
  readonly headLength: number;
  encode(frame: OutFrame): Uint8Array[] | Promise<Uint8Array[]>;
  decodeHead(head: Uint8Array): FrameHead | Promise<FrameHead>;
  /** Bytes that follow the head on the wire for this frame. */
  restLength(head: FrameHead): number;
  decodeRest(head: FrameHead, rest: Uint8Array): Frame | Promise<Frame>;
}

/** FRAME_LATE_STATUS_* (frames_v2.h): the epilogue's first byte. */
export const LateStatus = { COMPLETE: 0x0e, ABORTED: 0x01, MASK: 0x0f } as const;
