// aes256-cts-hmac-sha384-192 against RFC 8009 appendix A (the same vectors Ceph's own
// src/test/crypto.cc AES256KRB5 tests use): key derivation for usage 2 and the four encryptions.
import { describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../crypto/crypto-provider.ts';
import { rfc8009Decrypt, rfc8009Encrypt, rfc8009Kdf, rfc8009UsageKeys } from './rfc8009.ts';

const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const hex = (b: Uint8Array): string =>
  [...b]
    .map((x) => x.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
const BASE = unhex('6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52');
const range = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('RFC 8009 aes256-cts-hmac-sha384-192', () => {
  it('derives Kc, Ke and Ki for usage 2 (appendix A, key derivation)', async () => {
    const base = await webCryptoProvider.hmacSha384(BASE);
    expect(hex(await rfc8009Kdf(base, 2, 0x99, 24))).toBe('EF5718BE86CC84963D8BBB5031E9F5C4BA41F28FAF69E73D');
    expect(hex(await rfc8009Kdf(base, 2, 0xaa, 32))).toBe('56AB22BEE63D82D7BC5227F6773F8EA7A5EB1C825160C38312980C442E5C7E49');
    expect(hex(await rfc8009Kdf(base, 2, 0x55, 24))).toBe('69B16514E3CD8E56B82010D5C73012B622C4D00FFC23ED1F');
  });

  const vectors: Array<{ plain: Uint8Array; confounder: string; ct: string }> = [
    { plain: range(0), confounder: 'F764E9FA15C276478B2C7D0C4E5F58E4', ct: '41F53FA5BFE7026D91FAF9BE959195A058707273A96A40F0A01960621AC612748B9BBFBE7EB4CE3C' },
    {
      plain: range(6),
      confounder: 'B80D3251C1F6471494256FFE712D0B9A',
      ct: '4ED7B37C2BCAC8F74F23C1CF07E62BC7B75FB3F637B9F559C7F664F69EAB7B6092237526EA0D1F61CB20D69D10F2',
    },
    {
      plain: range(16),
      confounder: '53BF8A0D105265D4E276428624CE5E63',
      ct: 'BC47FFEC7998EB91E8115CF8D19DAC4BBBE2E163E87DD37F49BECA92027764F68CF51F14D798C2273F35DF574D1F932E40C4FF255B36A266',
    },
    {
      plain: range(21),
      confounder: '763E65367E864F02F55153C7E3B58AF1',
      ct: '40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62',
    },
  ];

  it('encrypts and decrypts the four sample vectors (appendix A, encryption)', async () => {
    const keys = await rfc8009UsageKeys(webCryptoProvider, await webCryptoProvider.hmacSha384(BASE), 2);
    for (const v of vectors) {
      const ct = await rfc8009Encrypt(keys, v.plain, unhex(v.confounder));
      expect(hex(ct), `${v.plain.length} bytes`).toBe(v.ct);
      expect(await rfc8009Decrypt(keys, unhex(v.ct))).toEqual(v.plain);
    }
  });

  it('refuses a flipped bit, a truncation and another usage', async () => {
    const base = await webCryptoProvider.hmacSha384(BASE);
    const keys = await rfc8009UsageKeys(webCryptoProvider, base, 2);
    const ct = unhex(vectors[3]!.ct);
    for (let i = 0; i < ct.length; i += 7) {
      const bad = ct.slice();
      bad[i]! ^= 0x01;
      expect(await rfc8009Decrypt(keys, bad), `bit flipped at ${i}`).toBeUndefined();
    }
    expect(await rfc8009Decrypt(keys, ct.subarray(0, 39))).toBeUndefined();
    expect(await rfc8009Decrypt(await rfc8009UsageKeys(webCryptoProvider, base, 3), ct)).toBeUndefined();
  });
});
