// CBC-CTS (CS3) against RFC 3962 appendix B (AES-128, key "chicken teriyaki", IV 0) and against
// OpenSSL's AES-256-CBC-CTS in CS3 mode, the call Ceph's Crypto.cc makes (fixtures/cephx).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../crypto/crypto-provider.ts';
import { ctsDecrypt, ctsEncrypt } from './cbc-cts.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('AES-CBC-CTS (CS3)', () => {
  it('RFC 3962 appendix B vectors', async () => {
    const k = await webCryptoProvider.aesCbcRaw(ascii('chicken teriyaki'));
    const iv = new Uint8Array(16);
    const input = ascii("I would like the General Gau's Chicken, please, and wonton soup.");
    const vectors: Array<[number, string]> = [
      [17, 'c6353568f2bf8cb4d8a580362da7ff7f97'],
      [31, 'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5'],
      [32, '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584'],
      [47, '97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5'],
      [48, '97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8'],
      [64, '97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8'],
    ];
    for (const [n, want] of vectors) {
      const ct = await ctsEncrypt(k, iv, input.subarray(0, n));
      expect(hex(ct), `${n} bytes`).toBe(want);
      expect(await ctsDecrypt(k, iv, ct)).toEqual(input.subarray(0, n));
    }
  });

  it("equals OpenSSL's AES-256-CBC-CTS CS3 for 16..69, 100, 255, 256 and 1000 bytes", async () => {
    const rows = JSON.parse(readFileSync(new URL('../../fixtures/cephx/cts-cs3-openssl.json', import.meta.url), 'utf8')) as Array<{ n: number; ct: string }>;
    expect(rows.length).toBeGreaterThan(50);
    for (const { n, ct } of rows) {
      const k = await webCryptoProvider.aesCbcRaw(Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 0xff));
      const iv = Uint8Array.from({ length: 16 }, (_, i) => (i * 3 + 1) & 0xff);
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      const got = await ctsEncrypt(k, iv, data);
      expect(hex(got), `${n} bytes`).toBe(ct);
      expect(await ctsDecrypt(k, iv, got)).toEqual(data);
    }
  });

  it('refuses less than one block', async () => {
    const k = await webCryptoProvider.aesCbcRaw(new Uint8Array(32));
    await expect(ctsEncrypt(k, new Uint8Array(16), new Uint8Array(15))).rejects.toThrow(RangeError);
    await expect(ctsDecrypt(k, new Uint8Array(16), new Uint8Array(0))).rejects.toThrow(RangeError);
  });
});
