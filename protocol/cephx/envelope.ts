// cephx's encrypted envelope (src/auth/cephx/CephxProtocol.h encode_encrypt/decode_decrypt):
// AES-128-CBC (PKCS#7) with Ceph's fixed IV over { u8 1, le64 AUTH_ENC_MAGIC, encode(T) }.
// `encodeEncrypt` adds the le32 length of a bufferlist; the `EncBl` forms carry none.
import type { AesCbcKey, CryptoProvider } from '../crypto/crypto-provider.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { AuthError, Errno } from '../errors.ts';

/** CEPH_AES_IV (src/auth/Crypto.cc). */
export const CEPH_AES_IV = new Uint8Array([...'cephsageyudagreg'].map((c) => c.charCodeAt(0)));
/** AUTH_ENC_MAGIC (CephxProtocol.h). */
export const AUTH_ENC_MAGIC = 0xff009cad8826aa55n;

/** A secret imported once for AES-128-CBC with Ceph's IV. */
export class CephxCipher {
  private readonly key: AesCbcKey;
  readonly secret: Uint8Array;
  private constructor(key: AesCbcKey, secret: Uint8Array) {
    this.key = key;
    this.secret = secret;
  }
  static async create(provider: CryptoProvider, secret: Uint8Array): Promise<CephxCipher> {
    return new CephxCipher(await provider.aesCbc(secret), secret);
  }
  encrypt(plain: Uint8Array): Promise<Uint8Array> {
    return this.key.encrypt(CEPH_AES_IV, plain);
  }
  async decrypt(ct: Uint8Array, what: string): Promise<Uint8Array> {
    if (ct.length === 0 || ct.length % 16 !== 0) throw new AuthError(`${what}: ciphertext of ${ct.length} bytes is not whole AES blocks`, Errno.EACCES);
    try {
      return await this.key.decrypt(CEPH_AES_IV, ct);
    } catch (cause) {
      throw new AuthError(`${what}: cannot decrypt (wrong key?)`, Errno.EACCES, { cause });
    }
  }
}

/** The ciphertext of { 1, magic, body } (encode_encrypt_enc_bl). */
export async function encryptEncBl(cipher: CephxCipher, body: (w: Writer) => void): Promise<Uint8Array> {
  const w = new Writer(64);
  w.u8(1).u64(AUTH_ENC_MAGIC);
  body(w);
  return cipher.encrypt(w.finish());
}

/** encode_encrypt: the ciphertext as a bufferlist (le32 length first). */
export async function encodeEncrypt(cipher: CephxCipher, body: (w: Writer) => void): Promise<Uint8Array> {
  const ct = await encryptEncBl(cipher, body);
  return new Writer(ct.length + 4).blob(ct).finish();
}

/** decode_decrypt_enc_bl: decrypts, checks the magic, decodes the body. */
export async function decryptEncBl<T>(cipher: CephxCipher, ct: Uint8Array, what: string, body: (r: Reader) => T): Promise<T> {
  const plain = await cipher.decrypt(ct, what);
  const r = new Reader(plain);
  r.u8(`${what}.struct_v`);
  const magic = r.u64(`${what}.magic`);
  if (magic !== AUTH_ENC_MAGIC) throw new AuthError(`${what}: bad magic 0x${magic.toString(16)} after decryption (wrong key?)`, Errno.EACCES);
  return body(r);
}

/** decode_decrypt: reads a bufferlist from `r`, then as decryptEncBl. */
export function decodeDecrypt<T>(cipher: CephxCipher, r: Reader, what: string, body: (r: Reader) => T): Promise<T> {
  return decryptEncBl(cipher, r.blob(`${what}.enc`), what, body);
}
