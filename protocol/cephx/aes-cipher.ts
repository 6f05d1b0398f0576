// Key type 1, "aes" (src/auth/Crypto.cc CryptoAESKeyHandler): AES-128-CBC with PKCS#7 padding
// and Ceph's fixed IV. The key usage is ignored. Only the first 16 bytes key AES (Ceph accepts
// longer secrets and reads 128 bits of them); HMAC-SHA256 takes the whole secret.
import type { AesCbcKey, CryptoProvider, HmacKey } from '../crypto/crypto-provider.ts';
import { AuthError, Errno } from '../errors.ts';
import type { CephxCipher } from './cipher.ts';

/** CEPH_AES_IV (src/auth/Crypto.h). */
export const CEPH_AES_IV: Uint8Array = new TextEncoder().encode('cephsageyudagreg');

class AesCipher implements CephxCipher {
  readonly type = 1;
  readonly secret: Uint8Array;
  private readonly aes: AesCbcKey;
  private readonly provider: CryptoProvider;
  private hmac: Promise<HmacKey> | undefined;

  constructor(provider: CryptoProvider, secret: Uint8Array, aes: AesCbcKey) {
    this.provider = provider;
    this.secret = secret;
    this.aes = aes;
  }

  encrypt(_usage: number, plain: Uint8Array): Promise<Uint8Array> {
    return this.aes.encrypt(CEPH_AES_IV, plain);
  }

  async decrypt(_usage: number, ct: Uint8Array, what: string): Promise<Uint8Array> {
    if (ct.length === 0 || ct.length % 16 !== 0) throw new AuthError(`${what}: ciphertext of ${ct.length} bytes is not whole AES blocks`, Errno.EACCES);
    try {
      return await this.aes.decrypt(CEPH_AES_IV, ct);
    } catch (cause) {
      throw new AuthError(`${what}: cannot decrypt (wrong key?)`, Errno.EACCES, { cause });
    }
  }

  async hmacSha256(data: Uint8Array): Promise<Uint8Array> {
    this.hmac ??= this.provider.hmacSha256(this.secret);
    return (await this.hmac).sign(data);
  }
}

export async function createAesCipher(provider: CryptoProvider, secret: Uint8Array): Promise<CephxCipher> {
  return new AesCipher(provider, secret, await provider.aesCbc(secret.subarray(0, 16)));
}
