// aes256-cts-hmac-sha384-192 (RFC 8009), the cipher of Ceph's key type 2 "aes256k"
// (CEPH_CRYPTO_AES256KRB5; src/auth/Crypto.cc CryptoAES256KRB5KeyHandler in Ceph 20.2):
//
//   KDF(K, usage, t, k) = first k bytes of HMAC-SHA384(K, be32 1 | be32 usage | u8 t | u8 0 | be32 k*8)
//   Ke = KDF(secret, usage, 0xAA, 32)           Ki = KDF(secret, usage, 0x55, 24)
//   C  = AES-256-CBC-CTS(Ke, IV = 0, confounder(16 random bytes) | plaintext)
//   H  = first 24 bytes of HMAC-SHA384(Ki, IV(16 zero bytes) | C)
//   ciphertext = C | H        (16 + len + 24 bytes; no padding, so any length works)
//
// Decryption checks H before decrypting and drops the confounder. The usage numbers are
// cephx's (protocol/cephx/key-usage.ts).
import type { AesCbcRawKey, CryptoProvider, HmacKey } from '../crypto/crypto-provider.ts';
import { ctsDecrypt, ctsEncrypt } from './cbc-cts.ts';

export const AES256K_SECRET_LEN = 32;
export const AES256K_CONFOUNDER_LEN = 16;
export const AES256K_HMAC_LEN = 24;
const KE_LABEL = 0xaa;
const KI_LABEL = 0x55;
const KE_LEN = 32;
const ZERO_IV = new Uint8Array(16);

/** The keys one usage derives: Ke for CBC-CTS, Ki for the HMAC. */
export interface Rfc8009UsageKeys {
  ke: AesCbcRawKey;
  ki: HmacKey;
}

/** KDF-HMAC-SHA2 (RFC 8009 section 3) with label = be32 usage | t; `base` is HMAC-SHA384 keyed by the secret. */
export async function rfc8009Kdf(base: HmacKey, usage: number, t: number, bytes: number): Promise<Uint8Array> {
  const input = new Uint8Array(14);
  const v = new DataView(input.buffer);
  v.setUint32(0, 1);
  v.setUint32(4, usage >>> 0);
  v.setUint8(8, t);
  v.setUint8(9, 0);
  v.setUint32(10, bytes * 8);
  return (await base.sign(input)).slice(0, bytes);
}

export async function rfc8009UsageKeys(provider: CryptoProvider, base: HmacKey, usage: number): Promise<Rfc8009UsageKeys> {
  const [ke, ki] = await Promise.all([rfc8009Kdf(base, usage, KE_LABEL, KE_LEN), rfc8009Kdf(base, usage, KI_LABEL, AES256K_HMAC_LEN)]);
  return { ke: await provider.aesCbcRaw(ke), ki: await provider.hmacSha384(ki) };
}

async function checksum(ki: HmacKey, c: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(ZERO_IV.length + c.length);
  input.set(c, ZERO_IV.length);
  return (await ki.sign(input)).subarray(0, AES256K_HMAC_LEN);
}

/** Encrypts `plain` with a given confounder (tests pass the RFC's; cephx passes random bytes). */
export async function rfc8009Encrypt(keys: Rfc8009UsageKeys, plain: Uint8Array, confounder: Uint8Array): Promise<Uint8Array> {
  if (confounder.length !== AES256K_CONFOUNDER_LEN) throw new RangeError(`the confounder is ${AES256K_CONFOUNDER_LEN} bytes, not ${confounder.length}`);
  const input = new Uint8Array(AES256K_CONFOUNDER_LEN + plain.length);
  input.set(confounder);
  input.set(plain, AES256K_CONFOUNDER_LEN);
  const c = await ctsEncrypt(keys.ke, ZERO_IV, input);
  const out = new Uint8Array(c.length + AES256K_HMAC_LEN);
  out.set(c);
  out.set(await checksum(keys.ki, c), c.length);
  return out;
}

/** The plaintext, or undefined when the ciphertext is too short or its HMAC does not verify. */
export async function rfc8009Decrypt(keys: Rfc8009UsageKeys, ct: Uint8Array): Promise<Uint8Array | undefined> {
  if (ct.length < AES256K_CONFOUNDER_LEN + AES256K_HMAC_LEN) return undefined;
  const c = ct.subarray(0, ct.length - AES256K_HMAC_LEN);
  const h = ct.subarray(ct.length - AES256K_HMAC_LEN);
  const want = await checksum(keys.ki, c);
  let diff = 0;
  for (let i = 0; i < AES256K_HMAC_LEN; i++) diff |= want[i]! ^ h[i]!;
  if (diff !== 0) return undefined;
  return (await ctsDecrypt(keys.ke, ZERO_IV, c)).slice(AES256K_CONFOUNDER_LEN);
}
