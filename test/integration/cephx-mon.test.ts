// cephx against a real monitor: our proof, ticket decoding, AUTH_SIGNATURE (both ways, the
// server's checked) and connection secret, in crc mode and in secure mode.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { CephxClient } from '../../protocol/cephx/client.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { decodeMonMap } from '../../protocol/maps/monmap.ts';
import { decodeMonMapMessage, MMonGetMap } from '../../protocol/messages/mon-map-message.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { ConMode } from '../../protocol/msgr2/tags.ts';
import { EntityType, parseEntityName } from '../../protocol/types/entity-name.ts';
import { parseMonHost } from '../../src/mon/mon-addrs.ts';
import { Connection } from '../../src/msgr2/connection.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';

const cluster = inject('cluster');

function client(): CephxClient {
  const keyring = parseKeyring(readFileSync(cluster.keyringPath, 'utf8'));
  return new CephxClient({ name: parseEntityName('client.admin'), key: keyring.get('client.admin')!.key, crypto: webCryptoProvider });
}

async function session(mode: number, cx: CephxClient): Promise<Connection> {
  const mon = parseMonHost(cluster.monAddrs)[0]!;
  return Connection.open({
    host: mon.host,
    port: mon.port,
    transport: nodeTransport,
    auth: cx.monExchange(),
    modes: [mode],
    crypto: webCryptoProvider,
    signal: AbortSignal.timeout(10_000),
  });
}

async function monmapOver(conn: Connection): Promise<string> {
  const got = new Promise<Message>((resolve) => {
    conn.on('message', (m) => m.header.type === 4 && resolve(m));
  });
  await conn.send({ ...MMonGetMap, front: new Uint8Array(0) });
  return decodeMonMap(decodeMonMapMessage((await got).front)).fsid;
}

describe('cephx with a real monitor', () => {
  for (const [label, mode] of [
    ['crc', ConMode.CRC],
    ['secure', ConMode.SECURE],
  ] as const) {
    it(`authenticates and talks in ${label} mode`, async () => {
      const cx = client();
      const conn = await session(mode, cx);
      try {
        expect(conn.mode).toBe(label);
        expect(cx.globalId).toBeGreaterThan(0n);
        expect(cx.ticket(EntityType.OSD)).toBeDefined();
        expect(cx.ticket(EntityType.MGR)).toBeDefined();
        expect(await monmapOver(conn)).toBe(cluster.fsid);
      } finally {
        await conn.close();
      }
    });
  }
});
