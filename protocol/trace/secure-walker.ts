// Walks the secure-mode part of one direction of a captured msgr2 connection, given the
// connection secret: frame after frame through the live SecureFrameCodec (msgr2.1, frames_v2.cc
// FrameAssembler rev1 + crypto_onwire.cc), with the offset, time and GCM verdict of each. Unlike
// the live codec it does not stop at a frame whose tag does not verify: the layout came from the
// (verified) head, so the walk goes on with the nonce each GCM operation would have used, and
// bytes the capture lost inside such a frame are stepped over the same way. After a lost head or
// lost frames it resynchronises: at the next packet start whose head verifies under a nonce a few
// operations on (a guess the GCM tag proves). Only a head that does not verify stops it.
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

/** Bytes of the direction the walk could not read, and why. */
export interface UnreadStretch {
  offset: number;
  length: number;
  reason: string;
}

/** What a secure walk read: the frames, and the stretches of captured bytes it could not read. */
export interface SecureWalk {
  frames: WalkedFrame[];
  /** Captured bytes from the start on that are in no frame read, with the reason for each. */
  unread: UnreadStretch[];
}

/**
 * Where to look for the next frame after bytes the capture lost: frames start where the sender's
 * writes did, so at most this many packet starts are tried, each with this many GCM operations
 * possibly lost before it (the nonce counter moved on by that many). A guess is proven by the
 * head's GCM tag, so a wrong one is never taken.
 */
const RESYNC_CANDIDATES = 64;
const RESYNC_LOST_OPERATIONS = 256;

/**
 * Decrypts the frames of one direction from stream offset `start` (where its secure part begins,
 * i.e. its first encrypted frame), over `runs` (the direction's bytes between gaps, in order).
 * `crc` on each frame: 'ok' when every GCM tag verified, 'mismatch' when a tag after the head did
 * not, 'incomplete' when the capture lacks part of it. After bytes the capture lost, the walk
 * resynchronises at the next packet start whose head verifies with a nonce a few operations on
 * (`lostBefore`: the capture lost bytes before `start` too, so it begins that way).
 */
export async function walkSecureFrames(
  crypto: CryptoProvider,
  connectionSecret: Uint8Array,
  dir: Direction,
  runs: ByteRun[],
  start: number,
  lostBefore = false,
): Promise<SecureWalk> {
  const keys = directionKeys(connectionSecret, dir);
  const gcm = await crypto.aesGcm(keys.key);
  const frames: WalkedFrame[] = [];
  // Where the walk stopped reading, and why: the reason of the unread bytes from there on.
  const stops: Array<{ at: number; reason: string }> = [];
  let ops = 0;
  let codec = await SecureFrameCodec.create(crypto, keys);

  /** The next frame start at or after stream offset `from`, in a run after `after` (or at `from` itself when `after` is -1), proven by its head's tag. */
  const resync = async (after: number, from: number): Promise<{ ri: number; at: number } | undefined> => {
    let tried = 0;
    for (let r = Math.max(after, 0); r < runs.length && tried < RESYNC_CANDIDATES; r++) {
      const run = runs[r]!;
      if (r === after) continue;
      for (const rel of run.starts) {
        if (run.offset + rel < from || rel + codec.headLength > run.bytes.length) continue;
        if (++tried > RESYNC_CANDIDATES) break;
        const head = run.bytes.subarray(rel, rel + codec.headLength);
        for (let j = 0; j < RESYNC_LOST_OPERATIONS; j++) {
          try {
            await gcm.decrypt(nonceAfter(keys.rxNonce, ops + j), head);
          } catch {
            continue; // not a head under this nonce: the tag proves it
          }
          ops += j;
          codec = await SecureFrameCodec.create(crypto, { ...keys, rxNonce: nonceAfter(keys.rxNonce, ops) });
          return { ri: r, at: rel };
        }
      }
    }
    return undefined;
  };

  let ri = runs.findIndex((r) => r.offset <= start && start < r.offset + r.bytes.length);
  if (ri < 0) return { frames, unread: unreadOf(runs, start, frames, [{ at: start, reason: 'the capture lacks where secure mode begins' }]) };
  let run = runs[ri]!;
  let at = start - run.offset;
  if (lostBefore) {
    stops.push({ at: start, reason: LOST_BEFORE });
    const next = await resync(ri - 1, start);
    if (!next) return { frames, unread: unreadOf(runs, start, frames, stops) };
    ({ ri, at } = next);
    run = runs[ri]!;
  }
  for (;;) {
    const b = run.bytes;
    // Where this run's bytes stop making sense: resynchronise in a later run, or end.
    let lost: { at: number; reason: string; from: number } | undefined;
    if (at >= b.length) {
      if (ri + 1 >= runs.length) break;
      lost = { at: run.offset + b.length, reason: LOST_AFTER, from: run.offset + b.length };
    } else if (at + codec.headLength > b.length) {
      lost = {
        at: run.offset + at,
        reason: ri + 1 < runs.length ? 'the capture lost part of this frame head' : 'the capture ends inside a frame head',
        from: run.offset + b.length,
      };
    }
    if (lost) {
      stops.push({ at: lost.at, reason: lost.reason });
      const next = await resync(ri, lost.from);
      if (!next) break;
      ({ ri, at } = next);
      run = runs[ri]!;
      continue;
    }
    let head;
    try {
      head = await codec.decodeHead(b.subarray(at, at + codec.headLength));
    } catch (e) {
      stops.push({ at: run.offset + at, reason: `frame head at byte ${run.offset + at} does not decrypt (${(e as Error).message}); the rest of this direction is unreadable` });
      break;
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
      // The capture lacks part of this frame: go on at its end if a later run holds that byte;
      // else at the next frame start that proves itself after it.
      const abs = run.offset + end;
      const next = runs.findIndex((r, k) => k > ri && r.offset <= abs && abs < r.offset + r.bytes.length);
      if (next < 0) {
        if (ri + 1 >= runs.length) break;
        stops.push({ at: abs, reason: 'the capture lost the end of a frame and the start of the next' });
        const found = await resync(ri, abs);
        if (!found) break;
        ({ ri, at } = found);
        run = runs[ri]!;
        continue;
      }
      ri = next;
      run = runs[ri]!;
      at = abs - run.offset;
    }
    // The codec stops counting at an operation that fails, or that it never ran: carry on with the nonce the next frame uses.
    if (frame.crc !== 'ok') codec = await SecureFrameCodec.create(crypto, { ...keys, rxNonce: nonceAfter(keys.rxNonce, ops) });
  }
  return { frames, unread: unreadOf(runs, start, frames, stops) };
}

const LOST_BEFORE = 'the capture lost bytes before secure mode began (frame boundaries and nonces unknown)';
const LOST_AFTER = 'after bytes the capture lost, no frame start could be proven (frame boundaries and nonces unknown)';

/** The captured bytes from `start` that no frame covers, each with the reason of the last stop before it. */
function unreadOf(runs: ByteRun[], start: number, frames: WalkedFrame[], stops: Array<{ at: number; reason: string }>): UnreadStretch[] {
  const covered = frames.map((f) => [f.offset, f.offset + f.length] as const).sort((a, b) => a[0] - b[0]);
  const out: UnreadStretch[] = [];
  const reasonAt = (offset: number): string => stops.filter((s) => s.at <= offset).at(-1)?.reason ?? LOST_AFTER;
  for (const run of runs) {
    let from = Math.max(run.offset, start);
    const to = run.offset + run.bytes.length;
    for (const [a, b] of covered) {
      if (b <= from || a >= to) continue;
      if (a > from) out.push({ offset: from, length: a - from, reason: reasonAt(from) });
      from = Math.max(from, b);
    }
    if (from < to) out.push({ offset: from, length: to - from, reason: reasonAt(from) });
  }
  return out;
}
