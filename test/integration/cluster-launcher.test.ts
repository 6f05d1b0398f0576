// The project's own launcher: a 3-monitor cluster boots and reaches quorum, stop()
// ends exactly its processes and removes its directory, and a boot that cannot
// succeed throws with the tail of the failing daemon's log.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { daemonPid, startCluster } from '../cluster/cluster.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cluster launcher', () => {
  it('boots 3 mons + 2 OSDs with quorum, and stop() cleans up', async () => {
    const c = await startCluster({ mons: 3, osds: 2, mgr: false });
    let pids: number[] = [];
    try {
      const q = JSON.parse(await c.ceph(['quorum_status', '--format', 'json'])) as { quorum_names: string[]; monmap: { fsid: string } };
      expect(q.quorum_names.sort()).toEqual(['a', 'b', 'c']);
      expect(q.monmap.fsid).toBe(c.fsid);
      const osd = JSON.parse(await c.ceph(['osd', 'stat', '--format', 'json'])) as { num_up_osds: number };
      expect(osd.num_up_osds).toBe(2);
      pids = (await Promise.all(['mon.a', 'mon.b', 'mon.c', 'osd.0', 'osd.1'].map((n) => daemonPid(c.dir, n)))).filter((p): p is number => p !== undefined);
      expect(pids).toHaveLength(5);
      expect(pids.every(alive)).toBe(true);
    } finally {
      await c.stop();
    }
    expect(pids.some(alive)).toBe(false);
    expect(existsSync(c.dir)).toBe(false);
  });

  it('a boot that cannot succeed fails loudly with the daemon log', async () => {
    // A data directory that cannot be created: the OSD's mkfs fails.
    const boot = startCluster({ osds: 1, mgr: false, extraConf: ['osd data = /proc/rados-ts-cannot-exist/$name'], timeoutMs: 30_000 });
    const outcome = await boot.then(
      async (c) => {
        await c.stop(); // never leak a cluster, even when the test fails
        return 'started';
      },
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(outcome).toMatch(/Ceph cluster failed to start[\s\S]*--- osd\.0\.log \(tail\) ---/);
  });
});
