// A 3-monitor cephx cluster: the monitor we talk to is killed mid-session; the client hunts to
// another one (re-authenticating with its ticket), the next command succeeds, and a command
// issued while the session was dying is resent rather than lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMonHost } from '../../src/mon/mon-addrs.ts';
import { Rados, type ConnectionEvent } from '../../src/index.ts';
import { type Cluster, daemonPid, startCluster } from '../cluster/cluster.ts';
import { radosInternals } from '../../src/rados.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ mons: 3, osds: 1, mgr: false });
}, 180_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

describe('mon hunting', () => {
  it('survives the loss of the monitor it is talking to', async () => {
    const targets = parseMonHost(cluster.monAddrs);
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, timeoutMs: 15_000 });
    try {
      const first = await rados.monCommand({ prefix: 'quorum_status', format: 'json' });
      expect(first.code).toBe(0);
      const current = radosInternals(rados).monc.currentMon!;
      const events: ConnectionEvent[] = [];
      rados.on('connection', (e) => void events.push(e));
      const rank = targets.findIndex((t) => t.port === current.port);
      const pid = await daemonPid(cluster.dir, `mon.${cluster.monNames[rank]!}`);
      expect(pid).toBeGreaterThan(0);
      process.kill(pid!, 'SIGKILL');
      const r = await rados.monCommand({ prefix: 'mon dump', format: 'json' }, undefined, { timeoutMs: 45_000 });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.outputText) as { mons: Array<{ name: string }> }).mons.map((m) => m.name).sort()).toEqual(['a', 'b', 'c']);
      const next = radosInternals(rados).monc.currentMon!;
      expect(next.port).not.toBe(current.port);
      // Told as connection events: the session lost (hunting), then the new one.
      expect(events.map((e) => e.type)).toEqual(['mon-hunting', 'mon-session']);
      expect(events[0]).toMatchObject({ mon: `${current.host}:${current.port}` });
      expect(events[1]).toMatchObject({ mon: `${next.host}:${next.port}`, globalId: rados.instanceId });
      const again = await rados.monCommand({ prefix: 'osd pool ls', format: 'json' }, undefined, { timeoutMs: 30_000 });
      expect(again.code).toBe(0);
      await rados.waitForLatestOsdMap({ timeoutMs: 30_000 });
    } finally {
      await rados.close();
    }
  }, 90_000);
});
