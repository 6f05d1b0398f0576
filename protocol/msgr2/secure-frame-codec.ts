// msgr2.1 secure mode (frames_v2.cc FrameAssembler rev1 + crypto_onwire.cc): AES-128-GCM, no AAD,
// one nonce per GCM operation, and per frame up to three operations:
//   1. preamble(32) + the first 48 bytes of segment 0 (zero-padded)          → 80 + 16 tag
//   2. the rest of segment 0, zero-padded to 16, if segment 0 exceeds 48 bytes → len + 16 tag
//   3. segments 1..3 each zero-padded to 16, + a 16-byte epilogue {late_status, 15 zeros},
//      if there is more than one segment                                       → len + 16 tag
import type { AesGcmKey, CryptoProvider } from '../crypto/crypto-provider.ts';
import { ProtocolError } from '../errors.ts';
import { FrameAbortedError } from './crc-frame-codec.ts';
import { concatBytes } from '../encoding/concat-bytes.ts';
import { defaultAligns, type Frame, onwireSegmentCount, type OutFrame, segmentChunks, segmentLength } from './frame.ts';
import { LateStatus, type FrameCodec, type FrameHead } from './frame-codec.ts';
import { decodePreamble, encodePreamble, PREAMBLE_LENGTH } from './preamble.ts';
import { tagName } from './tags.ts';

/** Bytes of segment 0 carried inside the first GCM block, next to the preamble (padded with zeros if shorter). */
export const INLINE_LENGTH = 48;
const TAG_LENGTH = 16;
const BLOCK = 16;
const EPILOGUE_LENGTH = 16;
const HEAD_LENGTH = PREAMBLE_LENGTH + INLINE_LENGTH + TAG_LENGTH;

const pad16 = (n: number): number => (n + BLOCK - 1) & ~(BLOCK - 1);

/**
 * A 96-bit GCM nonce as msgr2.1 counts it (crypto_onwire.cc nonce_t): le32 fixed, le64 counter;
 * each operation uses the current value and then increments the counter.
 */
export class GcmNonce {
  private readonly bytes: Uint8Array;
  private readonly initial: Uint8Array;
  constructor(initial: Uint8Array) {
    if (initial.length !== 12) throw new RangeError('msgr2 GCM nonce must be 12 bytes');
    this.bytes = initial.slice();
    this.initial = initial.slice();
  }
  /** Returns the nonce to use now and advances; running out of nonces is a fault (Ceph: "out of nonces"). */
  next(): Uint8Array {
    const use = this.bytes.slice();
    for (let i = 4; i < 12; i++) {
      this.bytes[i] = (this.bytes[i]! + 1) & 0xff;
      if (this.bytes[i] !== 0) break;
    }
    if (this.bytes.every((b, i) => b === this.initial[i])) throw new ProtocolError('msgr2 secure mode ran out of nonces');
    return use;
  }
}

/** The AES-128-GCM key and the two 12-byte nonce seeds of a secure connection. */
export interface SecureKeys {
  /** The 16-byte AES-128 key. */
  key: Uint8Array;
  /** The initial nonce for frames this side sends. */
  txNonce: Uint8Array;
  /** The initial nonce for frames this side receives. */
  rxNonce: Uint8Array;
}

/**
 * Splits a 64-byte connection secret the way a msgr2 client does (crypto_onwire.cc
 * AES128GCM_OnWireTxHandler/RxHandler): key = [0,16); the peer that did not "cross" — the
 * client — uses [16,28) for one direction and [28,40) for the other. Which is which is
 * settled by the live test against a real daemon (see test/integration/msgr2-secure*.test.ts).
 */
export function splitConnectionSecret(secret: Uint8Array): SecureKeys {
  if (secret.length < 40) throw new ProtocolError(`connection secret of ${secret.length} bytes is too short for secure mode`);
  return { key: secret.slice(0, 16), rxNonce: secret.slice(16, 28), txNonce: secret.slice(28, 40) };
}

/** msgr2.1 secure mode: every frame encrypted and authenticated with AES-128-GCM. */
export class SecureFrameCodec implements FrameCodec {
  readonly mode = 'secure' as const;
  readonly headLength = HEAD_LENGTH;
  private readonly gcm: AesGcmKey;
  private readonly tx: GcmNonce;
  private readonly rx: GcmNonce;

  private constructor(gcm: AesGcmKey, keys: SecureKeys) {
    this.gcm = gcm;
    this.tx = new GcmNonce(keys.txNonce);
    this.rx = new GcmNonce(keys.rxNonce);
  }

  /** A codec for one connection, keyed from splitConnectionSecret's result. */
  static async create(provider: CryptoProvider, keys: SecureKeys): Promise<SecureFrameCodec> {
    return new SecureFrameCodec(await provider.aesGcm(keys.key), keys);
  }

  // Encryption is serialized by the caller (one frame at a time) so nonces go out in order.
  async encode(frame: OutFrame): Promise<Uint8Array[]> {
    const n = onwireSegmentCount(frame.segments);
    const lengths = frame.segments.slice(0, n).map(segmentLength);
    while (lengths.length < n) lengths.push(0);
    const aligns = (frame.aligns ?? defaultAligns(frame.tag)).slice(0, n);
    const first = frame.segments[0] ?? new Uint8Array(0);
    const seg0 = first instanceof Uint8Array ? first : concatBytes(first);
    const block1 = new Uint8Array(PREAMBLE_LENGTH + INLINE_LENGTH);
    encodePreamble(block1, 0, { tag: frame.tag, lengths, aligns });
    block1.set(seg0.subarray(0, INLINE_LENGTH), PREAMBLE_LENGTH);
    const out = [await this.gcm.encrypt(this.tx.next(), block1)];
    if (seg0.length > INLINE_LENGTH) {
      const rest = new Uint8Array(pad16(seg0.length - INLINE_LENGTH));
      rest.set(seg0.subarray(INLINE_LENGTH));
      out.push(await this.gcm.encrypt(this.tx.next(), rest));
    }
    if (n > 1) {
      let total = EPILOGUE_LENGTH;
      for (let i = 1; i < n; i++) total += pad16(lengths[i]!);
      const block3 = new Uint8Array(total);
      let at = 0;
      for (let i = 1; i < n; i++) {
        let p = at;
        for (const c of segmentChunks(frame.segments[i]!)) {
          block3.set(c, p);
          p += c.length;
        }
        at += pad16(lengths[i]!);
      }
      block3[at] = LateStatus.COMPLETE;
      out.push(await this.gcm.encrypt(this.tx.next(), block3));
    }
    return out;
  }

  async decodeHead(head: Uint8Array): Promise<FrameHead> {
    const plain = await this.open(head, 'preamble');
    const preamble = decodePreamble(plain.subarray(0, PREAMBLE_LENGTH));
    return { preamble, inline: plain.subarray(PREAMBLE_LENGTH) };
  }

  restLength({ preamble }: FrameHead): number {
    const [len0 = 0, ...others] = preamble.lengths;
    let n = len0 > INLINE_LENGTH ? pad16(len0 - INLINE_LENGTH) + TAG_LENGTH : 0;
    if (others.length > 0) {
      n += EPILOGUE_LENGTH + TAG_LENGTH;
      for (const l of others) n += pad16(l);
    }
    return n;
  }

  async decodeRest(head: FrameHead, rest: Uint8Array): Promise<Frame> {
    const { tag, lengths, aligns } = head.preamble;
    const len0 = lengths[0] ?? 0;
    let at = 0;
    let seg0: Uint8Array;
    if (len0 > INLINE_LENGTH) {
      const size = pad16(len0 - INLINE_LENGTH) + TAG_LENGTH;
      const tail = await this.open(rest.subarray(0, size), `${tagName(tag)} segment 0`);
      seg0 = new Uint8Array(len0);
      seg0.set(head.inline!);
      seg0.set(tail.subarray(0, len0 - INLINE_LENGTH), INLINE_LENGTH);
      at = size;
    } else {
      seg0 = head.inline!.subarray(0, len0);
    }
    const segments = [seg0];
    if (lengths.length > 1) {
      const plain = await this.open(rest.subarray(at), `${tagName(tag)} segments`);
      let p = 0;
      for (let i = 1; i < lengths.length; i++) {
        segments.push(plain.subarray(p, p + lengths[i]!));
        p += pad16(lengths[i]!);
      }
      const status = plain[p]! & LateStatus.MASK;
      if (status === LateStatus.ABORTED) throw new FrameAbortedError(tag);
      if (status !== LateStatus.COMPLETE) throw new ProtocolError(`${tagName(tag)} epilogue late_status 0x${plain[p]!.toString(16)}`);
    }
    return { tag, segments, aligns };
  }

  private async open(sealed: Uint8Array, what: string): Promise<Uint8Array> {
    try {
      return await this.gcm.decrypt(this.rx.next(), sealed);
    } catch (cause) {
      throw new ProtocolError(`msgr2 secure mode: ${what} failed GCM authentication`, { cause });
    }
  }
}
