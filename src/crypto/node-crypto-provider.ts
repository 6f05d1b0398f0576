// node:crypto behind the CryptoProvider interface. Same results as Web Crypto (the tests run
// both); used by the Node entry because it is much cheaper per call for small frames
// (`npm run bench -- msgr2-frames`).
import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const nodeCryptoProvider: CryptoProvider = {
  name: 'node:crypto',
  aesCbc(key) {
    const k = Buffer.from(key);
    return Promise.resolve({
      encrypt(iv, data) {
        const c = createCipheriv('aes-128-cbc', k, iv);
        return Promise.resolve(u8(Buffer.concat([c.update(data), c.final()])));
      },
      decrypt(iv, data) {
        try {
          const d = createDecipheriv('aes-128-cbc', k, iv);
          return Promise.resolve(u8(Buffer.concat([d.update(data), d.final()])));
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    });
  },
  aesGcm(key) {
    const k = Buffer.from(key);
    return Promise.resolve({
      encrypt(iv, data) {
        const c = createCipheriv('aes-128-gcm', k, iv);
        return Promise.resolve(u8(Buffer.concat([c.update(data), c.final(), c.getAuthTag()])));
      },
      decrypt(iv, sealed) {
        try {
          if (sealed.length < 16) throw new Error('GCM input shorter than its tag');
          const d = createDecipheriv('aes-128-gcm', k, iv);
          d.setAuthTag(sealed.subarray(sealed.length - 16));
          return Promise.resolve(u8(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()])));
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    });
  },
  hmacSha256(key) {
    const k = Buffer.from(key);
    return Promise.resolve({
      sign(data) {
        return Promise.resolve(u8(createHmac('sha256', k).update(data).digest()));
      },
    });
  },
  randomBytes(n) {
    return u8(randomFillSync(Buffer.alloc(n)));
  },
};
