// The key types cephx knows (CEPH_CRYPTO_*, include/ceph_fs.h; CryptoManager in
// src/auth/Crypto.cc of Ceph 20.2). Everything that differs by type is in this one table.
//   1 "aes":     AES-128-CBC, PKCS#7, fixed IV (CryptoAESKeyHandler); usage ignored.
//   2 "aes256k": aes256-cts-hmac-sha384-192, RFC 8009 (CryptoAES256KRB5KeyHandler); Tentacle's
//                default for every new key, and the only cipher its monmap allows by default.
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { AuthError, Errno } from '../errors.ts';
import { createAesCipher } from './aes-cipher.ts';
import { createAes256kCipher } from './aes256k-cipher.ts';
import type { CephxCipher } from './cipher.ts';

export const CEPH_CRYPTO_NONE = 0;
export const CEPH_CRYPTO_AES = 1;
export const CEPH_CRYPTO_AES256KRB5 = 2;

export interface CephKeyType {
  readonly type: number;
  /** The name `ceph auth ... --key-type` and the monmap's cipher settings use. */
  readonly name: string;
  /** Secret length: the shortest Ceph accepts (validate_secret) and what it creates. */
  readonly secretLength: number;
  /** How the cephx challenge proof is made (cephx_calc_client_server_challenge). */
  readonly proof: 'encrypt' | 'hmac-sha256';
  cipher(provider: CryptoProvider, secret: Uint8Array): Promise<CephxCipher>;
}

const KEY_TYPES: ReadonlyMap<number, CephKeyType> = new Map<number, CephKeyType>([
  [CEPH_CRYPTO_AES, { type: CEPH_CRYPTO_AES, name: 'aes', secretLength: 16, proof: 'encrypt', cipher: createAesCipher }],
  [CEPH_CRYPTO_AES256KRB5, { type: CEPH_CRYPTO_AES256KRB5, name: 'aes256k', secretLength: 32, proof: 'hmac-sha256', cipher: createAes256kCipher }],
]);

/** The table entry for a type, if rados-ts knows it. */
export function findKeyType(type: number): CephKeyType | undefined {
  return KEY_TYPES.get(type);
}

/** The table entry for a type; AuthError (EOPNOTSUPP, as CryptoKey::_set_secret) naming the type otherwise. */
export function keyType(type: number): CephKeyType {
  const t = KEY_TYPES.get(type);
  if (t) return t;
  const known = [...KEY_TYPES.values()].map((k) => `${k.type} (${k.name})`).join(', ');
  const what = type === CEPH_CRYPTO_NONE ? '0 (none)' : String(type);
  throw new AuthError(`cephx: key type ${what} is not supported; rados-ts knows ${known}`, Errno.EOPNOTSUPP);
}
