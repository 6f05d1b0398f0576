// Walks the secure-mode part of one direction of a captured msgr2 connection, given the
// connection secret: frame after frame through the live SecureFrameCodec (msgr2.1, frames_v2.cc
// FrameAssembler rev1 + crypto_onwire.cc), with the offset, time and GCM verdict of each. Unlike
// the live codec it does not stop at a frame whose tag does not verify: the layout came from the
// (verified) head, so the walk goes on with the nonce each GCM operation would have used, and
// bytes the capture lost inside such a frame are stepped over the same way. Only a head that does
// not verify, or is lost, stops it: the next frame's start and nonce are then unknown.
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { FrameAbortedError } from '../msgr2/crc-frame-codec.ts';
import { INLINE_LENGTH, SecureFrameCodec, type SecureKeys, splitConnectionSecret } from '../msgr2/secure-frame-codec.ts';
import type { Direction } from './trace-session.ts';
import { type ByteRun, timeAt, type WalkedFrame } from './frame-walker.ts';

/** The 12-byte nonce `n` GCM operations after `initial` (le32 fixed, le64 counter: crypto_onwire.cc nonce_t). */
export function nonceAfter(initial: Uint8Array, n: number): Uint8Array {
  const out = initial.slice();
  const v = new DataView(out.buffer, out.byteOffset, 12);
  v.setBigUint64(4, (v.getBigUint64(4, true) + BigInt(n)) & 0xffffffffffffffffn, true);
  return out;
}

/**
 * The keys that read what `dir` carries. The client sends with its tx nonce and receives with its
 * rx nonce (splitConnectionSecret); a codec decrypts with its rx side, so for the client's frames
 * the two seeds are swapped.
 */
export function directionKeys(connectionSecret: Uint8Array, dir: Direction): SecureKeys {
  const k = splitConnectionSecret(connectionSecret);
  return dir === 'to-client' ? k : { key: k.key, rxNonce: k.txNonce, txNonce: k.rxNonce };
}

/** GCM operations a frame takes (secure-frame-codec.ts): the head, segment 0's tail past 48 bytes, the other segments with the epilogue. */
function operations(lengths: number[]): number {
  return 1 + ((lengths[0] ?? 0) > INLINE_LENGTH ? 1 : 0) + (lengths.length > 1 ? 1 : 0);
}

/** What a secure walk read: the frames, and where and why it stopped before the direction's end. */
export interface SecureWalk {
  frames: WalkedFrame[];
  /** Stream offset where the walk stopped (the end of the last run it read when it read to the end). */
  stop: number;
  /** Why it stopped there, when bytes after it are not frames it read. */
  reason?: string;
}

/**
 * Decrypts the frames of one direction from stream offset `start` (where its secure part begins,
 * i.e. its first encrypted frame), over `runs` (the direction's bytes between gaps, in order).
 * `crc` on each frame: 'ok' when every GCM tag verified, 'mismatch' when a tag after the head did
 * not, 'incomplete' when the capture lacks part of it (the walk then resumes at its end, if the
 * capture has that).
 */
export async function walkSecureFrames(crypto: CryptoProvider, connectionSecret: Uint8Array, dir: Direction, runs: ByteRun[], start: number): Promise<SecureWalk> {
  const keys = directionKeys(connectionSecret, dir);
  let codec = await SecureFrameCodec.create(crypto, keys);
  const frames: WalkedFrame[] = [];
  let ops = 0;
  let ri = runs.findIndex((r) => r.offset <= start && start < r.offset + r.bytes.length);
  if (ri < 0) return { frames, stop: start, reason: 'the capture lacks where secure mode begins' };
  let run = runs[ri]!;
  let at = start - run.offset;
  for (;;) {
    const b = run.bytes;
    if (at >= b.length) return { frames, stop: run.offset + b.length };
    if (at + codec.headLength > b.length) {
      const reason = ri + 1 < runs.length ? 'the capture lost part of this frame head' : 'the capture ends inside a frame head';
      return { frames, stop: run.offset + at, reason };
    }
    let head;
    try {
      head = await codec.decodeHead(b.subarray(at, at + codec.headLength));
    } catch (e) {
      return {
        frames,
        stop: run.offset + at,
        reason: `frame head at byte ${run.offset + at} does not decrypt (${(e as Error).message}); the rest of this direction is unreadable`,
      };
    }
    const { tag, lengths } = head.preamble;
    const end = at + codec.headLength + codec.restLength(head);
    const inline = head.inline!.subarray(0, Math.min(lengths[0] ?? 0, INLINE_LENGTH));
    const frame: WalkedFrame = {
      offset: run.offset + at,
      length: end - at,
      timeNs: timeAt(run, Math.min(end, b.length) - 1),
      tag,
      segments: [inline],
      crc: 'incomplete',
      aborted: false,
      decrypted: true,
    };
    ops += operations(lengths);
    frames.push(frame);
    if (end <= b.length) {
      frame.crc = 'ok';
      try {
        frame.segments = (await codec.decodeRest(head, b.subarray(at + codec.headLength, end))).segments;
      } catch (e) {
        if (e instanceof FrameAbortedError) frame.aborted = true;
        else frame.crc = 'mismatch';
      }
      at = end;
    } else {
      // The capture lacks part of this frame: go on at its end if a later run holds that byte.
      const abs = run.offset + end;
      const next = runs.findIndex((r, k) => k > ri && r.offset <= abs && abs < r.offset + r.bytes.length);
      if (next < 0) return { frames, stop: run.offset + b.length, ...(ri + 1 < runs.length ? { reason: 'the capture lost the end of a frame and the start of the next' } : {}) };
      ri = next;
      run = runs[ri]!;
      at = abs - run.offset;
    }
    // The codec stops counting at an operation that fails, or that it never ran: carry on with the nonce the next frame uses.
    if (frame.crc !== 'ok') codec = await SecureFrameCodec.create(crypto, { ...keys, rxNonce: nonceAfter(keys.rxNonce, ops) });
  }
}
