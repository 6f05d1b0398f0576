// A msgr2.1 frame as the layers above see it: a tag and up to four segments
// (src/msg/async/frames_v2.h: MAX_NUM_SEGMENTS = 4). On the wire trailing empty segments
// are dropped from the preamble's count (at least one stays).
import { Tag } from './tags.ts';

/** Segments a frame has at most (MAX_NUM_SEGMENTS, src/msg/async/frames_v2.h). */
export const MAX_NUM_SEGMENTS = 4;
/** segment_t::DEFAULT_ALIGNMENT = sizeof(void*) on the 64-bit daemons. */
export const DEFAULT_ALIGNMENT = 8;
/** segment_t::PAGE_SIZE_ALIGNMENT, used for the MESSAGE data segment. */
export const PAGE_ALIGNMENT = 4096;
/** Largest segment we accept from a peer: above osd_client_message_size_cap (500 MiB), the most a Ceph daemon itself accepts. */
export const MAX_SEGMENT_LENGTH = 1 << 29;

/** A msgr2 frame: its tag and segments, before encoding or after decoding. */
export interface Frame {
  /** The frame's tag (Tag: HELLO, AUTH_REQUEST, MESSAGE, …). */
  tag: number;
  /** 1..4 logical segments; missing trailing ones are empty. */
  segments: Uint8Array[];
  /** Alignment per segment as written in the preamble; defaults by tag when absent. */
  aligns?: number[];
}

/**
 * A segment to send: one buffer, or a list of buffers that go out back to back without being
 * gathered first (Ceph's bufferlist; a MESSAGE's data is the ops' payloads one after another).
 */
export type OutSegment = Uint8Array | readonly Uint8Array[];

/** A frame to encode: as Frame, but each segment may be a list of buffers. */
export interface OutFrame {
  /** The frame's tag (Tag). */
  tag: number;
  /** 1..4 logical segments; trailing empty ones are not announced in the preamble. */
  segments: readonly OutSegment[];
  /** Alignment per segment to write in the preamble; defaultAligns(tag) when absent. */
  aligns?: number[];
}

/** Bytes in a segment to send. */
export function segmentLength(s: OutSegment): number {
  if (s instanceof Uint8Array) return s.length;
  let n = 0;
  for (const c of s) n += c.length;
  return n;
}

/** A segment to send as its list of buffers. */
export function segmentChunks(s: OutSegment): readonly Uint8Array[] {
  return s instanceof Uint8Array ? [s] : s;
}

/** The alignments a Ceph sender writes for a tag: 8 for each MESSAGE segment but the data (4096), else one 8. */
export function defaultAligns(tag: number): number[] {
  return tag === Tag.MESSAGE ? [DEFAULT_ALIGNMENT, DEFAULT_ALIGNMENT, DEFAULT_ALIGNMENT, PAGE_ALIGNMENT] : [DEFAULT_ALIGNMENT];
}

/** How many segments the preamble announces: the last non-empty one, and at least one. */
export function onwireSegmentCount(segments: readonly OutSegment[]): number {
  let n = 1;
  for (let i = 0; i < segments.length; i++) if (segmentLength(segments[i]!) > 0) n = i + 1;
  return n;
}
