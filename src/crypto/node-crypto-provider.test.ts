// node:crypto and Web Crypto must agree byte for byte on everything rados-ts asks of them.
import { describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { nodeCryptoProvider } from './node-crypto-provider.ts';

describe('node:crypto provider', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 13);
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
});
