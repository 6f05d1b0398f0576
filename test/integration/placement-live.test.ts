// Our placement of every PG of every pool equals the monitor's (`ceph pg map`), on a live
// cluster after pg-upmap-items, pg-temp, primary-temp, primary-affinity, a compat weight-set,
// an erasure-coded pool (k=2, m=1) and a device-class rule; objects with namespaces equal
// `ceph osd map`. The map is the one `ceph osd getmap` returns at the compared epoch.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import type { OSDMap } from '../../crush/osdmap/osdmap.ts';
import { objectToPg, pgToUpActing, rawPgToPg } from '../../crush/osdmap/placement.ts';
import { formatPgId } from '../../protocol/types/pg.ts';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';

let cluster: Cluster;
const ceph = (args: string[]): string => execFileSync('ceph', ['-c', cluster.confPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- JSON of a known command: the caller names the shape it reads (an unchecked cast, as JSON.parse's own `any` would be)
const cephJ = <T>(args: string[]): T => JSON.parse(ceph([...args, '--format', 'json'])) as T;

beforeAll(async () => {
  cluster = await startCluster({ osds: 3, poolSize: 2, extraConf: ['mon_osd_allow_primary_temp = true', 'osd_pool_default_pg_autoscale_mode = off'] });
  ceph(['osd', 'pool', 'create', 'rep', '16', '16']);
  ceph(['osd', 'pool', 'create', 'rep2', '8', '8']);
  ceph(['osd', 'erasure-code-profile', 'set', 'k2m1', 'k=2', 'm=1', 'crush-failure-domain=osd']);
  ceph(['osd', 'pool', 'create', 'ec', '8', '8', 'erasure', 'k2m1']);
  ceph(['osd', 'crush', 'rule', 'create-replicated', 'by-class', 'default', 'osd', 'hdd']);
  ceph(['osd', 'pool', 'create', 'classy', '8', '8', 'replicated', 'by-class']);
  ceph(['osd', 'set-require-min-compat-client', 'luminous', '--yes-i-really-mean-it']);
  const rep = cephJ<Array<{ pool_name: string; pool_id: number }>>(['osd', 'pool', 'ls', 'detail']).find((p) => p.pool_name === 'rep')!.pool_id;
  ceph(['osd', 'primary-affinity', 'osd.0', '0.25']);
  ceph(['osd', 'crush', 'weight-set', 'create-compat']);
  ceph(['osd', 'crush', 'weight-set', 'reweight-compat', 'osd.1', '0.4']);
  // The upmap goes last and from a full up set: since Reef the monitor drops upmap items that a
  // later CRUSH change leaves pointing at an OSD the PG no longer maps to (seen on 18.2.7).
  const seed = Array.from({ length: 16 }, (_, s) => s).find((s) => cephJ<{ up: number[] }>(['pg', 'map', `${rep}.${s.toString(16)}`]).up.length === 2)!;
  const up = cephJ<{ up: number[] }>(['pg', 'map', `${rep}.${seed.toString(16)}`]).up;
  const spare = [0, 1, 2].find((o) => !up.includes(o))!;
  ceph(['osd', 'pg-upmap-items', `${rep}.${seed.toString(16)}`, String(up[0]), String(spare)]);
  ceph(['osd', 'pg-temp', `${rep}.2`, '2', '0']);
  ceph(['osd', 'primary-temp', `${rep}.3`, '1']);
}, 240_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

// OSDs change pg_temp while they peer, so the map can move between two CLI calls: every answer
// names its epoch, and we compare with the map of exactly that epoch.
const maps = new Map<number, OSDMap>();
function mapAt(epoch?: number): OSDMap {
  const cached = epoch !== undefined ? maps.get(epoch) : undefined;
  if (cached) return cached;
  const file = join(cluster.dir, `getmap.${epoch ?? 'latest'}`);
  ceph(['osd', 'getmap', ...(epoch !== undefined ? [String(epoch)] : []), '-o', file]);
  const m = decodeOSDMap(new Uint8Array(readFileSync(file)));
  maps.set(m.epoch, m);
  return m;
}
const currentMap = (): OSDMap => mapAt();

describe('placement on a live cluster', () => {
  it('every PG of every pool maps as the monitor maps it', () => {
    const m = currentMap();
    // OSDs rewrite pg_temp as they peer, so only the upmap is sure to be there when we look.
    expect(m.pgUpmapItems.size).toBeGreaterThanOrEqual(1);
    expect(m.primaryAffinity).toBeDefined();
    let checked = 0;
    for (const [poolId, pool] of m.pools) {
      for (let seed = 0; seed < pool.pgNum; seed++) {
        const pgid = formatPgId({ pool: poolId, seed });
        const theirs = cephJ<{ epoch: number; up: number[]; acting: number[] }>(['pg', 'map', pgid]);
        const ours = pgToUpActing(mapAt(theirs.epoch), poolId, seed);
        expect({ pgid, up: ours.up, acting: ours.acting }).toEqual({ pgid, up: theirs.up, acting: theirs.acting });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('objects with and without namespaces map as `ceph osd map` says, and the CLI prints the same', async () => {
    const m = currentMap();

    for (const pool of ['rep', 'ec', 'classy']) {
      const poolId = [...m.poolNames].find(([, n]) => n === pool)![0];
      for (const [name, ns] of [
        ['alpha', ''],
        ['rbd_header.1234', ''],
        ['beta', 'tenant-a'],
        ['gamma', 'x'],
      ] as const) {
        const theirs = cephJ<{ epoch: number; pgid: string; up: number[]; up_primary: number; acting: number[]; acting_primary: number }>([
          'osd',
          'map',
          pool,
          name,
          ...(ns ? [ns] : []),
        ]);
        const at = mapAt(theirs.epoch);
        const raw = objectToPg(at, poolId, name, { namespace: ns });
        const seed = rawPgToPg(at.pools.get(poolId)!, raw.seed);
        const r = pgToUpActing(at, poolId, seed);
        expect({ pgid: formatPgId({ pool: poolId, seed }), up: r.up, up_primary: r.upPrimary, acting: r.acting, acting_primary: r.actingPrimary }).toEqual({
          pgid: theirs.pgid,
          up: theirs.up,
          up_primary: theirs.up_primary,
          acting: theirs.acting,
          acting_primary: theirs.acting_primary,
        });
        let line = '';
        const file = join(cluster.dir, `getmap-cli.${theirs.epoch}`);
        ceph(['osd', 'getmap', String(theirs.epoch), '-o', file]);
        await osdmapCommand(['map-object', '--osdmap', file, '--pool', String(poolId), name, ...(ns ? ['--namespace', ns] : []), '--format', 'json'], (s) => (line += s));
        expect(JSON.parse(line)).toEqual({
          pool: poolId,
          pgid: theirs.pgid,
          up: theirs.up,
          up_primary: theirs.up_primary,
          acting: theirs.acting,
          acting_primary: theirs.acting_primary,
        });
      }
    }
  }, 120_000);

  it('test-map-pgs-dump of the live map is byte-identical to osdmaptool', async () => {
    const file = join(cluster.dir, 'getmap-dump.bin');
    ceph(['osd', 'getmap', '-o', file]);
    let mine = '';
    await osdmapCommand(['test-map-pgs-dump', '--osdmap', file], (s) => (mine += s));
    expect(mine).toBe(execFileSync('osdmaptool', [file, '--test-map-pgs-dump'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  });
});
