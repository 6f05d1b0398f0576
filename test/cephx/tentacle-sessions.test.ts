// Tentacle's own bytes with aes256k keys (fixtures/cephx/tentacle-capture, see fixtures/cephx/README.md):
// the `rados` CLI of Ceph 20.2 authenticating with a type-2 client.admin key, its monitor session
// and its OSD session in msgr2.1 crc mode. With the throwaway keyring we check every cephx step
// the way Tentacle does it: the HMAC-SHA256 challenge proof, tickets whose session keys are
// aes256k (RFC 8009, per-usage keys), both AUTH_SIGNATUREs with a 32-byte session key, and the
// OSD authorizer with its CEPHX_V2 challenge and reply.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CephxClient, SERVICE_AUTH } from '../../protocol/cephx/client.ts';
import { CEPH_CRYPTO_AES256KRB5 } from '../../protocol/cephx/key-types.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { decodeAuthDone } from '../../protocol/msgr2/auth-frames.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { EntityType, parseEntityName } from '../../protocol/types/entity-name.ts';
import { parseSession } from '../capture/parse-session.ts';
import { checkFrames, checkMonCephx, checkOsdAuthorizer, useSource } from '../capture/session-checks.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/cephx/tentacle-capture/${name}`, import.meta.url)));
const key = parseKeyring(new TextDecoder().decode(fixture('keyring'))).get('client.admin')!.key;

useSource({
  key,
  sessions: async (name) => ({ client: await parseSession(fixture(`${name}.client.bin`)), server: await parseSession(fixture(`${name}.server.bin`)) }),
});

describe('stored Tentacle sessions (aes256k keys)', () => {
  it('the client key is aes256k', () => {
    expect(key.type).toBe(CEPH_CRYPTO_AES256KRB5);
    expect(key.secret.length).toBe(32);
  });
  it('the monitor hands out aes256k session keys for every ticket', async () => {
    const server = await parseSession(fixture('rados-mon.server.bin'));
    const done = decodeAuthDone(server.frames.find((f) => f.frame.tag === Tag.AUTH_DONE)!.frame.segments[0]!);
    const cx = new CephxClient({ name: parseEntityName('client.admin'), key, crypto: webCryptoProvider });
    const out = await cx.monExchange().done(done.globalId, done.conMode, done.payload);
    expect(out.sessionKey.length).toBe(32);
    expect(out.connectionSecret.length).toBe(0); // crc mode asks for no connection secret
    for (const service of [SERVICE_AUTH, EntityType.MON, EntityType.OSD, EntityType.MGR]) {
      expect(cx.ticket(service)?.sessionKey.type, `service ${service}`).toBe(CEPH_CRYPTO_AES256KRB5);
    }
  });
  for (const name of ['rados-mon', 'rados-osd']) it(`${name}: every frame re-encodes byte for byte`, () => checkFrames(name));
  it('rados-mon: proof, tickets and both AUTH_SIGNATUREs', () => checkMonCephx('rados-mon'));
  it('rados-osd: the authorizer, its CEPHX_V2 challenge round and the reply', () => checkOsdAuthorizer());
});
