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
  aesCbcRaw(key) {
    const k = Buffer.from(key);
    const alg = `aes-${k.length * 8}-cbc`;
    const run = (decrypt: boolean, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> => {
      try {
        if (data.length % 16 !== 0) throw new RangeError(`raw AES-CBC takes whole 16-byte blocks, not ${data.length} bytes`);
        const c = decrypt ? createDecipheriv(alg, k, iv) : createCipheriv(alg, k, iv);
        c.setAutoPadding(false);
        return Promise.resolve(u8(Buffer.concat([c.update(data), c.final()])));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    return Promise.resolve({
      encrypt: (iv, data) => run(false, iv, data),
      decrypt: (iv, data) => run(true, iv, data),
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
  hmacSha384(key) {
    const k = Buffer.from(key);
    return Promise.resolve({
      sign(data) {
        return Promise.resolve(u8(createHmac('sha384', k).update(data).digest()));
      },
    });
  },
  randomBytes(n) {
    return u8(randomFillSync(Buffer.alloc(n)));
  },
};
