// node:crypto and Web Crypto must agree byte for byte on everything rados-ts asks of them.
import { describe, expect, it } from 'vitest';
import { createCipher } from '../../protocol/cephx/cipher.ts';
import { KeyUsage } from '../../protocol/cephx/key-usage.ts';
import { CEPH_CRYPTO_AES256KRB5 } from '../../protocol/cephx/key-types.ts';
import { rfc8009Encrypt, rfc8009UsageKeys } from '../../protocol/cephx/rfc8009.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { nodeCryptoProvider } from './node-crypto-provider.ts';

describe('node:crypto provider', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 13);
  const key32 = Uint8Array.from({ length: 32 }, (_, i) => (i * 29 + 5) & 0xff);
  const iv12 = Uint8Array.from({ length: 12 }, (_, i) => 200 - i);
  const iv16 = new TextEncoder().encode('cephsageyudagreg');
  const data = Uint8Array.from({ length: 77 }, (_, i) => (i * 31) & 0xff);
  it('AES-128-GCM, AES-128-CBC and HMAC-SHA256 equal Web Crypto', async () => {
    const [ng, wg] = [await nodeCryptoProvider.aesGcm(key), await webCryptoProvider.aesGcm(key)];
    const sealed = await ng.encrypt(iv12, data);
    expect(sealed).toEqual(await wg.encrypt(iv12, data));
    expect(await wg.decrypt(iv12, sealed)).toEqual(data);
    expect(await ng.decrypt(iv12, sealed)).toEqual(data);
    const bad = sealed.slice();
    bad[3]! ^= 1;
    await expect(ng.decrypt(iv12, bad)).rejects.toThrow();
    const [nc, wc] = [await nodeCryptoProvider.aesCbc(key), await webCryptoProvider.aesCbc(key)];
    const ct = await nc.encrypt(iv16, data);
    expect(ct).toEqual(await wc.encrypt(iv16, data));
    expect(await nc.decrypt(iv16, ct)).toEqual(data);
    expect(await (await nodeCryptoProvider.hmacSha256(key)).sign(data)).toEqual(await (await webCryptoProvider.hmacSha256(key)).sign(data));
    expect(nodeCryptoProvider.randomBytes(8).length).toBe(8);
  });

  it('raw AES-CBC (128 and 256 bits, no padding) and HMAC-SHA384 equal Web Crypto', async () => {
    for (const k of [key, key32]) {
      const [n, w] = [await nodeCryptoProvider.aesCbcRaw(k), await webCryptoProvider.aesCbcRaw(k)];
      for (const len of [0, 16, 32, 80]) {
        const plain = Uint8Array.from({ length: len }, (_, i) => (i * 11 + 3) & 0xff);
        const ct = await n.encrypt(iv16, plain);
        expect(ct.length).toBe(len);
        expect(ct).toEqual(await w.encrypt(iv16, plain));
        expect(await w.decrypt(iv16, ct)).toEqual(plain);
        expect(await n.decrypt(iv16, ct)).toEqual(plain);
      }
      // Any bytes decrypt (there is no padding to check): garbage in, garbage out, same on both.
      const junk = data.subarray(0, 48);
      expect(await n.decrypt(iv16, junk)).toEqual(await w.decrypt(iv16, junk));
      await expect(n.encrypt(iv16, data.subarray(0, 17))).rejects.toThrow(RangeError);
      await expect(w.decrypt(iv16, data.subarray(0, 17))).rejects.toThrow(RangeError);
    }
    for (const k of [key, key32, data]) {
      expect(await (await nodeCryptoProvider.hmacSha384(k)).sign(data)).toEqual(await (await webCryptoProvider.hmacSha384(k)).sign(data));
    }
  });

  it('aes256k (RFC 8009) is the same on both: an RFC vector, and each decrypts the other', async () => {
    const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));
    const base = unhex('6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52');
    const keys = await rfc8009UsageKeys(nodeCryptoProvider, await nodeCryptoProvider.hmacSha384(base), 2);
    const ct = await rfc8009Encrypt(
      keys,
      Uint8Array.from({ length: 21 }, (_, i) => i),
      unhex('763E65367E864F02F55153C7E3B58AF1'),
    );
    expect(ct).toEqual(unhex('40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62'));
    const k = { type: CEPH_CRYPTO_AES256KRB5, created: { sec: 0, nsec: 0 }, secret: key32 };
    const [n, w] = [await createCipher(nodeCryptoProvider, k), await createCipher(webCryptoProvider, k)];
    for (const len of [0, 1, 15, 16, 17, 64, 1000]) {
      const plain = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
      expect(await w.decrypt(KeyUsage.TICKET_SESSION_KEY, await n.encrypt(KeyUsage.TICKET_SESSION_KEY, plain), 'n->w')).toEqual(plain);
      expect(await n.decrypt(KeyUsage.TICKET_SESSION_KEY, await w.encrypt(KeyUsage.TICKET_SESSION_KEY, plain), 'w->n')).toEqual(plain);
    }
  });
});
