// The msgr2 banner (doc/dev/msgr2.rst, ProtocolV2::_banner_exchange): "ceph v2\n", le16 payload
// length, then the payload: le64 supported, le64 required msgr2 feature bits.
import { Reader } from '../encoding/reader.ts';
import { ProtocolError } from '../errors.ts';

/**
 * The banner's first 8 bytes: "ceph v2
 * ".
 */
export const BANNER_PREFIX: Uint8Array = new Uint8Array([0x63, 0x65, 0x70, 0x68, 0x20, 0x76, 0x32, 0x0a]); // "ceph v2\n"
/** msgr2.1: the only revision we speak; Pacific daemons always offer it. */
export const MSGR2_FEATURE_REVISION_1 = 1n;
/** On-wire compression (Quincy+): we do not offer it, so no peer starts COMPRESSION_REQUEST with us. */
export const MSGR2_FEATURE_COMPRESSION = 2n;
/** Prefix (8) + le16 length. */
export const BANNER_HEAD_LENGTH = 10;

/** The banner payload: msgr2 feature bits (MSGR2_FEATURE_*) each side supports and requires. */
export interface Banner {
  /** Feature bits this side supports. */
  supported: bigint;
  /** Feature bits this side requires of its peer; the connection fails if the peer lacks one. */
  required: bigint;
}

/** The whole banner: prefix, le16 payload length (16), supported, required. */
export function encodeBanner(b: Banner): Uint8Array {
  const out = new Uint8Array(BANNER_HEAD_LENGTH + 16);
  out.set(BANNER_PREFIX, 0);
  const v = new DataView(out.buffer);
  v.setUint16(8, 16, true);
  v.setBigUint64(10, b.supported, true);
  v.setBigUint64(18, b.required, true);
  return out;
}

/** Checks the 10-byte head and returns the payload length that follows. */
export function decodeBannerHead(head: Uint8Array): number {
  for (let i = 0; i < BANNER_PREFIX.length; i++) {
    if (head[i] !== BANNER_PREFIX[i]) {
      const text = String.fromCharCode(...head.subarray(0, 9)).replace(/[^\x20-\x7e]/g, '.');
      throw new ProtocolError(text.startsWith('ceph v0') ? `peer speaks msgr1 ("${text}"): connect to its v2 address (port 3300 for mons)` : `bad msgr2 banner "${text}"`);
    }
  }
  const len = (head[8] ?? 0) | ((head[9] ?? 0) << 8);
  if (len < 16 || len > 4096) throw new ProtocolError(`msgr2 banner payload length ${len} out of range`);
  return len;
}

/** Decodes the banner payload (after decodeBannerHead gave its length). */
export function decodeBannerPayload(payload: Uint8Array): Banner {
  const r = new Reader(payload);
  return { supported: r.u64('banner.supported'), required: r.u64('banner.required') };
}
