/**
 * The only door to cryptography in rados-ts. cephx needs AES-128-CBC and HMAC-SHA256,
 * msgr2 secure mode needs AES-128-GCM. The default is Web Crypto (`crypto.subtle`),
 * present in Workers, Deno, Bun, browsers and Node; `src/crypto/node-crypto-provider.ts`
 * offers node:crypto behind the same interface where it measures faster.
 *
 * Keys are imported once and reused: importing per call dominates small-frame cost.
 */
export interface CryptoProvider {
  readonly name: string;
  /** AES-128-CBC with PKCS#7 padding (cephx envelopes, src/auth/Crypto.cc). */
  aesCbc(key: Uint8Array): Promise<AesCbcKey>;
  /** AES-128-GCM, 16-byte tag appended (msgr2 secure mode, src/msg/async/crypto_onwire.cc). */
  aesGcm(key: Uint8Array): Promise<AesGcmKey>;
  /** HMAC-SHA256 (AUTH_SIGNATURE). */
  hmacSha256(key: Uint8Array): Promise<HmacKey>;
  /** Cryptographically strong random bytes (challenges, nonces). */
  randomBytes(n: number): Uint8Array;
}

export interface AesCbcKey {
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Rejects (with an Error) on bad padding. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
}

export interface AesGcmKey {
  /** Returns ciphertext ‖ 16-byte tag. */
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Takes ciphertext ‖ tag; rejects when the tag does not verify. */
  decrypt(iv: Uint8Array, ciphertextAndTag: Uint8Array): Promise<Uint8Array>;
}

export interface HmacKey {
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Web Crypto, the default provider: works in every runtime rados-ts targets. */
export const webCryptoProvider: CryptoProvider = {
  name: 'webcrypto',
  async aesCbc(raw) {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']);
    return {
      async encrypt(iv, data) {
        return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, data));
      },
      async decrypt(iv, data) {
        return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, data));
      },
    };
  },
  async aesGcm(raw) {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    return {
      async encrypt(iv, data) {
        return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 128 }, key, data));
      },
      async decrypt(iv, data) {
        return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, tagLength: 128 }, key, data));
      },
    };
  },
  async hmacSha256(raw) {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return {
      async sign(data) {
        return new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
      },
    };
  },
  randomBytes(n) {
    return crypto.getRandomValues(new Uint8Array(n));
  },
};
