// aes256k inside real workerd (test/workerd/aes256k-worker.ts): Web Crypto has no CBC-CTS, so the
// CTS and RFC 8009 layers run on its AES-CBC and HMAC-SHA384 there; the RFC 8009 sample vector
// (21 bytes, usage 2) must come out the same as in Node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerd, type Workerd } from '../workerd/harness.ts';

let workerd: Workerd;
beforeAll(async () => {
  workerd = await startWorkerd('test/workerd/aes256k-worker.ts');
}, 60_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (workerd as Workerd | undefined)?.stop();
});

describe('aes256k inside workerd', () => {
  it('encrypts the RFC 8009 vector and round-trips a cephx envelope', async () => {
    const res = await fetch(workerd.url, {
      method: 'POST',
      body: JSON.stringify({
        secret: '6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52',
        usage: 2,
        confounder: '763e65367e864f02f55153c7e3b58af1',
        plain: '000102030405060708090a0b0c0d0e0f1011121314',
      }),
    });
    const body = (await res.json()) as { ct: string; back: string | null; text: string; hasProcess: boolean; error?: string };
    expect(body.error, workerd.log()).toBeUndefined();
    expect(body.ct).toBe('40013e2df58e8751957d2878bcd2d6fe101ccfd556cb1eae79db3c3ee86429f2b2a602ac86fef6ecb647d6295fae077a1feb517508d2c16b4192e01f62');
    expect(body.back).toBe('000102030405060708090a0b0c0d0e0f1011121314');
    expect(body.text).toBe('inside workerd');
    expect(body.hasProcess).toBe(false);
  }, 60_000);
});
