// cephx's encrypted envelope (src/auth/cephx/CephxProtocol.h encode_encrypt/decode_decrypt and
// their _enc_bl forms, Ceph 20.2): { u8 1, le64 AUTH_ENC_MAGIC, encode(T) } encrypted with a key
// for a key usage (protocol/cephx/key-usage.ts). How the bytes are encrypted is the key type's
// business (protocol/cephx/cipher.ts): AES-128-CBC for "aes", RFC 8009 for "aes256k".
// `encodeEncrypt` adds the le32 length of a bufferlist; the `EncBl` forms carry none.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { AuthError, Errno } from '../errors.ts';
import type { CephxCipher } from './cipher.ts';

/** AUTH_ENC_MAGIC (CephxProtocol.h). */
export const AUTH_ENC_MAGIC = 0xff009cad8826aa55n;

/** The ciphertext of { 1, magic, body } (encode_encrypt_enc_bl). */
export async function encryptEncBl(cipher: CephxCipher, usage: number, body: (w: Writer) => void): Promise<Uint8Array> {
  const w = new Writer(64);
  w.u8(1).u64(AUTH_ENC_MAGIC);
  body(w);
  return cipher.encrypt(usage, w.finish());
}

/** encode_encrypt: the ciphertext as a bufferlist (le32 length first). */
export async function encodeEncrypt(cipher: CephxCipher, usage: number, body: (w: Writer) => void): Promise<Uint8Array> {
  const ct = await encryptEncBl(cipher, usage, body);
  return new Writer(ct.length + 4).blob(ct).finish();
}

/** decode_decrypt_enc_bl: decrypts, checks the magic, decodes the body. */
export async function decryptEncBl<T>(cipher: CephxCipher, usage: number, ct: Uint8Array, what: string, body: (r: Reader) => T): Promise<T> {
  const plain = await cipher.decrypt(usage, ct, what);
  const r = new Reader(plain);
  r.u8(`${what}.struct_v`);
  const magic = r.u64(`${what}.magic`);
  if (magic !== AUTH_ENC_MAGIC) throw new AuthError(`${what}: bad magic 0x${magic.toString(16)} after decryption (wrong key?)`, Errno.EACCES);
  return body(r);
}

/** decode_decrypt: reads a bufferlist from `r`, then as decryptEncBl. */
export function decodeDecrypt<T>(cipher: CephxCipher, usage: number, r: Reader, what: string, body: (r: Reader) => T): Promise<T> {
  return decryptEncBl(cipher, usage, r.blob(`${what}.enc`), what, body);
}
