// rados-ts inside real workerd: MonClient over cloudflare:sockets against a live monitor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../cluster/cluster.ts';
import { cephJson } from '../cluster/ceph-cli.ts';
import { AUTH_NONE_CONF } from '../fixtures/msgr2.ts';
import { startWorkerd, type Workerd } from '../workerd/harness.ts';

let cluster: Cluster;
let workerd: Workerd;
beforeAll(async () => {
  [cluster, workerd] = await Promise.all([
    startCluster({ osds: 0, mgr: false, extraConf: AUTH_NONE_CONF }),
    startWorkerd('test/workerd/mon-worker.ts'),
  ]);
}, 180_000);
afterAll(async () => {
  await Promise.all([cluster?.stop(), workerd?.stop()]);
}, 60_000);

describe('inside workerd', () => {
  it('connects and runs mon commands over cloudflare:sockets', async () => {
    const res = await fetch(workerd.url, { method: 'POST', body: JSON.stringify({ monHost: cluster.monAddrs.join(',') }) });
    const body = (await res.json()) as { fsid: string; monDump: unknown; pools: unknown; hasProcess: boolean; error?: string };
    expect(body.error, workerd.log()).toBeUndefined();
    expect(body.fsid).toBe(cluster.fsid);
    expect(body.monDump).toEqual(cephJson(cluster, ['mon', 'dump']));
    expect(body.pools).toEqual(cephJson(cluster, ['osd', 'pool', 'ls']));
    expect(body.hasProcess).toBe(false);
  }, 60_000);
});
