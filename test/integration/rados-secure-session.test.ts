// A cluster that accepts only secure mode and issues 10-second service tickets: we connect in
// secure mode, follow OSDMap incrementals through pool create/delete and an OSD going down and
// up (our map equals `ceph osd getmap` at the same epoch), and keep a session past its tickets.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { osdIsUp } from '../../crush/osdmap/osdmap.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { Rados } from '../../src/index.ts';
import type { FrameEvent } from '../../src/msgr2/frame-trace.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';
import { comparableMap } from './osdmap-compare.ts';
import { radosInternals } from '../../src/rados.ts';

let cluster: Cluster;
let rados: RadosHandle;
const frames: FrameEvent[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    osds: 2,
    extraConf: ['ms_mon_service_mode = secure', 'ms_mon_cluster_mode = secure', 'ms_service_mode = secure', 'ms_cluster_mode = secure', 'auth_service_ticket_ttl = 10'],
  });
  rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode: 'secure', onFrame: (e) => frames.push(e) });
}, 180_000);
// Unset if beforeAll failed before assigning them: the declared types are for the tests, which run only after.
afterAll(async () => {
  await (rados as RadosHandle | undefined)?.close();
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

async function sameMapAsCeph(): Promise<void> {
  await rados.waitForLatestOsdMap();
  const epoch = rados.osdMap.epoch;
  const file = join(cluster.dir, `getmap.${epoch}`);
  execFileSync('ceph', ['-c', cluster.confPath, 'osd', 'getmap', String(epoch), '-o', file], { stdio: 'ignore' });
  const theirs = decodeOSDMap(new Uint8Array(readFileSync(file)));
  expect(comparableMap(rados.osdMap)).toEqual(comparableMap(theirs));
}

describe('secure-only cluster', () => {
  it('talks to the monitor in secure mode only', async () => {
    const r = await rados.monCommand({ prefix: 'mon dump', format: 'json' });
    expect(r.code).toBe(0);
    const messages = frames.filter((f) => f.tagName === 'MESSAGE');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((f) => f.mode === 'secure')).toBe(true);
  });

  it('follows incrementals through pool create and delete', async () => {
    const before = rados.osdMap.epoch;
    const id = await rados.createPool('rados-ts-inc', { pgNum: 8 });
    expect(rados.osdMap.pools.get(id)?.pgNum).toBe(8);
    expect(await rados.listPools()).toContain('rados-ts-inc');
    await sameMapAsCeph();
    await rados.deletePool('rados-ts-inc');
    expect(await rados.listPools()).not.toContain('rados-ts-inc');
    expect(rados.osdMap.epoch).toBeGreaterThan(before + 1);
    await sameMapAsCeph();
  });

  it('follows an OSD going down and coming back', async () => {
    const r = await rados.monCommand({ prefix: 'osd down', ids: ['0'] });
    expect(r.code).toBe(0);
    const deadline = Date.now() + 60_000;
    let sawDown = false;
    while (Date.now() < deadline) {
      await rados.waitForLatestOsdMap();
      if (!osdIsUp(rados.osdMap, 0)) sawDown = true;
      else if (sawDown) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(sawDown).toBe(true);
    expect(osdIsUp(rados.osdMap, 0)).toBe(true);
    await sameMapAsCeph();
  }, 90_000);

  it('outlives its 10-second service tickets', async () => {
    const first = radosInternals(rados).cephx!.ticket(EntityType.OSD)!.expires;
    await new Promise((res) => setTimeout(res, 12_000));
    const r = await rados.monCommand({ prefix: 'osd pool ls', format: 'json' });
    expect(r.code).toBe(0);
    expect(radosInternals(rados).cephx!.ticket(EntityType.OSD)!.expires).toBeGreaterThan(first);
  }, 30_000);
});
