// CryptoKey (src/auth/Crypto.cc CryptoKey::encode): le16 type (1 = AES), utime_t created,
// le16 secret length, secret. A keyring's `key = AQ...` is the base64 of exactly this.
import { base64Decode, base64Encode } from '../encoding/base64.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';

export const CEPH_CRYPTO_AES = 1;

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
  if (type === CEPH_CRYPTO_AES && len !== 16) r.fail(field, `AES key of ${len} bytes (expected 16)`);
  return { type, created, secret };
}

export function encodeCryptoKey(w: Writer, k: CephCryptoKey): void {
  w.u16(k.type);
  encodeUtime(w, k.created);
  w.u16(k.secret.length).bytes(k.secret);
}

/** Parses `AQ...==` as `ceph auth get-key` prints it. */
export function parseKeyString(key: string): CephCryptoKey {
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(key.trim());
  } catch (e) {
    throw new TypeError(`not a Ceph key: ${(e as Error).message}`);
  }
  const r = new Reader(bytes);
  const k = decodeCryptoKey(r, 'key');
  r.expectEnd('key');
  if (k.type !== CEPH_CRYPTO_AES) throw new TypeError(`unsupported key type ${k.type} (only AES keys exist in Ceph)`);
  return k;
}

export function formatKeyString(k: CephCryptoKey): string {
  const w = new Writer(32);
  encodeCryptoKey(w, k);
  return base64Encode(w.finish());
}
