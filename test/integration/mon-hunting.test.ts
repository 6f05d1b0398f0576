// A 3-monitor cluster: the monitor we talk to is killed mid-session; the client hunts to
// another one and the next command succeeds, and no command is lost across the fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { ConMode } from '../../protocol/msgr2/tags.ts';
import { parseEntityName } from '../../protocol/types/entity-name.ts';
import { authNone } from '../../src/auth/auth-none.ts';
import { parseMonHost } from '../../src/mon/mon-addrs.ts';
import { MonClient } from '../../src/mon/mon-client.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { type Cluster, daemonPid, startCluster } from '../cluster/cluster.ts';
import { AUTH_NONE_CONF } from '../fixtures/msgr2.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ mons: 3, osds: 0, mgr: false, extraConf: AUTH_NONE_CONF });
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);

describe('mon hunting', () => {
  it('survives the loss of the monitor it is talking to', async () => {
    const targets = parseMonHost(cluster.monAddrs);
    const monc = new MonClient({
      mons: targets,
      auth: () => authNone(parseEntityName('client.admin')),
      modes: [ConMode.CRC],
      crypto: webCryptoProvider,
      transport: nodeTransport,
      huntIntervalMs: 2_000,
    });
    try {
      await monc.connect({ timeoutMs: 15_000 });
      const first = await monc.command({ prefix: 'quorum_status', format: 'json' });
      expect(first.code).toBe(0);
      const current = monc.currentMon!;
      const rank = targets.findIndex((t) => t.port === current.port);
      const name = cluster.monNames[rank]!;
      const pid = await daemonPid(cluster.dir, `mon.${name}`);
      expect(pid).toBeGreaterThan(0);
      process.kill(pid!, 'SIGKILL');
      // Issued while the session is dying: it must be resent on the next session, not lost.
      const r = await monc.command({ prefix: 'mon dump', format: 'json' }, undefined, { timeoutMs: 45_000 });
      expect(r.code).toBe(0);
      const dump = JSON.parse(r.outputText) as { mons: Array<{ name: string }> };
      expect(dump.mons.map((m) => m.name).sort()).toEqual(['a', 'b', 'c']);
      expect(monc.currentMon!.port).not.toBe(current.port);
      // And the session keeps working afterwards.
      const again = await monc.command({ prefix: 'osd pool ls', format: 'json' }, undefined, { timeoutMs: 30_000 });
      expect(again.code).toBe(0);
    } finally {
      await monc.close();
    }
  }, 90_000);
});
