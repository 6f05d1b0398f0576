// Key type 2, "aes256k" (src/auth/Crypto.cc CryptoAES256KRB5KeyHandler, Ceph 20.2): RFC 8009
// aes256-cts-hmac-sha384-192 with a fresh random confounder per message and keys derived per
// usage (protocol/cephx/rfc8009.ts). Ceph derives the usage keys on first use and keeps them;
// so does this. HMAC-SHA256 (AUTH_SIGNATURE, the challenge proof) takes the raw secret.
import type { CryptoProvider, HmacKey } from '../crypto/crypto-provider.ts';
import { AuthError, Errno } from '../errors.ts';
import type { CephxCipher } from './cipher.ts';
import { AES256K_CONFOUNDER_LEN, AES256K_HMAC_LEN, rfc8009Decrypt, rfc8009Encrypt, type Rfc8009UsageKeys, rfc8009UsageKeys } from './rfc8009.ts';

class Aes256kCipher implements CephxCipher {
  readonly type = 2;
  readonly secret: Uint8Array;
  private readonly provider: CryptoProvider;
  private readonly base: HmacKey;
  private readonly usages = new Map<number, Promise<Rfc8009UsageKeys>>();
  private hmac: Promise<HmacKey> | undefined;

  constructor(provider: CryptoProvider, secret: Uint8Array, base: HmacKey) {
    this.provider = provider;
    this.secret = secret;
    this.base = base;
  }

  private keys(usage: number): Promise<Rfc8009UsageKeys> {
    let k = this.usages.get(usage);
    if (!k) {
      k = rfc8009UsageKeys(this.provider, this.base, usage);
      this.usages.set(usage, k);
    }
    return k;
  }

  async encrypt(usage: number, plain: Uint8Array): Promise<Uint8Array> {
    return rfc8009Encrypt(await this.keys(usage), plain, this.provider.randomBytes(AES256K_CONFOUNDER_LEN));
  }

  async decrypt(usage: number, ct: Uint8Array, what: string): Promise<Uint8Array> {
    if (ct.length < AES256K_CONFOUNDER_LEN + AES256K_HMAC_LEN) {
      throw new AuthError(`${what}: aes256k ciphertext of ${ct.length} bytes is shorter than its confounder and HMAC`, Errno.EACCES);
    }
    const plain = await rfc8009Decrypt(await this.keys(usage), ct);
    if (!plain) throw new AuthError(`${what}: aes256k HMAC does not verify (wrong key or key usage 0x${usage.toString(16)}?)`, Errno.EACCES);
    return plain;
  }

  async hmacSha256(data: Uint8Array): Promise<Uint8Array> {
    this.hmac ??= this.provider.hmacSha256(this.secret);
    return (await this.hmac).sign(data);
  }
}

export async function createAes256kCipher(provider: CryptoProvider, secret: Uint8Array): Promise<CephxCipher> {
  return new Aes256kCipher(provider, secret, await provider.hmacSha384(secret));
}
