// cephx with the key type the release makes (Pacific/Reef: 1 "aes"; Tentacle: 2 "aes256k",
// RFC 8009): the mon's session keys are of the client key's type; a second authentication of the
// same client presents its old AUTH ticket (the mon re-encrypts the new one with the old session
// key, key usage TICKET_BLOB) and still gets a connection secret for secure mode; service
// tickets renew over MAuth (CEPHX_GET_PRINCIPAL_SESSION_KEY, an authorizer made with the AUTH
// session key and tickets encrypted with it); both crypto
// providers authenticate; the OSD authorizer round (usages AUTHORIZE, AUTHORIZE_CHALLENGE,
// AUTHORIZE_REPLY) works through Rados in both modes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { CephxClient, SERVICE_AUTH } from '../../protocol/cephx/client.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { decodeAuthReply, encodeAuthMessage, MAUTH } from '../../protocol/messages/auth-message.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { AuthMethod } from '../../protocol/msgr2/tags.ts';
import { ConMode } from '../../protocol/msgr2/tags.ts';
import { EntityType, parseEntityName } from '../../protocol/types/entity-name.ts';
import { nodeCryptoProvider } from '../../src/crypto/node-crypto-provider.ts';
import { Rados } from '../../src/index.ts';
import { parseMonHost } from '../../src/mon/mon-addrs.ts';
import { Connection } from '../../src/msgr2/connection.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { releaseNamed } from '../cluster/releases.ts';
import { cephJson } from '../cluster/ceph-cli.ts';

const cluster = inject('cluster');
const release = releaseNamed(cluster.release);
const adminKey = () => parseKeyring(readFileSync(cluster.keyringPath, 'utf8')).get('client.admin')!.key;

async function open(cx: CephxClient, mode: number, crypto: CryptoProvider): Promise<Connection> {
  const mon = parseMonHost(cluster.monAddrs)[0]!;
  return Connection.open({ host: mon.host, port: mon.port, transport: nodeTransport, auth: cx.monExchange(), modes: [mode], crypto, signal: AbortSignal.timeout(10_000) });
}

type MgrDump = { available: boolean; active_gid: number; active_addrs: { addrvec: Array<{ type: string; addr: string; nonce: number }> } };

/**
 * The active mgr and its msgr2 address. It may still be starting, or have been dropped from the
 * MgrMap for a late beacon on a loaded machine (it comes back): wait, then fail with what the
 * map and its log say.
 */
async function activeMgr(waitMs = 240_000): Promise<{ dump: MgrDump; v2: { addr: string; nonce: number } }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const dump = cephJson<MgrDump>(cluster, ['mgr', 'dump']);
    const v2 = dump.active_addrs.addrvec.find((a) => a.type === 'v2');
    if (v2) return { dump, v2 };
    if (Date.now() > deadline) {
      const log = readFileSync(join(cluster.dir, 'mgr.x.log'), 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`no active mgr after ${waitMs} ms: ${JSON.stringify(dump).slice(0, 400)}\n--- mgr.x.log (tail) ---\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe(`cephx keys of ${cluster.release}`, () => {
  it(`client.admin has the release's key type (${release.defaultKeyType}) and the mon answers in kind`, async () => {
    const key = adminKey();
    expect(key.type).toBe(release.defaultKeyType);
    expect(key.secret.length).toBe(release.defaultKeyType === 2 ? 32 : 16);
    for (const crypto of [webCryptoProvider, nodeCryptoProvider]) {
      const cx = new CephxClient({ name: parseEntityName('client.admin'), key, crypto });
      const conn = await open(cx, ConMode.SECURE, crypto);
      try {
        expect(conn.mode).toBe('secure');
        for (const service of [SERVICE_AUTH, EntityType.MON, EntityType.OSD, EntityType.MGR]) {
          expect(cx.ticket(service)?.sessionKey.type, `${crypto.name}: session key for service ${service}`).toBe(key.type);
        }
      } finally {
        await conn.close();
      }
    }
  });

  it('authenticates again with its old AUTH ticket, in secure mode, keeping its global id', async () => {
    const cx = new CephxClient({ name: parseEntityName('client.admin'), key: adminKey(), crypto: webCryptoProvider });
    const first = await open(cx, ConMode.SECURE, webCryptoProvider);
    const gid = cx.globalId;
    const oldTicket = cx.ticket(SERVICE_AUTH)!.ticket;
    await first.close();
    const second = await open(cx, ConMode.SECURE, webCryptoProvider);
    try {
      expect(second.mode).toBe('secure');
      expect(cx.globalId).toBe(gid);
      expect(cx.ticket(SERVICE_AUTH)!.ticket.blob).not.toEqual(oldTicket.blob);
    } finally {
      await second.close();
    }
  });

  it('renews service tickets over MAuth (CEPHX_GET_PRINCIPAL_SESSION_KEY)', async () => {
    let clock = Date.now();
    const key = adminKey();
    const cx = new CephxClient({ name: parseEntityName('client.admin'), key, crypto: webCryptoProvider, now: () => clock });
    const conn = await open(cx, ConMode.SECURE, webCryptoProvider);
    try {
      const before = cx.ticket(EntityType.OSD)!;
      expect(await cx.ticketRequest()).toBeUndefined();
      clock += 24 * 3600_000; // every service ticket is now due for renewal
      const payload = (await cx.ticketRequest())!;
      const reply = new Promise<Message>((resolve) => {
        conn.on('message', (m) => m.header.type === MsgType.AUTH_REPLY && resolve(m));
      });
      await conn.send({ ...MAUTH, front: encodeAuthMessage(AuthMethod.CEPHX, payload, 0) });
      const r = decodeAuthReply((await reply).front);
      expect(r.result).toBe(0);
      expect((await cx.handleTicketReply(r.payload)).sort()).toEqual([EntityType.MON, EntityType.OSD, EntityType.MGR].sort());
      const after = cx.ticket(EntityType.OSD)!;
      expect(after.sessionKey.type).toBe(key.type);
      expect(after.sessionKey.secret).not.toEqual(before.sessionKey.secret);
      expect(after.renewAfter).toBeGreaterThan(clock);
    } finally {
      await conn.close();
    }
  });

  for (const mode of [ConMode.CRC, ConMode.SECURE]) {
    it(`presents its MGR authorizer to the active mgr in ${mode === ConMode.CRC ? 'crc' : 'secure'} mode`, async () => {
      const cx = new CephxClient({ name: parseEntityName('client.admin'), key: adminKey(), crypto: webCryptoProvider });
      await (await open(cx, ConMode.CRC, webCryptoProvider)).close();
      expect(cx.ticket(EntityType.MGR)?.sessionKey.type).toBe(release.defaultKeyType);
      const { dump, v2 } = await activeMgr();
      const colon = v2.addr.lastIndexOf(':');
      const conn = await Connection.open({
        host: v2.addr.slice(0, colon),
        port: Number(v2.addr.slice(colon + 1)),
        peerNonce: v2.nonce,
        transport: nodeTransport,
        auth: cx.authorizerExchange(EntityType.MGR),
        modes: [mode],
        crypto: webCryptoProvider,
        signal: AbortSignal.timeout(10_000),
      });
      try {
        // The mgr took our authorizer: the session reached SERVER_IDENT, from the mgr the MgrMap names.
        expect(conn.mode).toBe(mode === ConMode.CRC ? 'crc' : 'secure');
        expect(conn.serverIdent?.gid).toBe(BigInt(dump.active_gid));
      } finally {
        await conn.close();
      }
    });
  }

  for (const mode of ['crc', 'secure'] as const) {
    it(`talks to an OSD through the authorizer in ${mode} mode`, async () => {
      const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode });
      try {
        const pool = `cephx-keys-${mode}`;
        await rados.createPool(pool, { pgNum: 1 });
        const io = await rados.openIoCtx(pool);
        await io.writeFull('obj', new TextEncoder().encode(`hello over ${mode}`));
        expect(new TextDecoder().decode(await io.read('obj'))).toBe(`hello over ${mode}`);
        // The release's own rados CLI reads back what we wrote.
        expect(execFileSync('rados', ['-c', cluster.confPath, '-p', pool, 'get', 'obj', '-'], { encoding: 'utf8' })).toBe(`hello over ${mode}`);
        await rados.deletePool(pool);
      } finally {
        await rados.close();
      }
    });
  }
});
