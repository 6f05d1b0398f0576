/**
 * The only door to cryptography in rados-ts. cephx needs AES-128-CBC and HMAC-SHA256 for
 * type-1 ("aes") keys, raw AES-256-CBC and HMAC-SHA384 for type-2 ("aes256k", RFC 8009) keys;
 * msgr2 secure mode needs AES-128-GCM. The default is Web Crypto (`crypto.subtle`),
 * present in Workers, Deno, Bun, browsers and Node; `src/crypto/node-crypto-provider.ts`
 * offers node:crypto behind the same interface where it measures faster.
 *
 * Keys are imported once and reused: importing per call dominates small-frame cost.
 */
export interface CryptoProvider {
  /** A short name for logs and benchmarks (e.g. "webcrypto", "node"). */
  readonly name: string;
  /** AES-128-CBC with PKCS#7 padding (cephx envelopes, src/auth/Crypto.cc). */
  aesCbc(key: Uint8Array): Promise<AesCbcKey>;
  /**
   * AES-CBC without padding (the key's length picks AES-128/192/256): the block layer under
   * the CBC-CTS of aes256k keys (protocol/cephx/cbc-cts.ts). Data must be whole 16-byte blocks.
   */
  aesCbcRaw(key: Uint8Array): Promise<AesCbcRawKey>;
  /** AES-128-GCM, 16-byte tag appended (msgr2 secure mode, src/msg/async/crypto_onwire.cc). */
  aesGcm(key: Uint8Array): Promise<AesGcmKey>;
  /** HMAC-SHA256 (AUTH_SIGNATURE, the aes256k challenge proof). */
  hmacSha256(key: Uint8Array): Promise<HmacKey>;
  /** HMAC-SHA384 (RFC 8009 key derivation and integrity for aes256k keys). */
  hmacSha384(key: Uint8Array): Promise<HmacKey>;
  /** Cryptographically strong random bytes (challenges, nonces). */
  randomBytes(n: number): Uint8Array;
}

/** An imported AES-128-CBC key with PKCS#7 padding. */
export interface AesCbcKey {
  /** Encrypts with PKCS#7 padding: the output is the input rounded up to the next 16-byte block. */
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Rejects (with an Error) on bad padding. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** An imported AES-CBC key without padding. */
export interface AesCbcRawKey {
  /** CBC over whole blocks, no padding: the output is as long as the input. */
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** The inverse of encrypt: whole blocks in, as many bytes out. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** An imported AES-128-GCM key (no additional authenticated data). */
export interface AesGcmKey {
  /** Returns ciphertext ‖ 16-byte tag. */
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Takes ciphertext ‖ tag; rejects when the tag does not verify. */
  decrypt(iv: Uint8Array, ciphertextAndTag: Uint8Array): Promise<Uint8Array>;
}

/** An imported HMAC key (SHA-256 or SHA-384, by how it was imported). */
export interface HmacKey {
  /** The MAC of data: 32 bytes for SHA-256, 48 for SHA-384. */
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
  async aesCbcRaw(raw) {
    // Web Crypto's AES-CBC always pads (PKCS#7). Encrypting whole blocks and dropping the padding
    // block gives raw CBC; decrypting raw blocks needs a padding block to follow them, made by
    // encrypting a full block of padding chained after the last ciphertext block.
    const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']);
    return {
      async encrypt(iv, data) {
        wholeBlocks(data.length);
        const out = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, data));
        return out.slice(0, data.length);
      },
      async decrypt(iv, data) {
        wholeBlocks(data.length);
        if (data.length === 0) return new Uint8Array(0);
        const last = data.slice(data.length - 16);
        const pad = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: last }, key, PAD_BLOCK)).subarray(0, 16);
        const both = new Uint8Array(data.length + 16);
        both.set(data);
        both.set(pad, data.length);
        return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, both));
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
  async hmacSha384(raw) {
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-384' }, false, ['sign']);
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

/** A whole block of PKCS#7 padding: what Web Crypto expects to strip after raw blocks. */
const PAD_BLOCK = new Uint8Array(16).fill(16);

function wholeBlocks(n: number): void {
  if (n % 16 !== 0) throw new RangeError(`raw AES-CBC takes whole 16-byte blocks, not ${n} bytes`);
}
