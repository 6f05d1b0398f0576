// Every OSDMap and pg_pool_t field we decode, by name, against what the release itself prints
// (`ceph osd dump <epoch> --format json`, `ceph osd pool ls detail --format json`), after giving
// them values other than their defaults: pool options of each type (string, int, double), quotas,
// application metadata, a pool snapshot, an EC pool with fast_read, blocklist and range-blocklist
// entries, `set-group` flags on a CRUSH node and on a device class, the nearfull ratio, and — on
// releases that have them — allow_crimson (Reef+), a stretch pool and an optimized EC pool with
// nonprimary_shards (Squid+/Tentacle). Both encodings are checked: `ceph osd getmap` (pg_pool_t
// v32 on Tentacle) and the one the monitor sends our session (v29, v30 for a stretch pool), which
// our client maintains from incrementals.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { pgToUpActing } from '../../crush/osdmap/placement.ts';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import type { OSDMap } from '../../crush/osdmap/osdmap.ts';
import { Rados } from '../../src/index.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import { ceph, cephJson } from '../cluster/ceph-cli.ts';
import { currentRelease } from '../cluster/releases.ts';
import { type Dump, expectMatchesDump, expectSameFields, poolDump } from '../osdmap/osd-dump-shape.ts';

// Its own cluster: the test makes irrevocable changes (require-min-compat-client reef, which
// changes librbd's default clone format, allow_crimson) and takes OSDs down, which the files
// sharing the suite's cluster must not see.
let cluster: Cluster;
const release = currentRelease();
const major = Number(release.version.split('.')[0]);
/** `osd set-allow-crimson` (OSDMap osd-only v12) exists since Reef. */
const hasCrimsonFlag = major >= 18;
/** `osd pool stretch set` (stretch pools without stretch mode) and optimized EC pools: Tentacle. */
const hasPoolStretch = major >= 20;
const hasEcOptimizations = major >= 20;

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-osdmap-fields-'));
let rados: RadosHandle;
let epochBeforeRmsnap = 0;
const run = (args: string[]): string => ceph(cluster, args);
const host = (): string => cephJson<{ nodes: Array<{ type: string; name: string }> }>(cluster, ['osd', 'tree']).nodes.find((n) => n.type === 'host')!.name;

beforeAll(async () => {
  cluster = await startCluster({ osds: 3, poolSize: 1 });
  rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
  run(['osd', 'pool', 'create', 'fields', '8', '8', '--autoscale-mode=off']);
  run(['osd', 'pool', 'set', 'fields', 'compression_mode', 'aggressive']);
  run(['osd', 'pool', 'set', 'fields', 'target_size_ratio', '0.25']);
  run(['osd', 'pool', 'set', 'fields', 'pg_num_min', '4']);
  run(['osd', 'pool', 'set-quota', 'fields', 'max_bytes', '1048576']);
  run(['osd', 'pool', 'set-quota', 'fields', 'max_objects', '1000']);
  run(['osd', 'pool', 'application', 'enable', 'fields', 'rbd']);
  run(['osd', 'pool', 'application', 'set', 'fields', 'rbd', 'owner', 'osdmap-fields']);
  run(['osd', 'pool', 'mksnap', 'fields', 'snap1']);
  run(['osd', 'erasure-code-profile', 'set', 'fields-k2m1', 'k=2', 'm=1', 'crush-failure-domain=osd']);
  run(['osd', 'pool', 'create', 'fields-ec', '8', '8', 'erasure', 'fields-k2m1', '--autoscale-mode=off']);
  run(['osd', 'pool', 'set', 'fields-ec', 'fast_read', '1']);
  if (hasEcOptimizations) run(['osd', 'pool', 'set', 'fields-ec', 'allow_ec_optimizations', 'true']);
  if (hasPoolStretch) {
    run(['osd', 'pool', 'create', 'fields-stretch', '8', '8', '--autoscale-mode=off']);
    // Two hosts asked of a one-host cluster: accepted when insisted on (its PGs cannot peer; no I/O here).
    run(['osd', 'pool', 'stretch', 'set', 'fields-stretch', '2', '2', 'host', 'replicated_rule', '3', '1', '--yes-i-really-mean-it']);
  }
  run(['osd', 'blocklist', 'add', '192.0.2.10:0/1234', '3600']);
  run(['osd', 'blocklist', 'range', 'add', '192.0.2.0/24', '3600']);
  // Flags that cannot stop another test's OSD from coming back up or in (the cluster is shared).
  run(['osd', 'set-group', 'noout', host()]);
  run(['osd', 'set-group', 'noin', 'hdd']);
  run(['osd', 'set-nearfull-ratio', '0.8']);
  if (hasCrimsonFlag) {
    // Irrevocable, and only lets crimson OSDs boot: harmless to the other tests' pools.
    run(['config', 'set', 'mon', 'enable_experimental_unrecoverable_data_corrupting_features', 'crimson']);
    run(['osd', 'set-allow-crimson', '--yes-i-really-mean-it']);
  }
  // Self-managed snapshots (as RBD takes them): removing one goes through new_removed_snaps,
  // removed_snaps_queue and, once the OSDs have trimmed it, new_purged_snaps.
  await rados.createPool('fields-snaps', { pgNum: 8 });
  const snapIo = await rados.openIoCtx('fields-snaps');
  await snapIo.createSelfManagedSnap();
  const gone = await snapIo.createSelfManagedSnap();
  await rados.waitForLatestOsdMap();
  epochBeforeRmsnap = rados.osdMap.epoch;
  await snapIo.removeSelfManagedSnap(gone);
  await rados.waitForLatestOsdMap();
}, 180_000);

// Unset if beforeAll failed before assigning them: the declared types are for the tests, which run only after.
afterAll(async () => {
  await (rados as RadosHandle | undefined)?.close();
  rmSync(dir, { recursive: true, force: true });
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

let n = 0;
const getmapFile = (epoch?: number): string => {
  const file = join(dir, `osdmap.${n++}`);
  run(['osd', 'getmap', ...(epoch !== undefined ? [String(epoch)] : []), '-o', file]);
  return file;
};
const getmap = (epoch?: number): OSDMap => decodeOSDMap(new Uint8Array(readFileSync(getmapFile(epoch))));

describe(`OSDMap fields by name (${release.name})`, () => {
  it('`ceph osd getmap` decodes to what `ceph osd dump` prints of the same epoch, every field', () => {
    const m = getmap();
    expectMatchesDump(m, cephJson<Dump>(cluster, ['osd', 'dump', String(m.epoch)]));
    const id = (name: string): number => [...m.poolNames].find(([, n]) => n === name)![0];
    const fields = m.pools.get(id('fields'))!;
    expect([...fields.options]).toEqual([
      ['compression_mode', 'aggressive'],
      ['pg_num_min', 4],
      ['target_size_ratio', 0.25],
    ]);
    expect([...fields.snaps.values()].map((s) => s.name)).toEqual(['snap1']);
    expect(m.pools.get(id('fields-ec'))!.fastRead).toBe(true);
    expect(m.blocklist.has('192.0.2.10:0/1234')).toBe(true);
    expect([...m.rangeBlocklist.keys()]).toContain('cidr:192.0.2.0:0/24');
    expect(m.crushNodeFlags.size).toBe(1);
    expect(m.deviceClassFlags.size).toBe(1);
    expect(m.nearfullRatio).toBe(Math.fround(0.8));
    expect(m.allowCrimson).toBe(hasCrimsonFlag);
    expect(m.encoding.osdVersion).toBe(hasCrimsonFlag ? 12 : 11); // range blocklist → 11, crimson → 12
    if (hasPoolStretch) {
      const s = m.pools.get(id('fields-stretch'))!;
      expect([s.version, s.peeringCrushBucketCount, s.peeringCrushBucketTarget, s.peeringCrushBucketBarrier]).toEqual([32, 2, 2, 1]);
    }
    if (hasEcOptimizations) expect(m.pools.get(id('fields-ec'))!.nonprimaryShards).toEqual([1]);
  });

  it('every epoch since a snapshot was removed (new_removed_snaps, removed_snaps_queue, new_purged_snaps) decodes as dumped', async () => {
    // Give the OSDs the time to trim it (it leaves the queue), so that its purge is in some epoch too.
    const snapsPool = [...getmap().poolNames].find(([, n]) => n === 'fields-snaps')![0];
    // Trimming waits for the PGs to be clean and the purge for the OSDs' next report: on a loaded
    // machine that can take minutes, so the wait is long and its end is checked.
    const deadline = Date.now() + 240_000;
    while (getmap().removedSnapsQueue.has(snapsPool) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    expect(getmap().removedSnapsQueue.has(snapsPool), 'the removed snapshot left the queue (trimmed and purged) within 4 minutes').toBe(false);
    const last = getmap().epoch;
    const seen = { removed: 0, queued: 0, purged: 0 };
    for (let e = epochBeforeRmsnap; e <= last; e++) {
      const m = getmap(e);
      expectMatchesDump(m, cephJson<Dump>(cluster, ['osd', 'dump', String(e)]));
      seen.removed += m.newRemovedSnaps.size;
      seen.queued += m.removedSnapsQueue.size;
      seen.purged += m.newPurgedSnaps.size;
    }
    expect(Math.min(seen.removed, seen.queued, seen.purged)).toBeGreaterThanOrEqual(1);
  });

  it(`a pg_temp on the EC pool${hasEcOptimizations ? ' (optimized: stored primary-first)' : ''} places as osdmaptool places it, in every epoch since`, async () => {
    const before = getmap();
    const ec = [...before.poolNames].find(([, n]) => n === 'fields-ec')![0];
    const acting = pgToUpActing(before, ec, 0).acting;
    expect(acting.length).toBe(3);
    const temp = [...acting].reverse();
    run(['osd', 'pg-temp', `${ec}.0`, ...temp.map(String)]);
    await rados.waitForLatestOsdMap();
    let withTemp = 0;
    for (let e = before.epoch + 1; e <= getmap().epoch; e++) {
      const file = getmapFile(e);
      const m = decodeOSDMap(new Uint8Array(readFileSync(file)));
      if (m.pgTemp.has(ec * 0x1_0000_0000)) withTemp++;
      let mine = '';
      await osdmapCommand(['test-map-pgs-dump', '--osdmap', file, '--pool', String(ec)], (s) => (mine += s));
      const theirs = execFileSync('osdmaptool', [file, '--test-map-pgs-dump', '--pool', String(ec)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (mine !== theirs) writeFileSync(join(dir, `mismatch.${e}`), `${theirs}\n----\n${mine}`);
      expect(mine, `epoch ${e}`).toBe(theirs);
    }
    expect(withTemp).toBeGreaterThanOrEqual(1);
  });

  it('`ceph osd pool ls detail` prints the same pools', () => {
    // The listing has no epoch: take it between two maps of the same epoch, so the monitors did
    // not move a pool (a pgp_num stepping to its target, say) while we read.
    let m = getmap();
    let detail: Array<Record<string, unknown> & { pool_id: number }> = [];
    for (let i = 0; i < 10; i++) {
      detail = cephJson<Array<Record<string, unknown> & { pool_id: number }>>(cluster, ['osd', 'pool', 'ls', 'detail']);
      const after = getmap();
      if (after.epoch === m.epoch) break;
      m = after;
    }
    expect(detail.length).toBe(m.pools.size);
    for (const p of detail) {
      if (!m.pools.has(p.pool_id)) continue; // a pool created since our getmap
      const { pool, ...ours } = poolDump(m, p.pool_id);
      expect(pool).toBe(p.pool_id);
      expect(expectSameFields(ours, p, `pool ${p.pool_id}`)).toBeGreaterThanOrEqual(50);
    }
  });

  it('the map our session was sent, kept up to date from incrementals, has the same fields', async () => {
    await rados.waitForLatestOsdMap();
    const live = rados.osdMap;
    expectMatchesDump(live, cephJson<Dump>(cluster, ['osd', 'dump', String(live.epoch)]));
    const versions = [...live.pools.values()].map((p) => (p.peeringCrushBucketCount > 0 ? `stretch:${p.version}` : `${p.version}`));
    // The monitor encodes pools for a client without SERVER_TENTACLE as v29, a stretch pool as v30.
    expect(new Set(versions)).toEqual(new Set(['29', ...(hasPoolStretch ? ['stretch:30'] : [])]));
  });
});
