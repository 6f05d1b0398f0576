// A Ceph secret ready to use: Ceph's CryptoKey with its CryptoKeyHandler (src/auth/Crypto.h).
// Every cephx encryption names its key usage (protocol/cephx/key-usage.ts); what the bytes
// look like depends on the key's type, looked up in protocol/cephx/key-types.ts. Session keys
// and ticket keys go through here too: the monitor hands out session keys of the client key's
// type (CephxServiceHandler::handle_request), so an aes256k client gets aes256k session keys.
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { CephCryptoKey } from './crypto-key.ts';
import { keyType } from './key-types.ts';

export interface CephxCipher {
  /** CEPH_CRYPTO_* (include/ceph_fs.h). */
  readonly type: number;
  readonly secret: Uint8Array;
  encrypt(usage: number, plain: Uint8Array): Promise<Uint8Array>;
  /** Throws AuthError (EACCES) when the bytes do not decrypt under this key and usage. */
  decrypt(usage: number, ct: Uint8Array, what: string): Promise<Uint8Array>;
  /** CryptoKeyHandler::hmac_sha256: HMAC-SHA256 keyed by the whole raw secret, whatever the type. */
  hmacSha256(data: Uint8Array): Promise<Uint8Array>;
}

/** Imports `key` for its type; AuthError (EOPNOTSUPP) naming the type when rados-ts does not know it. */
export async function createCipher(provider: CryptoProvider, key: CephCryptoKey): Promise<CephxCipher> {
  return keyType(key.type).cipher(provider, key.secret);
}
