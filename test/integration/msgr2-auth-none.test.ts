// Our msgr2 bytes against a real monitor with auth "none": banner, HELLO, AUTH (none),
// AUTH_SIGNATURE, CLIENT_IDENT/SERVER_IDENT, then MMonGetMap → MMonMap, in crc mode.
// This isolates the framing from cephx. The cluster is our own (auth none is a cluster setting).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMonMap } from '../../protocol/maps/monmap.ts';
import { decodeMonMapMessage, MMonGetMap } from '../../protocol/messages/mon-map-message.ts';
import { ConMode, Tag } from '../../protocol/msgr2/tags.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { parseEntityName } from '../../protocol/types/entity-name.ts';
import { authNone } from '../../protocol/auth/auth-none.ts';
import { Connection } from '../../src/msgr2/connection.ts';
import { parseMonHost } from '../../src/mon/mon-addrs.ts';
import { MonClient } from '../../src/mon/mon-client.ts';
import { noneAuthClient } from '../../src/auth/auth-setup.ts';
import { Messenger } from '../../src/msgr2/messenger.ts';
import type { FrameEvent } from '../../src/msgr2/frame-trace.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';
import { cephJson } from '../cluster/ceph-cli.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({
    osds: 0,
    mgr: false,
    extraConf: ['auth cluster required = none', 'auth service required = none', 'auth client required = none', 'ms_mon_service_mode = crc'],
  });
}, 180_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

function v2Addr(monAddr: string): { host: string; port: number } {
  const m = /v2:([0-9.]+):(\d+)/.exec(monAddr);
  if (!m) throw new Error(`no v2 address in ${monAddr}`);
  return { host: m[1]!, port: Number(m[2]) };
}

describe('msgr2 handshake with a real mon (auth none, crc)', () => {
  it('authenticates, identifies and fetches the monmap', async () => {
    const { host, port } = v2Addr(cluster.monAddrs[0]!);
    const frames: FrameEvent[] = [];
    const conn = await Connection.open({
      host,
      port,
      transport: nodeTransport,
      auth: authNone(parseEntityName('client.admin')),
      modes: [ConMode.CRC],
      crypto: webCryptoProvider,
      onFrame: (e) => frames.push(e),
      signal: AbortSignal.timeout(10_000),
    });
    try {
      expect(conn.mode).toBe('crc');
      expect(conn.globalId).toBeGreaterThan(0n);
      expect(conn.serverIdent?.addrs.some((a) => a.port === port)).toBe(true);
      const got = new Promise<Message>((resolve) => {
        conn.on('message', (m) => {
          if (m.header.type === 4) resolve(m);
        });
      });
      await conn.send({ ...MMonGetMap, front: new Uint8Array(0) });
      const m = await got;
      const monmap = decodeMonMap(decodeMonMapMessage(m.front));
      expect(monmap.fsid).toBe(cluster.fsid);
      expect(frames.map((f) => `${f.direction}:${f.tagName}`).slice(0, 8)).toEqual([
        'tx:HELLO',
        'rx:HELLO',
        'tx:AUTH_REQUEST',
        'rx:AUTH_DONE',
        'tx:AUTH_SIGNATURE',
        'rx:AUTH_SIGNATURE',
        'tx:CLIENT_IDENT',
        'rx:SERVER_IDENT',
      ]);
      expect(frames.some((f) => f.direction === 'rx' && f.tag === Tag.MESSAGE)).toBe(true);
    } finally {
      await conn.close();
    }
  }, 30_000);
});

describe('MonClient over msgr2 (auth none)', () => {
  it('runs mon commands whose JSON equals the ceph CLI output', async () => {
    const messenger = new Messenger({ auth: noneAuthClient('client.admin'), modes: [ConMode.CRC], crypto: webCryptoProvider, transport: nodeTransport });
    const monc = new MonClient({ messenger, mons: parseMonHost(cluster.monAddrs) });
    try {
      await monc.connect({ timeoutMs: 10_000 });
      const r = await monc.command({ prefix: 'mon dump', format: 'json' });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.outputText)).toEqual(cephJson(cluster, ['mon', 'dump']));
      const bad = await monc.command({ prefix: 'osd pool get', pool: 'no-such-pool', var: 'size', format: 'json' });
      expect(bad.code).toBe(-2);
      const v = await monc.getVersion('monmap');
      expect(v.version).toBeGreaterThanOrEqual(1n);
    } finally {
      await monc.close();
    }
  }, 30_000);
});
