// Walks one direction of a captured msgr2 connection: the banner, then frame after frame, with
// the offset, time and checksum verdict of each. Unlike the live FrameDecoder it never throws on
// bad bytes: a broken frame is reported, and after a loss the walk resumes at the next offset whose
// preamble proves itself (its crc32c over 28 bytes matches, its tag and segment count are valid:
// a false match has odds of 2^-32). Layouts: doc/dev/msgr2.rst, src/msg/async/frames_v2.{h,cc}.
import { crc32c } from '../checksum/crc32c.ts';
import { BANNER_HEAD_LENGTH, BANNER_PREFIX, type Banner, decodeBannerPayload } from '../msgr2/banner.ts';
import { MAX_NUM_SEGMENTS } from '../msgr2/frame.ts';
import { PREAMBLE_LENGTH } from '../msgr2/preamble.ts';
import { isKnownTag } from '../msgr2/tags.ts';
import type { HalfStream } from '../capture/tcp-streams.ts';

/** A contiguous piece of one direction (between two gaps), with the time each byte arrived. */
export interface ByteRun {
  offset: number;
  bytes: Uint8Array;
  /** Chunk starts within the run (relative offsets) and their capture times, ascending. */
  starts: number[];
  times: bigint[];
}

/** One frame as it was on the wire. */
export interface WalkedFrame {
  /** Stream offset of its preamble. */
  offset: number;
  /** Its whole length on the wire (preamble through epilogue). */
  length: number;
  /** Capture time of the packet that completed it. */
  timeNs: bigint;
  tag: number;
  /** Segment contents (crc mode); empty arrays stand for segments the capture cut off. */
  segments: Uint8Array[];
  /** Segment 0's and the epilogue's checksums: all matched, one did not, or a frame whose tail the capture lacks. */
  crc: 'ok' | 'mismatch' | 'incomplete';
  /** The epilogue's late_status says the sender aborted the frame. */
  aborted: boolean;
  /** Read through secure mode (AES-GCM): `crc` then is the GCM tags' verdict. */
  decrypted?: boolean;
}

/** Something the walk could not account for. */
export interface WalkProblem {
  offset: number;
  length: number;
  reason: string;
}

/** The bytes of a half stream as runs between gaps (one copy per run, only where a run has several chunks). */
export function byteRuns(half: HalfStream): ByteRun[] {
  const runs: ByteRun[] = [];
  let parts: HalfStream['chunks'] = [];
  const flush = (): void => {
    if (parts.length === 0) return;
    const size = parts.reduce((n, c) => n + c.data.length, 0);
    const bytes = parts.length === 1 ? parts[0]!.data : new Uint8Array(size);
    const starts: number[] = [];
    const times: bigint[] = [];
    let at = 0;
    for (const c of parts) {
      if (parts.length > 1) bytes.set(c.data, at);
      starts.push(at);
      times.push(c.timeNs);
      at += c.data.length;
    }
    runs.push({ offset: parts[0]!.offset, bytes, starts, times });
    parts = [];
  };
  for (const c of half.chunks) {
    const last = parts[parts.length - 1];
    if (last && last.offset + last.data.length !== c.offset) flush();
    parts.push(c);
  }
  flush();
  return runs;
}

/** Capture time of the byte at `at` in a run. */
export function timeAt(run: ByteRun, at: number): bigint {
  let lo = 0;
  let hi = run.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (run.starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return run.times[lo]!;
}

/** Whether a preamble at `at` proves itself. */
export function preambleAt(b: Uint8Array, at: number): { tag: number; lengths: number[] } | undefined {
  if (at + PREAMBLE_LENGTH > b.length) return undefined;
  const v = new DataView(b.buffer, b.byteOffset + at, PREAMBLE_LENGTH);
  if (v.getUint32(28, true) !== crc32c(0, b, at, at + 28)) return undefined;
  const tag = b[at]!;
  const n = b[at + 1]!;
  if (!isKnownTag(tag) || n < 1 || n > MAX_NUM_SEGMENTS) return undefined;
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) lengths.push(v.getUint32(2 + i * 6, true));
  return { tag, lengths };
}

/** The banner at the start of a run, if the run starts the stream and holds one. */
export function bannerAt(b: Uint8Array): { banner: Banner; length: number } | undefined {
  if (b.length < BANNER_HEAD_LENGTH) return undefined;
  for (let i = 0; i < BANNER_PREFIX.length; i++) if (b[i] !== BANNER_PREFIX[i]) return undefined;
  const len = b[8]! | (b[9]! << 8);
  if (len < 16 || BANNER_HEAD_LENGTH + len > b.length) return undefined;
  return { banner: decodeBannerPayload(b.subarray(BANNER_HEAD_LENGTH, BANNER_HEAD_LENGTH + len)), length: BANNER_HEAD_LENGTH + len };
}

/** Bytes a crc-mode frame takes after its preamble (msgr2.1: segment 0 + crc, other segments, 13-byte epilogue). */
function restLength(lengths: number[]): number {
  const [len0 = 0, ...others] = lengths;
  let n = len0 > 0 ? len0 + 4 : 0;
  for (const l of others) n += l;
  return lengths.length > 1 ? n + 13 : n;
}

/** When a walk stops early: before a preamble (`expect` refuses it) or after a frame (`until` says so). */
export interface WalkLimits {
  /** Whether a proven preamble with this tag can come next; false stops the walk before it, silently. */
  expect?: (tag: number) => boolean;
  /** Whether the frame just read is the last plaintext one (the connection switches mode after it). */
  until?: (frame: WalkedFrame) => boolean;
  /** At a preamble that does not verify: stop (the bytes from here are another mode's) instead of resynchronising. */
  stopAtUnproven?: boolean;
}

/** What a crc-mode walk of a run read. */
export interface CrcWalk {
  frames: WalkedFrame[];
  problems: WalkProblem[];
  /**
   * Fewer than 32 bytes left at the run's end that are no whole preamble: a frame's first bytes
   * whose rest the capture lacks (a gap or the capture's end follows), not a mode switch.
   */
  tail?: WalkProblem;
  /** Relative offset where the walk stopped reading: the run's length, or a limit's stop. */
  stop: number;
}

/**
 * Walks crc-mode frames in a run from `start` (a relative offset) within `limits`; returns the
 * frames, the problems, a short tail, and the relative offset where it stopped.
 */
export function walkCrcFrames(run: ByteRun, start: number, limits: WalkLimits = {}): CrcWalk {
  const b = run.bytes;
  const frames: WalkedFrame[] = [];
  const problems: WalkProblem[] = [];
  let tail: WalkProblem | undefined;
  let at = start;
  while (at < b.length) {
    const pre = preambleAt(b, at);
    if (!pre) {
      if (b.length - at < PREAMBLE_LENGTH) {
        // The run ends inside a preamble: which mode it is in cannot be told from so few bytes.
        tail = { offset: run.offset + at, length: b.length - at, reason: `the first ${b.length - at} bytes of a frame's 32-byte preamble; the rest is not in the capture` };
        at = b.length;
        break;
      }
      if (limits.stopAtUnproven) break;
      const next = resync(b, at + 1);
      problems.push({ offset: run.offset + at, length: next - at, reason: 'bytes that are not a frame (preamble crc mismatch); resynchronised at the next proven preamble' });
      at = next;
      continue;
    }
    if (limits.expect && !limits.expect(pre.tag)) break;
    const end = at + PREAMBLE_LENGTH + restLength(pre.lengths);
    const frame = readFrame(run, at, pre, end);
    frames.push(frame);
    at = end;
    if (limits.until?.(frame)) break;
  }
  return { frames, problems, ...(tail ? { tail } : {}), stop: Math.min(at, b.length) };
}

/** The next offset from `from` where a preamble proves itself, or the run's end. */
export function resync(b: Uint8Array, from: number): number {
  for (let at = from; at + PREAMBLE_LENGTH <= b.length; at++) if (preambleAt(b, at)) return at;
  return b.length;
}

function readFrame(run: ByteRun, at: number, pre: { tag: number; lengths: number[] }, end: number): WalkedFrame {
  const b = run.bytes;
  const complete = end <= b.length;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const segments: Uint8Array[] = [];
  let crc: WalkedFrame['crc'] = complete ? 'ok' : 'incomplete';
  let aborted = false;
  let p = at + PREAMBLE_LENGTH;
  const [len0 = 0] = pre.lengths;
  segments.push(b.subarray(p, Math.min(p + len0, b.length)));
  if (len0 > 0) {
    if (complete && v.getUint32(p + len0, true) !== crc32c(0xffffffff, b, p, p + len0)) crc = 'mismatch';
    p += len0 + 4;
  }
  for (let i = 1; i < pre.lengths.length; i++) {
    segments.push(b.subarray(Math.min(p, b.length), Math.min(p + pre.lengths[i]!, b.length)));
    p += pre.lengths[i]!;
  }
  if (complete && pre.lengths.length > 1) {
    aborted = (b[p]! & 0x0f) === 0x01; // late_status FRAME_LATE_STATUS_ABORTED
    for (let i = 1; i < pre.lengths.length; i++) {
      if (v.getUint32(p + 1 + (i - 1) * 4, true) !== crc32c(0xffffffff, segments[i]!)) crc = 'mismatch';
    }
  }
  return { offset: run.offset + at, length: end - at, timeNs: timeAt(run, Math.min(end, b.length) - 1), tag: pre.tag, segments, crc, aborted };
}
