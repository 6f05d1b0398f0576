// `npm run bench:scale`: the scale cases of issue [L] point 4, each run by us and by
// librbd/librados (python3 `rbd`/`rados` bindings, bench/scale-librbd.ts) on the same
// throwaway Pacific cluster in the same run, checked against the Ceph CLIs:
//   a. 210 snapshots on one image (a 4 KiB write before each), listed, one opened and read, all removed
//   b. 10,240 objects in an image (order 12: 4 KiB objects), written, checked, read back, removed
//   c. 100,000 objects listed in a pool
//   d. a 1 TiB sparse image: created, its last 4 KiB written, cloned from a snapshot, the clone
//      flattened (only what exists is copied), both removed
// Prints a table: case, ours (s), Ceph (s), ours/Ceph, and whether the result checked out.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Rados, RBD, type IoCtx } from '../src/index.ts';
import { startCluster, type Cluster } from '../test/cluster/cluster.ts';
import { table } from './measure.ts';
import { LIBRBD_SCALE_PY } from './scale-librbd.ts';

const run = promisify(execFile);

const SNAPS = 210;
const IMAGE_OBJECTS = 10_240;
const ORDER = 12;
const POOL_OBJECTS = 100_000;
const TIB = 2 ** 40;

interface Row {
  name: string;
  ours: number;
  ceph: number | undefined;
  ok: boolean;
  note?: string;
}

const rows: Row[] = [];

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const r = await f();
  return [r, (performance.now() - start) / 1000];
}

/** Runs `n` calls of `f`, at most `depth` in flight. */
async function windowed(n: number, depth: number, f: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(depth, n) }, async () => {
      while (next < n) await f(next++);
    }),
  );
}

class Ceph {
  readonly cluster: Cluster;
  private readonly script: string;

  constructor(cluster: Cluster, script: string) {
    this.cluster = cluster;
    this.script = script;
  }

  async cli(tool: 'rbd' | 'rados', args: string[]): Promise<string> {
    return (await run(tool, ['-c', this.cluster.confPath, ...args], { maxBuffer: 256 << 20 })).stdout;
  }

  /** One case through the python bindings: phase name → seconds, plus its checks. */
  async py(...args: string[]): Promise<Record<string, number | boolean | string>> {
    const { stdout } = await run('/usr/bin/python3', [this.script, this.cluster.confPath, ...args], { maxBuffer: 64 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number | boolean | string>;
  }
}

/** Data objects of one image (by its id) still listed in the pool. */
async function dataObjectsLeft(io: IoCtx, imageId: string): Promise<number> {
  const prefix = `rbd_data.${imageId}.`;
  let n = 0;
  for await (const o of io.listObjects()) if (o.name.startsWith(prefix)) n++;
  return n;
}

/** a. 210 snapshots on one image. */
async function snapshots(io: IoCtx, ceph: Ceph): Promise<void> {
  await RBD.create(io, 'snaps', 64 << 20);
  const img = await RBD.open(io, 'snaps');
  const fill = (i: number): number => (i % 251) + 1;
  const [, create] = await timed(async () => {
    for (let i = 0; i < SNAPS; i++) {
      await img.write(new Uint8Array(4096).fill(fill(i)), i * 4096);
      await img.createSnap(`s${i}`);
    }
  });
  const [names, list] = await timed(async () => {
    await img.refresh();
    return img.listSnaps().map((s) => s.name);
  });
  const theirs = (JSON.parse(await ceph.cli('rbd', ['snap', 'ls', '--format', 'json', 'scale/snaps'])) as Array<{ name: string; id: number }>).map((s) => s.name);
  const listOk = names.length === SNAPS && JSON.stringify(names) === JSON.stringify(theirs);
  const at = Math.floor(SNAPS / 2);
  const [data, readAt] = await timed(async () => {
    const snap = await RBD.open(io, 'snaps', { snapshot: `s${at}` });
    try {
      return await snap.read(0, SNAPS * 4096);
    } finally {
      await snap.close();
    }
  });
  const readOk = Array.from({ length: SNAPS }, (_, i) => data[i * 4096] === (i <= at ? fill(i) : 0)).every(Boolean);
  const [, remove] = await timed(async () => {
    for (const n of names) await img.removeSnap(n);
  });
  const goneOk = (JSON.parse(await ceph.cli('rbd', ['snap', 'ls', '--format', 'json', 'scale/snaps'])) as unknown[]).length === 0;
  await img.close();
  await RBD.remove(io, 'snaps');
  const them = await ceph.py('snaps', 'scale', 'snaps-librbd', String(SNAPS));
  const c = (k: string): number => them[k] as number;
  rows.push({ name: `a. ${SNAPS} snapshots: create (4 KiB write + snap each)`, ours: create, ceph: c('create'), ok: listOk && them['ok'] === true });
  rows.push({ name: `a. list ${SNAPS} snapshots (= rbd snap ls)`, ours: list, ceph: c('list'), ok: listOk, note: `${names.length} listed, rbd snap ls ${theirs.length}` });
  rows.push({ name: 'a. open at the middle one, read 840 KiB', ours: readAt, ceph: c('open at one and read'), ok: readOk });
  rows.push({ name: `a. remove ${SNAPS} snapshots`, ours: remove, ceph: c('remove all'), ok: goneOk });
}

/** b. 10,240 objects in one image. */
async function imageObjects(io: IoCtx, ceph: Ceph): Promise<void> {
  const size = 2 ** ORDER;
  const block = (i: number): Uint8Array => {
    const b = new Uint8Array(size);
    new DataView(b.buffer).setUint32(0, i, true);
    for (let o = 4; o < size; o *= 2) b.copyWithin(o, 0, o);
    return b;
  };
  await RBD.create(io, 'objects', IMAGE_OBJECTS * size, { order: ORDER });
  const img = await RBD.open(io, 'objects');
  const ourId = img.id;
  const [, write] = await timed(() => windowed(IMAGE_OBJECTS, 16, (i) => img.write(block(i), i * size).then(() => {})));
  await img.flush();
  await img.close();
  // rbd du (from the fast-diff object map) and rbd object-map check (the map against the objects).
  const du = async (name: string): Promise<number> => {
    const j = JSON.parse(await ceph.cli('rbd', ['du', '--format', 'json', `scale/${name}`])) as { images: Array<{ name: string; used_size: number }> };
    return j.images.find((i) => i.name === name)!.used_size;
  };
  const mapCheck = async (name: string): Promise<boolean> => {
    try {
      await ceph.cli('rbd', ['object-map', 'check', `scale/${name}`]);
      return true;
    } catch {
      return false;
    }
  };
  const ourDu = await du('objects');
  const ourMap = await mapCheck('objects');
  const ourObjects = await dataObjectsLeft(io, ourId);
  const reader = await RBD.open(io, 'objects', { readOnly: true });
  let bad = 0;
  const [, read] = await timed(() =>
    windowed(IMAGE_OBJECTS, 16, async (i) => {
      const got = await reader.read(i * size, size);
      const want = block(i);
      if (got.length !== size || got.some((b, k) => b !== want[k])) bad++;
    }),
  );
  await reader.close();
  const [, remove] = await timed(() => RBD.remove(io, 'objects'));
  const left = await dataObjectsLeft(io, ourId);

  const them = await ceph.py('objects', 'scale', 'objects-librbd', String(IMAGE_OBJECTS), String(ORDER));
  const theirDu = await du('objects-librbd');
  const theirMap = await mapCheck('objects-librbd');
  const theirId = (JSON.parse(await ceph.cli('rbd', ['info', '--format', 'json', 'scale/objects-librbd'])) as { id: string }).id;
  const theirRm = await ceph.py('remove', 'scale', 'objects-librbd');
  const leftTheirs = await dataObjectsLeft(io, theirId);
  const want = IMAGE_OBJECTS * size;
  rows.push({
    name: `b. write ${IMAGE_OBJECTS} × 4 KiB objects (order ${ORDER}, qd16)`,
    ours: write,
    ceph: them['write'] as number,
    ok: ourDu === want && ourMap && ourObjects === IMAGE_OBJECTS && theirDu === want && theirMap,
    note: `rbd du ${ourDu} B (librbd's ${theirDu}), object-map check ${ourMap ? 'ok' : 'FAILED'}, ${ourObjects} objects`,
  });
  rows.push({ name: 'b. read all back and compare (qd16)', ours: read, ceph: them['read back'] as number, ok: bad === 0 && them['ok'] === true, note: `${bad} differ` });
  rows.push({
    name: `b. remove the image (${IMAGE_OBJECTS} objects)`,
    ours: remove,
    ceph: theirRm['remove'] as number,
    ok: left === 0 && leftTheirs === 0,
    note: `${left} data objects left`,
  });
}

/** c. 100,000 objects listed in a pool. */
async function poolListing(rados: Rados, ceph: Ceph): Promise<void> {
  await rados.createPool('scale-list', { pgNum: 32 });
  const io = await rados.openIoCtx('scale-list');
  const name = (i: number): string => `obj-${String(i).padStart(6, '0')}`;
  const payload = new Uint8Array(16).fill(7);
  const [, fill] = await timed(() => windowed(POOL_OBJECTS, 128, (i) => io.writeFull(name(i), payload)));
  const [ours, list] = await timed(async () => {
    const names: string[] = [];
    for await (const o of io.listObjects()) names.push(o.name);
    return names;
  });
  const dir = await mkdtemp(join(tmpdir(), 'rados-ts-scale-'));
  const [, cli] = await timed(() => run('bash', ['-c', `rados -c ${ceph.cluster.confPath} -p scale-list ls > ${dir}/ls; wc -l < ${dir}/ls`]));
  const theirs = (await readFile(join(dir, 'ls'), 'utf8')).trim().split('\n');
  await rm(dir, { recursive: true, force: true });
  const py = await ceph.py('list', 'scale-list');
  const want = new Set(Array.from({ length: POOL_OBJECTS }, (_, i) => name(i)));
  const same = (names: string[]): boolean => names.length === want.size && new Set(names).size === want.size && names.every((n) => want.has(n));
  rows.push({ name: `c. write ${POOL_OBJECTS} 16-byte objects (qd128; setup, ours only)`, ours: fill, ceph: undefined, ok: true });
  rows.push({
    name: `c. list ${POOL_OBJECTS} objects vs rados ls (CLI, incl. start)`,
    ours: list,
    ceph: cli,
    ok: same(ours) && same(theirs),
    note: `${ours.length} listed, rados ls ${theirs.length}`,
  });
  rows.push({
    name: `c. list ${POOL_OBJECTS} objects vs python list_objects`,
    ours: list,
    ceph: py['list'] as number,
    ok: same(ours) && py['count'] === POOL_OBJECTS,
    note: `python ${py['count']}`,
  });
  await rados.deletePool('scale-list');
}

/** d. a 1 TiB sparse image, cloned and flattened. */
async function sparseImage(io: IoCtx, ceph: Ceph): Promise<void> {
  const tail = new Uint8Array(4096).fill(0xab);
  const [, create] = await timed(() => RBD.create(io, 'sparse', TIB));
  const img = await RBD.open(io, 'sparse');
  const [, write] = await timed(() => img.write(tail, TIB - 4096));
  const [, clone] = await timed(async () => {
    await img.createSnap('base');
    await img.protectSnap('base');
    await RBD.clone(io, 'sparse', 'base', io, 'sparse-clone');
  });
  const child = await RBD.open(io, 'sparse-clone');
  const [, flatten] = await timed(() => child.flatten());
  const readOk = (await child.read(TIB - 4096, 4096)).every((b) => b === 0xab) && child.parentInfo() === undefined;
  await child.close();
  const childObjects = await dataObjectsLeft(io, child.id);
  const ids = [img.id, child.id];
  const [, remove] = await timed(async () => {
    await RBD.remove(io, 'sparse-clone');
    await img.unprotectSnap('base');
    await img.removeSnap('base');
    await img.close();
    await RBD.remove(io, 'sparse');
  });
  let left = 0;
  for (const id of ids) left += await dataObjectsLeft(io, id);
  const them = await ceph.py('sparse', 'scale', 'sparse-librbd', String(TIB));
  let leftTheirs = 0;
  for (const id of String(them['ids']).split(',')) leftTheirs += await dataObjectsLeft(io, id);
  const c = (k: string): number => them[k] as number;
  rows.push({ name: 'd. create a 1 TiB image (default features)', ours: create, ceph: c('create'), ok: true });
  rows.push({ name: 'd. write its last 4 KiB', ours: write, ceph: c('write last 4 KiB'), ok: true });
  rows.push({ name: 'd. snapshot, protect, clone', ours: clone, ceph: c('snap + clone'), ok: true });
  rows.push({
    name: 'd. flatten the 1 TiB clone (262,144 objects, 1 exists)',
    ours: flatten,
    ceph: c('flatten'),
    ok: readOk && childObjects === 1 && them['ok'] === true,
    note: `clone holds ${childObjects} data object(s) after flatten`,
  });
  rows.push({ name: 'd. remove clone and image', ours: remove, ceph: c('remove both'), ok: left === 0 && leftTheirs === 0, note: `${left} data objects left` });
}

export default async function bench(): Promise<void> {
  console.log('\n## Scale vs librbd/librados (python3 bindings), 3 memstore OSDs on this machine, paxos propose interval 0.1 s');
  const started = performance.now();
  // 100,000 objects and 10,240 image objects fit in 1 GiB per OSD; 2 GiB leaves room for
  // memstore's per-object overhead with the cluster shared by every case.
  // Every snapshot create and remove waits for a new OSDMap (a self-managed snap id from the
  // monitor), which Paxos batches for paxos_propose_interval (1 s by default): 840 such waits
  // would be 14 minutes, the same for both clients; a 0.1 s interval keeps the run short.
  const cluster = await startCluster({ mgr: false, extraConf: ['memstore device bytes = 2147483648', 'paxos propose interval = 0.1'], log: () => {} });
  const dir = await mkdtemp(join(tmpdir(), 'rados-ts-scale-py-'));
  try {
    const script = join(dir, 'scale_librbd.py');
    await writeFile(script, LIBRBD_SCALE_PY);
    const ceph = new Ceph(cluster, script);
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    await rados.createPool('scale', { pgNum: 32 });
    const io = await rados.openIoCtx('scale');
    const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const cases: Record<string, () => Promise<void>> = {
      snapshots: () => snapshots(io, ceph),
      objects: () => imageObjects(io, ceph),
      listing: () => poolListing(rados, ceph),
      sparse: () => sparseImage(io, ceph),
    };
    for (const [name, f] of Object.entries(cases)) {
      if (chosen.length > 0 && !chosen.includes(name)) continue;
      const t = performance.now();
      await f();
      console.log(`(${name}: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
    await rados.close();
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const s = (n: number | undefined): string => (n === undefined ? '–' : n.toFixed(n < 1 ? 3 : 2));
  table([
    ['case', 'ours (s)', 'Ceph (s)', 'ours/Ceph', 'checked', 'note'],
    ...rows.map((r) => [r.name, s(r.ours), s(r.ceph), r.ceph === undefined ? '–' : `${(r.ours / r.ceph).toFixed(2)}x`, r.ok ? 'ok' : 'FAILED', r.note ?? '']),
  ]);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

// Run directly (npm run bench:scale [case...]).
if (import.meta.url === `file://${process.argv[1]}`) await bench();
