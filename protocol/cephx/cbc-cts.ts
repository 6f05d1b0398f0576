// AES-CBC with ciphertext stealing, variant CS3 (NIST SP 800-38A addendum; the Kerberos CTS of
// RFC 3962 section 5 that RFC 8009 uses): OpenSSL's "AES-256-CBC-CTS" with CTS mode "CS3", as
// Ceph's CryptoAES256KRB5KeyHandler (src/auth/Crypto.cc encrypt_AES256_CTS/decrypt_AES256_CTS)
// asks for it. Built on raw CBC from the CryptoProvider because Web Crypto has no CTS.
//
//   one block:      plain CBC of that block.
//   n > 1 blocks:   CBC over the input zero-padded to whole blocks, then the last two ciphertext
//                   blocks swap places and the (now last) one is cut to the length of the
//                   input's final partial block; a whole final block is swapped, not cut.
// Inputs shorter than one block are refused (CS3 needs one; cephx's confounder guarantees it).
import type { AesCbcRawKey } from '../crypto/crypto-provider.ts';

const BLOCK = 16;

/** Length of the input's last block: 1..16. */
function tailLength(n: number): number {
  const r = n % BLOCK;
  return r === 0 ? BLOCK : r;
}

export async function ctsEncrypt(cbc: AesCbcRawKey, iv: Uint8Array, plain: Uint8Array): Promise<Uint8Array> {
  const n = plain.length;
  if (n < BLOCK) throw new RangeError(`CBC-CTS needs at least one block, not ${n} bytes`);
  if (n === BLOCK) return cbc.encrypt(iv, plain);
  const tail = tailLength(n);
  const padded = new Uint8Array(n - tail + BLOCK);
  padded.set(plain);
  const c = await cbc.encrypt(iv, padded);
  const lastStart = c.length - BLOCK; // C_n
  const prevStart = lastStart - BLOCK; // C_{n-1}
  const out = new Uint8Array(n);
  out.set(c.subarray(0, prevStart));
  out.set(c.subarray(lastStart), prevStart);
  out.set(c.subarray(prevStart, prevStart + tail), prevStart + BLOCK);
  return out;
}

export async function ctsDecrypt(cbc: AesCbcRawKey, iv: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
  const n = ct.length;
  if (n < BLOCK) throw new RangeError(`CBC-CTS needs at least one block, not ${n} bytes`);
  if (n === BLOCK) return cbc.decrypt(iv, ct);
  const tail = tailLength(n);
  const swapStart = n - tail - BLOCK; // where C_n (the encrypted, zero-padded final block) sits
  const cn = ct.subarray(swapStart, swapStart + BLOCK);
  const cut = ct.subarray(swapStart + BLOCK); // C_{n-1}, cut to `tail` bytes
  // One block of raw AES decryption (CBC with a zero IV): D(C_n) = P_n(zero-padded) XOR C_{n-1}.
  const d = await cbc.decrypt(new Uint8Array(BLOCK), cn);
  // C_{n-1} whole: its kept bytes, then the bytes of D(C_n) past the tail (P_n's padding is zero).
  const prev = new Uint8Array(BLOCK);
  prev.set(cut);
  prev.set(d.subarray(tail), tail);
  const chain = new Uint8Array(swapStart + BLOCK);
  chain.set(ct.subarray(0, swapStart));
  chain.set(prev, swapStart);
  const head = await cbc.decrypt(iv, chain);
  const out = new Uint8Array(n);
  out.set(head);
  for (let i = 0; i < tail; i++) out[swapStart + BLOCK + i] = d[i]! ^ cut[i]!;
  return out;
}
