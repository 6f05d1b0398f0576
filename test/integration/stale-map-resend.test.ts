// An op sent under an old OSDMap whose PG changed primary and changed back meanwhile: the OSD
// drops it (PrimaryLogPG::can_discard_op: its epoch predates same_primary_since) and sends us
// the maps we missed. Comparing only the old target with the newest one sees no change; Ceph's
// Objecter scans every epoch it applies (handle_osd_map), so the primary's round trip makes it
// send the op again. Our client is kept from the monitor (a partition on its port) so that its
// map is old when it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rados } from '../../src/index.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';
import { cephJson } from '../cluster/ceph-cli.ts';
import { partitioningTransport } from './fault-transport.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ osds: 3, mgr: false, poolSize: 2, extraConf: ['osd_pool_default_pg_autoscale_mode = off'] });
}, 180_000);
afterAll(async () => {
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('an op sent under a stale map', () => {
  it('whose PG changed primary and back is sent again when the OSD shares the maps it missed', async () => {
    // Monitor commands only: this cluster has no mgr (`pg stat` would wait for one).
    const json = <T>(args: string[]): Promise<T> => Promise.resolve(cephJson<T>(cluster, args));
    await cluster.ceph(['osd', 'pool', 'create', 'stale', '8']);
    const monPort = Number(/v2:[^:]+:(\d+)/.exec(cluster.monAddrs[0]!)![1]);
    let partitioned = false;
    const transport = partitioningTransport(nodeTransport, { ports: (p) => p === monPort, partitioned: () => partitioned });
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, transport });
    try {
      const io = await rados.openIoCtx('stale');
      const data = new TextEncoder().encode('sent under an old map');
      await io.writeFull('x', data);
      const { pgid, acting_primary: primary } = await json<{ pgid: string; acting_primary: number }>(['osd', 'map', 'stale', 'x']);
      const epochBefore = (await json<{ epoch: number }>(['osd', 'dump'])).epoch;

      // Cut from the monitor: our map stays at epochBefore.
      partitioned = true;
      const primaryNow = async (): Promise<number | undefined> => (await json<{ acting: number[] }>(['pg', 'map', pgid])).acting[0];
      const until = async (what: string, f: () => Promise<boolean>): Promise<void> => {
        const deadline = Date.now() + 60_000;
        while (!(await f())) {
          if (Date.now() > deadline) throw new Error(`waited a minute for ${what}`);
          await sleep(500);
        }
      };
      await cluster.ceph(['osd', 'primary-affinity', `osd.${primary}`, '0']);
      await until(`pg ${pgid} to leave osd.${primary}`, async () => (await primaryNow()) !== primary);
      await cluster.ceph(['osd', 'primary-affinity', `osd.${primary}`, '1']);
      await until(`pg ${pgid} to come back to osd.${primary}`, async () => (await primaryNow()) === primary);
      expect((await json<{ epoch: number }>(['osd', 'dump'])).epoch).toBeGreaterThan(epochBefore + 1);

      // Sent to the same primary under the old epoch: dropped there, then sent again once the
      // OSD's maps show the primary's round trip.
      const got = await io.read('x', data.length, 0, { timeoutMs: 30_000 });
      expect(new TextDecoder().decode(got)).toBe('sent under an old map');
    } finally {
      partitioned = false;
      await rados.close();
    }
  }, 240_000);
});
