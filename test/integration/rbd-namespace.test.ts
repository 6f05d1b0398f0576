// RBD namespaces through us, checked both ways with the `rbd` CLI and python3-rbd (librbd):
// namespaces we create are librbd's and the reverse; images in a namespace; create and clone
// into a namespace nobody created; removal of busy, missing and existing ones — each errno
// compared with the one librbd's python binding raises for the same call.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { currentRelease } from '../cluster/releases.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectBytes, pattern, rbdCli } from './rbd-cli.ts';

let cluster: Cluster;
let io: IoCtx;
const POOL = 'rbd';
const { rbd, rbdJson } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, io } = env));

/** `io` in RADOS namespace `ns`. */
const inNs = (ns: string): IoCtx => {
  const d = io.dup();
  d.setNamespace(ns);
  return d;
};

interface LibrbdResult {
  value?: unknown;
  errno?: number;
  error?: string;
}
/** librbd's answers (librbd-calls.py): `call` on an ioctx in namespace `ns`; `{ ioctx: ns }` arguments are ioctxs too. */
function librbd(...calls: Array<{ ns?: string; call: string; args: unknown[]; conf?: Record<string, string> }>): LibrbdResult[] {
  const out = execFileSync('python3', [new URL('./librbd-calls.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, POOL], {
    input: JSON.stringify(calls.map((c) => ({ ns: '', ...c }))),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(out) as LibrbdResult[];
}

/** Our call's errno (undefined when it succeeds). */
async function errnoOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { errno?: number }).errno;
  }
}

const nsLs = (): string[] => rbdJson<Array<{ name: string }>>(['namespace', 'ls']).map((n) => n.name);
/** Every object in RADOS namespace `ns` of the pool, sorted. */
async function objectsIn(ns: string): Promise<string[]> {
  const names: string[] = [];
  for await (const o of inNs(ns).listObjects()) names.push(o.name);
  return names.sort();
}

describe('RBD namespaces against librbd', () => {
  it('our namespaceCreate: `rbd namespace ls` and python see it, `rbd create --namespace NS img` works in it', async () => {
    await RBD.namespaceCreate(io, 'ours');
    expect(nsLs()).toContain('ours');
    expect(librbd({ call: 'namespace_exists', args: ['ours'] }, { call: 'namespace_list', args: [] })).toEqual([{ value: true }, { value: ['ours'] }]);
    // The objects librbd's namespace create leaves (Reef 18.2.7 and later; Pacific's makes no rbd_trash).
    expect(await objectsIn('ours')).toEqual(['rbd_directory', 'rbd_trash']);
    rbd(['create', '--size', '1M', '--namespace', 'ours', 'theirimg']);
    expect(rbdJson<string[]>(['ls', '--namespace', 'ours'])).toEqual(['theirimg']);
    expect(await RBD.list(inNs('ours'))).toEqual(['theirimg']);
    rbd(['rm', '--no-progress', '--namespace', 'ours', 'theirimg']);
  }, 120_000);

  it('`rbd namespace create`: our namespaceList and namespaceExists see it', async () => {
    rbd(['namespace', 'create', '--namespace', 'theirs']);
    // librbd's objects for a new namespace: ours, as Reef 18.2.7 and Tentacle make them (ceph PR
    // 56310 added rbd_trash, backported to Reef); Pacific's librbd makes only the directory.
    const before56310 = currentRelease().name === 'pacific';
    expect(await objectsIn('theirs')).toEqual(before56310 ? ['rbd_directory'] : ['rbd_directory', 'rbd_trash']);
    expect(await RBD.namespaceList(io)).toEqual(nsLs());
    expect(await RBD.namespaceList(inNs('theirs'))).toEqual(['ours', 'theirs']);
    expect(await RBD.namespaceExists(io, 'theirs')).toBe(true);
    expect(await RBD.namespaceExists(io, 'ghost')).toBe(false);
    expect(librbd({ call: 'namespace_exists', args: ['ghost'] })).toEqual([{ value: false }]);
  }, 120_000);

  it('our images in a namespace are what `rbd ls --namespace NS` lists and `rbd` reads; theirs we list and read', async () => {
    const tio = inNs('theirs');
    await RBD.create(tio, 'mine', 4 << 20);
    const img = await RBD.open(tio, 'mine');
    const data = pattern(1 << 20, 7);
    await img.write(data, 12345);
    await img.close();
    rbd(['create', '--size', '2M', '--namespace', 'theirs', 'their']);
    expect(rbdJson<string[]>(['ls', '--namespace', 'theirs'])).toEqual(['mine', 'their']);
    expect(await RBD.list(tio)).toEqual(['mine', 'their']);
    expect(librbd({ ns: 'theirs', call: 'list', args: [] })).toEqual([{ value: ['mine', 'their'] }]);
    expect(rbdJson<{ size: number }>(['info', '--namespace', 'theirs', 'mine']).size).toBe(4 << 20);
    expect(rbdJson<string[]>(['ls'])).toEqual([]);
    const theirs = await RBD.open(tio, 'their');
    expect(theirs.size).toBe(2 << 20);
    await theirs.close();
    const out = `${cluster.dir}/ns-export`;
    rbd(['export', '--no-progress', '--namespace', 'theirs', 'mine', out]);
    const { readFileSync } = await import('node:fs');
    expectBytes(new Uint8Array(readFileSync(out)).subarray(12345, 12345 + data.length), data);
    // Pool validation stays in the default namespace (ValidatePoolRequest): no rbd_info in ours.
    expect(await objectsIn('theirs')).not.toContain('rbd_info');
  }, 120_000);

  it('create and clone into a namespace nobody created: ENOENT as python-rbd (EXDEV first for a v1 clone), nothing left there', async () => {
    const ghost = inNs('ghost');
    const mine = await RBD.open(inNs('theirs'), 'mine');
    await mine.createSnap('snap');
    await mine.protectSnap('snap');
    await mine.close();
    const cloneTo = (ns: string, name: string, format: string) => ({
      ns: 'theirs',
      call: 'clone',
      args: ['mine', 'snap', { ioctx: ns }, name],
      conf: { rbd_default_clone_format: format },
    });
    const [create, cloneV2, cloneV1] = librbd({ ns: 'ghost', call: 'create', args: ['img', 1 << 20] }, cloneTo('ghost', 'kid', '2'), cloneTo('ghost', 'kid', '1'));
    expect([create, cloneV2, cloneV1]).toEqual([
      { errno: 2, error: 'ImageNotFound' },
      { errno: 2, error: 'ImageNotFound' },
      { errno: 18, error: 'OSError' },
    ]);
    expect(await errnoOf(RBD.create(ghost, 'img', 1 << 20))).toBe(create!.errno);
    expect(await errnoOf(RBD.clone(inNs('theirs'), 'mine', 'snap', ghost, 'kid', { cloneFormat: 2 }))).toBe(cloneV2!.errno);
    expect(await errnoOf(RBD.clone(inNs('theirs'), 'mine', 'snap', ghost, 'kid', { cloneFormat: 1 }))).toBe(cloneV1!.errno);
    // A v1 clone into a namespace that exists but is not the parent's: EXDEV too.
    const [v1Cross] = librbd(cloneTo('ours', 'kid1', '1'));
    expect(v1Cross?.errno).toBe(18);
    expect(await errnoOf(RBD.clone(inNs('theirs'), 'mine', 'snap', inNs('ours'), 'kid1', { cloneFormat: 1 }))).toBe(v1Cross!.errno);

    expect(await objectsIn('ghost')).toEqual([]);
    expect(() => rbd(['ls', '--namespace', 'ghost'])).toThrow(/namespace 'ghost' does not exist/);
    // librbd lists a namespace nobody created as empty (only the rbd tool checks it exists).
    expect(librbd({ ns: 'ghost', call: 'list', args: [] })).toEqual([{ value: [] }]);
    expect(await RBD.list(ghost)).toEqual([]);
    // A v2 clone into a namespace that exists works.
    await RBD.clone(inNs('theirs'), 'mine', 'snap', inNs('ours'), 'kid', { cloneFormat: 2 });
    expect(rbdJson<string[]>(['ls', '--namespace', 'ours'])).toEqual(['kid']);
    expect(rbdJson<{ parent: { pool_namespace: string; image: string } }>(['info', '--namespace', 'ours', 'kid']).parent).toMatchObject({
      pool_namespace: 'theirs',
      image: 'mine',
    });
  }, 120_000);

  it('namespaceRemove of a namespace with images or trashed images: EBUSY as python-rbd, and the namespace still works', async () => {
    const [busy] = librbd({ call: 'namespace_remove', args: ['theirs'] });
    expect(busy).toEqual({ errno: 16, error: 'ImageBusy' });
    expect(await errnoOf(RBD.namespaceRemove(io, 'theirs'))).toBe(busy!.errno);
    expect(await RBD.namespaceExists(io, 'theirs')).toBe(true);

    // Only a trashed image left in 'ours' (its directory is empty): still busy.
    rbd(['trash', 'mv', '--namespace', 'ours', 'kid']);
    expect(rbdJson<string[]>(['ls', '--namespace', 'ours'])).toEqual([]);
    const [trashBusy] = librbd({ call: 'namespace_remove', args: ['ours'] });
    expect(trashBusy).toEqual({ errno: 16, error: 'ImageBusy' });
    expect(await errnoOf(RBD.namespaceRemove(io, 'ours'))).toBe(trashBusy!.errno);
    // The directory is back in state READY: the namespace exists and takes images.
    expect(await RBD.namespaceExists(io, 'ours')).toBe(true);
    await RBD.create(inNs('ours'), 'after', 1 << 20);
    expect(rbdJson<string[]>(['ls', '--namespace', 'ours'])).toEqual(['after']);
  }, 120_000);

  it('create existing, remove missing, empty names: the errnos python-rbd raises', async () => {
    const [exists, missing, emptyCreate, emptyRemove, emptyExists] = librbd(
      { call: 'namespace_create', args: ['theirs'] },
      { call: 'namespace_remove', args: ['ghost'] },
      { call: 'namespace_create', args: [''] },
      { call: 'namespace_remove', args: [''] },
      { call: 'namespace_exists', args: [''] },
    );
    expect([exists, missing]).toEqual([
      { errno: 17, error: 'ImageExists' },
      { errno: 2, error: 'ImageNotFound' },
    ]);
    expect(await errnoOf(RBD.namespaceCreate(io, 'theirs'))).toBe(exists!.errno);
    expect(await errnoOf(RBD.namespaceCreate(io, 'ours'))).toBe(exists!.errno);
    expect(await errnoOf(RBD.namespaceRemove(io, 'ghost'))).toBe(missing!.errno);
    expect([emptyCreate, emptyRemove, emptyExists].map((r) => r?.errno)).toEqual([22, 22, 22]);
    expect(await errnoOf(RBD.namespaceCreate(io, ''))).toBe(22);
    expect(await errnoOf(RBD.namespaceRemove(io, ''))).toBe(22);
    expect(await errnoOf(RBD.namespaceExists(io, ''))).toBe(22);
    // A failed create left the existing namespace as it was.
    expect(nsLs()).toEqual(['ours', 'theirs']);
  }, 120_000);

  it('namespaceRemove of an emptied namespace: gone for `rbd` and python, no object left; `rbd namespace rm` of ours', async () => {
    // Empty 'ours': the image, then the trash (rbd trash rm), then remove it.
    rbd(['rm', '--no-progress', '--namespace', 'ours', 'after']);
    const trashed = rbdJson<Array<{ id: string }>>(['trash', 'ls', '--namespace', 'ours']);
    for (const t of trashed) rbd(['trash', 'rm', '--no-progress', '--namespace', 'ours', t.id]);
    await RBD.namespaceRemove(io, 'ours');
    expect(nsLs()).toEqual(['theirs']);
    expect(await objectsIn('ours')).toEqual([]);
    expect(librbd({ call: 'namespace_exists', args: ['ours'] })).toEqual([{ value: false }]);
    expect(await RBD.namespaceExists(io, 'ours')).toBe(false);

    // The other way: empty 'theirs' through us, then one we create removed by `rbd namespace rm`.
    const tio = inNs('theirs');
    const mine = await RBD.open(tio, 'mine');
    await mine.unprotectSnap('snap');
    await mine.removeSnap('snap');
    await mine.close();
    await RBD.remove(tio, 'mine');
    await RBD.remove(tio, 'their');
    await RBD.namespaceRemove(io, 'theirs');
    await RBD.namespaceCreate(io, 'again');
    rbd(['namespace', 'rm', '--namespace', 'again']);
    expect(nsLs()).toEqual([]);
    expect(await RBD.namespaceList(io)).toEqual([]);
    expect(librbd({ call: 'namespace_list', args: [] })).toEqual([{ value: [] }]);
  }, 120_000);
});
