// Runs inside workerd: aes256k (RFC 8009 over Web Crypto's AES-CBC and HMAC-SHA384) on an RFC 8009
// sample vector, and a cephx envelope round trip with a type-2 key, with no Node API in reach.
import { createCipher } from '../../protocol/cephx/cipher.ts';
import { decodeDecrypt, encodeEncrypt } from '../../protocol/cephx/envelope.ts';
import { KeyUsage } from '../../protocol/cephx/key-usage.ts';
import { rfc8009Decrypt, rfc8009Encrypt, rfc8009UsageKeys } from '../../protocol/cephx/rfc8009.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { Reader } from '../../protocol/encoding/reader.ts';

const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ok');
    const { secret, usage, confounder, plain } = (await request.json()) as { secret: string; usage: number; confounder: string; plain: string };
    try {
      const keys = await rfc8009UsageKeys(webCryptoProvider, await webCryptoProvider.hmacSha384(unhex(secret)), usage);
      const ct = await rfc8009Encrypt(keys, unhex(plain), unhex(confounder));
      const back = await rfc8009Decrypt(keys, ct);
      const cipher = await createCipher(webCryptoProvider, { type: 2, created: { sec: 0, nsec: 0 }, secret: unhex(secret) });
      const env = await encodeEncrypt(cipher, KeyUsage.AUTHORIZE, (w) => w.string('inside workerd'));
      const text = await decodeDecrypt(cipher, KeyUsage.AUTHORIZE, new Reader(env), 'env', (r) => r.string());
      return Response.json({ ct: hex(ct), back: back ? hex(back) : null, text, hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined' });
    } catch (e) {
      return Response.json({ error: `${(e as Error).name}: ${(e as Error).message}` }, { status: 500 });
    }
  },
};
