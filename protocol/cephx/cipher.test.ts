// The per-type table behind every cephx encryption: the envelope round trip for both key types,
// key usages that separate aes256k ciphertexts (and do not matter to aes), the challenge proof of
// each type (cephx_calc_client_server_challenge), and clear errors for keys we cannot use.
import { describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../crypto/crypto-provider.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { AuthError, Errno } from '../errors.ts';
import { EntityType, parseEntityName } from '../types/entity-name.ts';
import { createCipher } from './cipher.ts';
import { CephxClient } from './client.ts';
import type { CephCryptoKey } from './crypto-key.ts';
import { decodeDecrypt, encodeEncrypt } from './envelope.ts';
import { KeyUsage } from './key-usage.ts';
import { CEPH_CRYPTO_AES, CEPH_CRYPTO_AES256KRB5 } from './key-types.ts';
import { challengeProof } from './proof.ts';

const key = (type: number, len: number): CephCryptoKey => ({ type, created: { sec: 1, nsec: 0 }, secret: Uint8Array.from({ length: len }, (_, i) => (i * 37 + type) & 0xff) });
const AES = key(CEPH_CRYPTO_AES, 16);
const AES256K = key(CEPH_CRYPTO_AES256KRB5, 32);

describe('cephx ciphers by key type', () => {
  it('envelopes round-trip; aes256k ciphertexts are 16 + plaintext + 24 bytes and never repeat', async () => {
    for (const k of [AES, AES256K]) {
      const c = await createCipher(webCryptoProvider, k);
      expect(c.type).toBe(k.type);
      const enc = await encodeEncrypt(c, KeyUsage.AUTHORIZE, (w) => w.u64(42n).string('hello'));
      const got = await decodeDecrypt(c, KeyUsage.AUTHORIZE, new Reader(enc), 'test', (r) => [r.u64(), r.string()]);
      expect(got).toEqual([42n, 'hello']);
      const again = await encodeEncrypt(c, KeyUsage.AUTHORIZE, (w) => w.u64(42n).string('hello'));
      if (k.type === CEPH_CRYPTO_AES256KRB5) {
        expect(enc.length).toBe(4 + 16 + (1 + 8 + 8 + 4 + 5) + 24);
        expect(again).not.toEqual(enc);
      } else {
        expect(again).toEqual(enc);
      }
    }
  });

  it('aes256k: another usage or key does not decrypt (AuthError EACCES); aes ignores the usage', async () => {
    const c = await createCipher(webCryptoProvider, AES256K);
    const enc = await encodeEncrypt(c, KeyUsage.AUTHORIZE, (w) => w.u32(1));
    const other = await createCipher(webCryptoProvider, { ...AES256K, secret: AES256K.secret.map((b) => b ^ 1) });
    for (const [cipher, usage] of [
      [c, KeyUsage.AUTHORIZE_REPLY],
      [other, KeyUsage.AUTHORIZE],
    ] as const) {
      const p = decodeDecrypt(cipher, usage, new Reader(enc), 'x', (r) => r.u32());
      await expect(p).rejects.toBeInstanceOf(AuthError);
      await expect(p).rejects.toMatchObject({ errno: Errno.EACCES });
    }
    await expect(decodeDecrypt(c, KeyUsage.AUTHORIZE, new Reader(new Writer().blob(new Uint8Array(39)).finish()), 'x', (r) => r.u32())).rejects.toThrow(/shorter/);
    const a = await createCipher(webCryptoProvider, AES);
    const aesEnc = await encodeEncrypt(a, KeyUsage.AUTHORIZE, (w) => w.u32(7));
    expect(await decodeDecrypt(a, KeyUsage.TICKET_INFO, new Reader(aesEnc), 'x', (r) => r.u32())).toBe(7);
  });

  it('challenge proof: aes folds encode_encrypt, aes256k folds HMAC-SHA256 of the blob', async () => {
    const s = 0x0123456789abcdefn;
    const cl = 0xfedcba9876543210n;
    const blob = new Writer(16).u64(s).u64(cl).finish();
    const fold = (b: Uint8Array): bigint => {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      let k = 0n;
      for (let p = 0; p + 8 <= b.length; p += 8) k ^= v.getBigUint64(p, true);
      return k;
    };
    const k2 = await createCipher(webCryptoProvider, AES256K);
    const mac = await (await webCryptoProvider.hmacSha256(AES256K.secret)).sign(blob);
    expect(await challengeProof(k2, s, cl)).toBe(fold(mac));
    expect(await challengeProof(k2, s, cl)).toBe(await challengeProof(k2, s, cl));
    const k1 = await createCipher(webCryptoProvider, AES);
    expect(await challengeProof(k1, s, cl)).toBe(fold(await encodeEncrypt(k1, KeyUsage.DEFAULT, (w) => w.u64(s).u64(cl))));
  });

  it('a key of an unknown type fails where it is used, naming the type', async () => {
    const seven = key(7, 24);
    await expect(createCipher(webCryptoProvider, seven)).rejects.toThrow(/key type 7 /);
    expect(() => new CephxClient({ name: parseEntityName('client.admin'), key: seven, crypto: webCryptoProvider, want: EntityType.OSD })).toThrow(AuthError);
  });
});
