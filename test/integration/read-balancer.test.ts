// The read balancer (Reef+): `ceph osd pg-upmap-primary PG OSD` makes OSD the primary of PG
// (OSDMap::_apply_upmap swaps it into the first slot). On a release that has it: the monitor
// asks for `set-require-min-compat-client reef` first; then, set and removed again, our
// placement of every PG of the pool equals `ceph pg map`, our CLI's test-map-pgs-dump of the
// map equals the release's osdmaptool byte for byte, the map our client built from
// incrementals equals the one `ceph osd getmap` returns, I/O to the moved PGs completes, and an
// op in flight to the old primary when the mapping changes is sent to the new one and completes
// while the link to the old one is stalled. On a release without it (releases.ts readBalancer:
// false) the monitor refuses the commands (EINVAL), our decoded map has no primaries, and the
// rest (placement, osdmaptool, I/O around the refused change) is checked all the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import type { OSDMap } from '../../crush/osdmap/osdmap.ts';
import { pgKey } from '../../crush/osdmap/pg-key.ts';
import { objectToPg, pgToUpActing, rawPgToPg } from '../../crush/osdmap/placement.ts';
import { Errno } from '../../protocol/errors.ts';
import { AddrType } from '../../protocol/types/entity-addr.ts';
import { formatPgId } from '../../protocol/types/pg.ts';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import { Rados } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { ceph, cephJson } from '../cluster/ceph-cli.ts';
import { currentRelease } from '../cluster/releases.ts';
import { holdingTransport } from './fault-transport.ts';
import { radosInternals } from '../../src/rados.ts';

// Its own cluster: the test makes irrevocable changes (require-min-compat-client reef, which
// changes librbd's default clone format, allow_crimson) and takes OSDs down, which the files
// sharing the suite's cluster must not see.
let cluster: Cluster;
const release = currentRelease();
const POOL = 'readbal';
const PG_NUM = 16;
/** ceph_release_t::reef. */
const REEF = 18;

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-readbal-'));
let heldPorts = new Set<number>();
const transport = holdingTransport(nodeTransport, { held: (port) => heldPorts.has(port) });
let rados: RadosHandle;
let io: IoCtx;
let poolId: number;

beforeAll(async () => {
  cluster = await startCluster({ osds: 3, poolSize: 1 });
  rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, transport });
  // The mgr's balancer must not move PGs while we compare (our own changes are the point); a
  // mgr that has not loaded the module (yet) moves nothing either.
  try {
    if (cephJson<{ active: boolean }>(cluster, ['balancer', 'status']).active) ceph(cluster, ['balancer', 'off']);
  } catch {
    /* the module is not loaded (yet): it moves nothing */
  }
  const created = await rados.monCommand({ prefix: 'osd pool create', pool: POOL, pg_num: PG_NUM, pgp_num: PG_NUM, autoscale_mode: 'off' });
  expect(created.code, created.status).toBe(0);
  ceph(cluster, ['osd', 'pool', 'set', POOL, 'size', String(Math.min(3, cluster.osdIds.length))]);
  await rados.waitForLatestOsdMap();
  io = await rados.openIoCtx(POOL);
  poolId = io.poolId;
}, 120_000);

// Unset if beforeAll failed before assigning them: the declared types are for the tests, which run only after.
afterAll(async () => {
  heldPorts = new Set();
  transport.release();
  await (rados as RadosHandle | undefined)?.close();
  rmSync(dir, { recursive: true, force: true });
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

// ---------------------------------------------------------------------------------------------

let files = 0;
function getmap(epoch?: number): { file: string; map: OSDMap } {
  const file = join(dir, `osdmap.${files++}`);
  ceph(cluster, ['osd', 'getmap', ...(epoch !== undefined ? [String(epoch)] : []), '-o', file]);
  return { file, map: decodeOSDMap(new Uint8Array(readFileSync(file))) };
}
const maps = new Map<number, OSDMap>();
function mapAt(epoch: number): OSDMap {
  let m = maps.get(epoch);
  if (!m) {
    m = getmap(epoch).map;
    maps.set(epoch, m);
  }
  return m;
}

interface PgMap {
  epoch: number;
  up: number[];
  acting: number[];
}

/** Every PG of the pool: ours (from the map of the epoch the monitor answered at) = `ceph pg map`. */
function comparePool(): Map<number, PgMap> {
  const theirs = new Map<number, PgMap>();
  for (let seed = 0; seed < PG_NUM; seed++) {
    const pgid = formatPgId({ pool: poolId, seed });
    const t = cephJson<PgMap>(cluster, ['pg', 'map', pgid]);
    const ours = pgToUpActing(mapAt(t.epoch), poolId, seed);
    expect({ pgid, up: ours.up, acting: ours.acting, primary: ours.actingPrimary }).toEqual({ pgid, up: t.up, acting: t.acting, primary: t.acting[0] ?? -1 });
    theirs.set(seed, t);
  }
  return theirs;
}

/**
 * `rados-ts osdmap test-map-pgs-dump` of the newest map = the release's osdmaptool, as it is and
 * with `markOut` marked out (a primary mapping to an OSD marked out is ignored).
 */
async function compareOsdmaptool(markOut: number[] = []): Promise<OSDMap> {
  const { file, map } = getmap();
  for (const marks of [[], ...markOut.map((o) => ['--mark-out', String(o)]), ['--mark-up-in', ...markOut.flatMap((o) => ['--mark-out', String(o)])]]) {
    let mine = '';
    await osdmapCommand(['test-map-pgs-dump', '--osdmap', file, ...marks], (s) => (mine += s));
    expect(mine, marks.join(' ')).toBe(execFileSync('osdmaptool', [file, ...marks, '--test-map-pgs-dump'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  }
  return map;
}

/**
 * `ceph osd down` the chosen primary of a PG: in every epoch until it is up again, osdmaptool
 * and we agree (the swap happens on the raw set, then the down OSD leaves the up set).
 */
async function compareWhileDown(seed: number, osd: number): Promise<void> {
  const first = getmap().map.epoch;
  ceph(cluster, ['osd', 'down', String(osd)]);
  let wasDown = 0;
  for (let i = 0; i < 300; i++) {
    const m = getmap().map;
    if (m.epoch > first && (m.osdState[osd]! & 2) !== 0) break; // up again
    await new Promise((r) => setTimeout(r, 100));
  }
  const last = getmap().map.epoch;
  for (let e = first + 1; e <= last; e++) {
    const file = join(dir, `osdmap.down.${e}`);
    ceph(cluster, ['osd', 'getmap', String(e), '-o', file]);
    const m = decodeOSDMap(new Uint8Array(readFileSync(file)));
    if ((m.osdState[osd]! & 2) === 0) {
      wasDown++;
      expect(pgToUpActing(m, poolId, seed).actingPrimary).not.toBe(osd);
    }
    let mine = '';
    await osdmapCommand(['test-map-pgs-dump', '--osdmap', file], (s) => (mine += s));
    expect(mine, `epoch ${e}`).toBe(execFileSync('osdmaptool', [file, '--test-map-pgs-dump'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  }
  expect(wasDown).toBeGreaterThanOrEqual(1);
  await rados.waitForLatestOsdMap();
}

/** The map our client built from the incrementals it was sent = the monitor's map of that epoch. */
async function compareClientMap(): Promise<void> {
  await rados.waitForLatestOsdMap();
  const live = rados.osdMap;
  const theirs = mapAt(live.epoch);
  expect([...live.pgUpmapPrimaries]).toEqual([...theirs.pgUpmapPrimaries]);
  for (let seed = 0; seed < PG_NUM; seed++) expect(pgToUpActing(live, poolId, seed)).toEqual(pgToUpActing(theirs, poolId, seed));
}

/** An object name that lands in PG `seed` of the pool. */
function objectIn(seed: number, tag: string): string {
  const m = rados.osdMap;
  const pool = m.pools.get(poolId)!;
  for (let i = 0; ; i++) {
    const name = `${tag}-${seed}-${i}`;
    if (rawPgToPg(pool, objectToPg(m, poolId, name).seed) === seed) return name;
  }
}

const payload = (s: string): Uint8Array => new TextEncoder().encode(`${s}:${'x'.repeat(1000)}`);

async function writeAndReadBack(oid: string): Promise<void> {
  await io.writeFull(oid, payload(oid), { timeoutMs: 30_000 });
  expect(await io.read(oid, 4096, 0, { timeoutMs: 30_000 })).toEqual(payload(oid));
}

const primaryOf = (oid: string): number | undefined => radosInternals(rados).objecter.primaryFor({ poolId, oid, steps: [] });

function msgr2Port(osd: number): number {
  const a = rados.osdMap.osdAddrs[osd]?.find((x) => x.type === AddrType.MSGR2);
  if (!a) throw new Error(`osd.${osd} has no msgr2 address`);
  return a.port;
}

async function upmapPrimary(seed: number, osd: number): Promise<{ code: number; status: string }> {
  return rados.monCommand({ prefix: 'osd pg-upmap-primary', pgid: formatPgId({ pool: poolId, seed }), id: osd });
}
async function rmUpmapPrimary(seed: number): Promise<{ code: number; status: string }> {
  return rados.monCommand({ prefix: 'osd rm-pg-upmap-primary', pgid: formatPgId({ pool: poolId, seed }) });
}

async function requireReefClients(): Promise<void> {
  const set = await rados.monCommand({ prefix: 'osd set-require-min-compat-client', version: 'reef' });
  expect(set.code, set.status).toBe(0);
}

/** PGs with at least two OSDs acting, and the OSD in their second slot. */
function movablePgs(m: OSDMap, n: number): Array<{ seed: number; from: number; to: number }> {
  const out: Array<{ seed: number; from: number; to: number }> = [];
  for (let seed = 0; seed < PG_NUM && out.length < n; seed++) {
    const r = pgToUpActing(m, poolId, seed);
    if (r.acting.length >= 2 && r.up.join() === r.acting.join()) out.push({ seed, from: r.actingPrimary, to: r.acting[1]! });
  }
  if (out.length === 0) throw new Error('no PG of the pool has two OSDs acting');
  return out;
}

// ---------------------------------------------------------------------------------------------

describe(`read balancer (${release.name}: readBalancer ${release.readBalancer})`, () => {
  if (release.readBalancer) {
    it('pg-upmap-primary needs require-min-compat-client reef; set and removed, our placement equals the monitor and osdmaptool', async () => {
      let m = getmap().map;
      const [first] = movablePgs(m, 1);
      if (m.requireMinCompatClient < REEF) {
        // What the monitor asks for before it takes a primary mapping.
        const refused = await upmapPrimary(first!.seed, first!.to);
        expect(refused.code).toBe(-Errno.EPERM);
        expect(refused.status).toContain('set-require-min-compat-client reef');
      }
      await requireReefClients();

      m = getmap().map;
      const moves = movablePgs(m, 4);
      for (const { seed, to } of moves) expect((await upmapPrimary(seed, to)).code).toBe(0);
      await rados.waitForLatestOsdMap();
      m = await compareOsdmaptool([moves[0]!.to]);
      expect(m.encoding.clientVersion).toBeGreaterThanOrEqual(10);
      expect(new Map(moves.map(({ seed, to }) => [pgKey(poolId, seed), to]))).toEqual(new Map([...m.pgUpmapPrimaries].filter(([k]) => Math.floor(k / 0x1_0000_0000) === poolId)));
      // `ceph osd dump` lists the same mappings.
      const dump = cephJson<{ pg_upmap_primaries: Array<{ pgid: string; primary_osd: number }> }>(cluster, ['osd', 'dump']);
      expect(dump.pg_upmap_primaries.filter((p) => p.pgid.startsWith(`${poolId}.`)).sort((a, b) => a.pgid.localeCompare(b.pgid))).toEqual(
        moves.map(({ seed, to }) => ({ pgid: formatPgId({ pool: poolId, seed }), primary_osd: to })).sort((a, b) => a.pgid.localeCompare(b.pgid)),
      );
      const moved = comparePool();
      for (const { seed, to } of moves) expect(moved.get(seed)!.acting[0]).toBe(to);
      await compareClientMap();
      await compareWhileDown(moves[0]!.seed, moves[0]!.to);
      for (const { seed, to } of moves) {
        const oid = objectIn(seed, 'moved');
        expect(primaryOf(oid)).toBe(to);
        await writeAndReadBack(oid);
      }

      for (const { seed } of moves) expect((await rmUpmapPrimary(seed)).code).toBe(0);
      await rados.waitForLatestOsdMap();
      m = await compareOsdmaptool();
      expect([...m.pgUpmapPrimaries.keys()].filter((k) => Math.floor(k / 0x1_0000_0000) === poolId)).toEqual([]);
      const back = comparePool();
      for (const { seed, from } of moves) expect(back.get(seed)!.acting[0]).toBe(from);
      await compareClientMap();
      for (const { seed, from } of moves) {
        const oid = objectIn(seed, 'back');
        expect(primaryOf(oid)).toBe(from);
        await writeAndReadBack(oid);
      }
    });

    it('an op in flight to the old primary when the mapping is set, and when it is removed, is resent to the new one and completes', async () => {
      await requireReefClients();
      const [{ seed, from, to }] = movablePgs(getmap().map, 1) as [{ seed: number; from: number; to: number }];
      // Objects of that one PG: one opens the session, one per op below.
      const oid = Object.fromEntries(['open', 'set', 'after-set', 'rm', 'after-rm'].map((s) => [s, objectIn(seed, `inflight-${s}`)]));
      const write = (s: string): Promise<void> => io.writeFull(oid[s]!, payload(s), { timeoutMs: 30_000 });
      await writeAndReadBack(oid['open']!); // a session with the primary is open
      expect(primaryOf(oid['open']!)).toBe(from);
      const resentBefore = radosInternals(rados).objecter.stats.resent;

      // Set: the link to the old primary stalls with the op on it; the new map sends it to `to`.
      heldPorts = new Set([msgr2Port(from)]);
      const before = write('set');
      await new Promise((r) => setTimeout(r, 300));
      expect(radosInternals(rados).objecter.inFlight).toBe(1);
      expect((await upmapPrimary(seed, to)).code).toBe(0);
      await rados.waitForLatestOsdMap();
      expect(primaryOf(oid['open']!)).toBe(to);
      await Promise.all([before, write('after-set')]); // with the old primary's link still stalled
      heldPorts = new Set();
      transport.release();

      // Removed: the same, the other way round.
      heldPorts = new Set([msgr2Port(to)]);
      const beforeRm = write('rm');
      await new Promise((r) => setTimeout(r, 300));
      expect(radosInternals(rados).objecter.inFlight).toBe(1);
      expect((await rmUpmapPrimary(seed)).code).toBe(0);
      await rados.waitForLatestOsdMap();
      expect(primaryOf(oid['open']!)).toBe(from);
      await Promise.all([beforeRm, write('after-rm')]);
      heldPorts = new Set();
      transport.release();

      expect(radosInternals(rados).objecter.stats.resent - resentBefore).toBe(2);
      for (const s of ['set', 'after-set', 'rm', 'after-rm']) expect(await io.read(oid[s]!, 4096, 0, { timeoutMs: 30_000 })).toEqual(payload(s));
      comparePool();
      await compareOsdmaptool();
    });
  } else {
    it('the monitor refuses pg-upmap-primary (EINVAL); our map has no primaries and still places every PG as the monitor and osdmaptool do', async () => {
      const m = getmap().map;
      const [{ seed, to }] = movablePgs(m, 1) as [{ seed: number; from: number; to: number }];
      expect((await upmapPrimary(seed, to)).code).toBe(-Errno.EINVAL);
      expect((await rmUpmapPrimary(seed)).code).toBe(-Errno.EINVAL);
      await rados.waitForLatestOsdMap();
      const after = await compareOsdmaptool();
      expect(after.pgUpmapPrimaries.size).toBe(0);
      expect(after.encoding.clientVersion).toBeLessThan(10);
      comparePool();
      await compareClientMap();
      expect(rados.osdMap.pgUpmapPrimaries.size).toBe(0);
    });

    it('ops around the refused command stay with the primary and complete', async () => {
      const [{ seed, from, to }] = movablePgs(getmap().map, 1) as [{ seed: number; from: number; to: number }];
      const oid = Object.fromEntries(['open', 'before', 'after'].map((s) => [s, objectIn(seed, `refused-${s}`)]));
      await writeAndReadBack(oid['open']!);
      const resentBefore = radosInternals(rados).objecter.stats.resent;
      const before = io.writeFull(oid['before']!, payload('before'), { timeoutMs: 30_000 });
      expect((await upmapPrimary(seed, to)).code).toBe(-Errno.EINVAL);
      await rados.waitForLatestOsdMap();
      expect(primaryOf(oid['open']!)).toBe(from);
      await Promise.all([before, io.writeFull(oid['after']!, payload('after'), { timeoutMs: 30_000 })]);
      expect(radosInternals(rados).objecter.stats.resent).toBe(resentBefore);
      for (const s of ['before', 'after']) expect(await io.read(oid[s]!, 4096, 0, { timeoutMs: 30_000 })).toEqual(payload(s));
    });
  }
});
