// CryptoKey (src/auth/Crypto.cc CryptoKey::encode): le16 type (CEPH_CRYPTO_*), utime_t created,
// le16 secret length, secret. A keyring's `key = AQ...` (type 1, "aes") or `key = Ag...` (type 2,
// "aes256k") is the base64 of exactly this.
//
// Decoding keeps keys of any type: a keyring may hold a type rados-ts does not know, and only
// using that key should fail (protocol/cephx/key-types.ts keyType, AuthError naming the type).
// Known types must have at least their secret length, as CryptoHandler::validate_secret asks.
import { base64Decode, base64Encode } from '../encoding/base64.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';
import { findKeyType, keyType } from './key-types.ts';

export { CEPH_CRYPTO_AES, CEPH_CRYPTO_AES256KRB5 } from './key-types.ts';

export interface CephCryptoKey {
  type: number;
  created: UTime;
  secret: Uint8Array;
}

export function decodeCryptoKey(r: Reader, field = 'CryptoKey'): CephCryptoKey {
  const type = r.u16(`${field}.type`);
  const created = decodeUtime(r, `${field}.created`);
  const len = r.u16(`${field}.len`);
  const secret = r.bytes(len, `${field}.secret`).slice();
  const known = findKeyType(type);
  if (known && len < known.secretLength) r.fail(field, `${known.name} key of ${len} bytes (expected ${known.secretLength})`);
  return { type, created, secret };
}

export function encodeCryptoKey(w: Writer, k: CephCryptoKey): void {
  w.u16(k.type);
  encodeUtime(w, k.created);
  w.u16(k.secret.length).bytes(k.secret);
}

/**
 * Decodes `AQ...==` / `Ag...==` as `ceph auth get-key` prints it, whatever its type. Throws
 * TypeError for text that is not base64, DecodeError for bytes that are not a CryptoKey.
 */
export function decodeKeyString(key: string): CephCryptoKey {
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(key.trim());
  } catch (e) {
    throw new TypeError(`not a Ceph key: ${(e as Error).message}`);
  }
  const r = new Reader(bytes);
  const k = decodeCryptoKey(r, 'key');
  r.expectEnd('key');
  return k;
}

/** decodeKeyString for a key about to be used: AuthError (EOPNOTSUPP) naming a type rados-ts does not know. */
export function parseKeyString(key: string): CephCryptoKey {
  const k = decodeKeyString(key);
  keyType(k.type);
  return k;
}

export function formatKeyString(k: CephCryptoKey): string {
  const w = new Writer(16 + k.secret.length);
  encodeCryptoKey(w, k);
  return base64Encode(w.finish());
}
