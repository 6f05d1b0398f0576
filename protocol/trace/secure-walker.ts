// Walks the secure-mode part of one direction of a captured msgr2 connection, given the
// connection secret: frame after frame through the live SecureFrameCodec (msgr2.1, frames_v2.cc
// FrameAssembler rev1 + crypto_onwire.cc), with the offset, time and GCM verdict of each. Unlike
// the live codec it does not stop at a frame whose tag does not verify: the layout came from the
// (verified) head, so the walk goes on with the nonce each GCM operation would have used. Only a
// head that does not verify stops it: its lengths are unknown, so is the next frame's start.
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

/** What a secure walk read: the frames, and where and why it stopped before the run's end. */
export interface SecureWalk {
  frames: WalkedFrame[];
  /** Relative offset in the run where the walk stopped. */
  stop: number;
  /** Why it stopped before the run's end. */
  reason?: string;
}

/**
 * Decrypts the frames of `run` from `start` (a relative offset where the secure part of `dir`
 * begins, i.e. its first encrypted frame). `crc` on each frame: 'ok' when every GCM tag verified,
 * 'mismatch' when a tag after the head did not, 'incomplete' when the run ends inside it.
 */
export async function walkSecureFrames(crypto: CryptoProvider, connectionSecret: Uint8Array, dir: Direction, run: ByteRun, start: number): Promise<SecureWalk> {
  const keys = directionKeys(connectionSecret, dir);
  let codec = await SecureFrameCodec.create(crypto, keys);
  const b = run.bytes;
  const frames: WalkedFrame[] = [];
  let ops = 0;
  let at = start;
  while (at < b.length) {
    if (at + codec.headLength > b.length) return { frames, stop: at, reason: 'the capture ends inside a frame head' };
    let head;
    try {
      head = await codec.decodeHead(b.subarray(at, at + codec.headLength));
    } catch (e) {
      return { frames, stop: at, reason: `frame head at byte ${run.offset + at} does not decrypt (${(e as Error).message}); the rest of this direction is unreadable` };
    }
    const { tag, lengths } = head.preamble;
    const end = at + codec.headLength + codec.restLength(head);
    const inline = head.inline!.subarray(0, Math.min(lengths[0] ?? 0, INLINE_LENGTH));
    let frame: WalkedFrame;
    if (end > b.length) {
      frame = { offset: run.offset + at, length: end - at, timeNs: timeAt(run, b.length - 1), tag, segments: [inline], crc: 'incomplete', aborted: false };
    } else {
      frame = { offset: run.offset + at, length: end - at, timeNs: timeAt(run, end - 1), tag, segments: [inline], crc: 'ok', aborted: false };
      try {
        frame.segments = (await codec.decodeRest(head, b.subarray(at + codec.headLength, end))).segments;
      } catch (e) {
        if (e instanceof FrameAbortedError) frame.aborted = true;
        else {
          frame.crc = 'mismatch';
          // The codec stopped counting at the operation that failed; carry on with the nonce the next frame uses.
          codec = await SecureFrameCodec.create(crypto, { ...keys, rxNonce: nonceAfter(keys.rxNonce, ops + operations(lengths)) });
        }
      }
    }
    ops += operations(lengths);
    frames.push(frame);
    at = Math.min(end, b.length);
  }
  return { frames, stop: at };
}
