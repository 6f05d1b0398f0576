// Every cephx decoder over mutated and truncated real payloads (fixtures/capture): each either
// decodes or throws DecodeError / AuthError — never anything else, never a hang (time-bounded).
import { describe, expect, it } from 'vitest';
import { CephxClient } from '../../protocol/cephx/client.ts';
import { parseKeyString } from '../../protocol/cephx/crypto-key.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { decodeAuthenticate, decodeServerChallenge, decodeTicketBlob } from '../../protocol/cephx/messages.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { DecodeError } from '../../protocol/encoding/decode-error.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { AuthError } from '../../protocol/errors.ts';
import { decodeAuthDone, decodeAuthMore, decodeAuthRequest } from '../../protocol/msgr2/auth-frames.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { parseEntityName } from '../../protocol/types/entity-name.ts';
import { fixture, parseSession } from '../capture/parse-session.ts';

const keyring = new TextDecoder().decode(fixture('keyring'));
const key = parseKeyring(keyring).get('client.admin')!.key;

function mutants(seed: number, base: Uint8Array, n: number): Uint8Array[] {
  let s = seed;
  const rand = (m: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % m;
  };
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const b = base.slice(0, rand(3) === 0 ? rand(base.length + 1) : base.length);
    for (let k = 0, m = 1 + rand(3); k < m && b.length > 0; k++) b[rand(b.length)] = rand(256);
    out.push(b);
  }
  return out;
}

async function survives(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof DecodeError || e instanceof AuthError)) throw e;
  }
}

describe('cephx decoders under mutation', () => {
  it('mon exchange payloads (server challenge, authenticate, AUTH_DONE tickets)', async () => {
    const client = await parseSession(fixture('rados-mon.client.bin'));
    const server = await parseSession(fixture('rados-mon.server.bin'));
    const seg = (s: typeof client, tag: number): Uint8Array => s.frames.find((f) => f.frame.tag === tag)!.frame.segments[0]!;
    const challenge = decodeAuthMore(seg(server, Tag.AUTH_REPLY_MORE));
    const authenticate = decodeAuthMore(seg(client, Tag.AUTH_REQUEST_MORE));
    const done = decodeAuthDone(seg(server, Tag.AUTH_DONE));
    const request = decodeAuthRequest(seg(client, Tag.AUTH_REQUEST)).payload;
    const deadline = Date.now() + 2_000;
    let n = 0;
    for (let seed = 1; Date.now() < deadline; seed++) {
      for (const b of mutants(seed, challenge, 4)) await survives(() => decodeServerChallenge(new Reader(b)));
      for (const b of mutants(seed, authenticate, 4))
        await survives(() => {
          const r = new Reader(b);
          r.skip(2, 'request_type');
          return decodeAuthenticate(r);
        });
      for (const b of mutants(seed, request, 4)) await survives(() => decodeTicketBlob(new Reader(b)));
      for (const b of mutants(seed, done.payload, 2)) {
        const cx = new CephxClient({ name: parseEntityName('client.admin'), key, crypto: webCryptoProvider });
        await survives(() => cx.monExchange().done(done.globalId, done.conMode, b));
      }
      n++;
    }
    expect(n).toBeGreaterThan(20);
  });

  it('keys and keyrings: bad text is a clear error', () => {
    expect(() => parseKeyString('not base64 !!')).toThrow(TypeError);
    expect(() => parseKeyString('AQAA')).toThrow(DecodeError);
    expect(parseKeyring('[client.x]\n\tkey = ' + keyring.split('key = ')[1]!.split('\n')[0]!).get('client.x')?.key.secret.length).toBe(16);
  });

  it('a wrong key cannot read the tickets: AuthError, not garbage', async () => {
    const server = await parseSession(fixture('rados-mon.server.bin'));
    const done = decodeAuthDone(server.frames.find((f) => f.frame.tag === Tag.AUTH_DONE)!.frame.segments[0]!);
    const wrong = { ...key, secret: key.secret.map((b) => b ^ 0x5a) };
    const cx = new CephxClient({ name: parseEntityName('client.admin'), key: wrong, crypto: webCryptoProvider });
    await expect(cx.monExchange().done(done.globalId, done.conMode, done.payload)).rejects.toThrow(AuthError);
  });
});
