// RBD layering through us, checked with the `rbd` CLI (librbd): protect, clone (v1 and v2),
// children, copy-on-write writes, flatten, unprotect, resize, rollback, removal of clones.
import { beforeAll, describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectBytes, pattern, rbdCli } from './rbd-cli.ts';

let cluster: Cluster;
let io: IoCtx;
const POOL = 'rbd';
const { rbd, rbdAsync, rbdJson, exported } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, io } = env));

const SIZE = 12 << 20;

describe('RBD layering against librbd', () => {
  it('protect, clone (v1, as librbd picks on this cluster), children, CoW writes, flatten with progress, unprotect', async () => {
    await RBD.create(io, 'base', SIZE);
    const base = await RBD.open(io, 'base');
    const v1 = pattern(SIZE, 1);
    await base.write(v1, 0);
    await base.createSnap('gold');
    await base.protectSnap('gold');
    expect(rbdJson<Array<{ name: string; protected: string }>>(['snap', 'ls', 'base']).find((s) => s.name === 'gold')?.protected).toBe('true');
    await expect(base.protectSnap('gold')).rejects.toMatchObject({ errno: 16 });
    // The head moves on; the clone must still see the snapshot.
    await base.write(pattern(1 << 20, 2), 0);

    await RBD.clone(io, 'base', 'gold', io, 'kid');
    expect(rbdJson<string[]>(['ls'])).toContain('kid');
    expect(rbdJson<Array<{ pool: string; image: string }>>(['children', 'base@gold']).map((c) => `${c.pool}/${c.image}`)).toEqual(['rbd/kid']);
    expect((await base.listChildren('gold')).map((c) => `${c.pool}/${c.image}`)).toEqual(['rbd/kid']);
    const kid = await RBD.open(io, 'kid');
    const ours = await kid.info();
    const { create_timestamp: _c, access_timestamp: _a, modify_timestamp: _m, ...theirs } = rbdJson<Record<string, unknown>>(['info', 'kid']);
    const { create_timestamp: _c2, access_timestamp: _a2, modify_timestamp: _m2, ...oursRest } = ours;
    expect(oursRest).toEqual(theirs);
    expect(kid.overlap).toBe(SIZE);
    expectBytes(await kid.read(0, SIZE), v1);

    // Copy-on-write: partial writes into objects the child does not have yet.
    const expected = v1.slice();
    for (const [off, len, seed] of [
      [100, 5000, 3],
      [(4 << 20) - 10, 20, 4],
      [(9 << 20) + 12345, 300_000, 5],
    ] as const) {
      const d = pattern(len, seed);
      await kid.write(d, off);
      expected.set(d, off);
    }
    await kid.discard(6 << 20, 4096);
    expected.fill(0, 6 << 20, (6 << 20) + 4096);
    expectBytes(exported('kid'), expected);
    expectBytes(await kid.read(0, SIZE), expected);
    expectBytes(exported('base@gold'), v1);

    // The parent snapshot cannot be unprotected while it has a clone (nor can librbd).
    await expect(base.unprotectSnap('gold')).rejects.toMatchObject({ errno: 16 });
    expect(() => rbd(['snap', 'unprotect', 'base@gold'])).toThrow();

    const progress: number[] = [];
    await kid.flatten({ onProgress: (done, total) => progress.push(done / total) });
    expect(progress.at(-1)).toBe(1);
    expect(rbdJson<Record<string, unknown>>(['info', 'kid']).parent).toBeUndefined();
    expect(kid.parentInfo()).toBeUndefined();
    expect(rbdJson<unknown[]>(['children', 'base@gold'])).toEqual([]);
    expectBytes(exported('kid'), expected);
    await base.unprotectSnap('gold');
    expect(rbdJson<Array<{ name: string; protected: string }>>(['snap', 'ls', 'base'])[0]?.protected).toBe('false');
    await kid.close();
    await base.close();
  }, 180_000);

  it('clone v2 from an unprotected snapshot: op features and children as librbd records them; removing the clone detaches it', async () => {
    const base = await RBD.open(io, 'base');
    await base.createSnap('v2snap');
    await RBD.clone(io, 'base', 'v2snap', io, 'kid2', { cloneFormat: 2 });
    expect(rbdJson<{ op_features: string[] }>(['info', 'kid2']).op_features).toEqual(['clone-child']);
    expect(rbdJson<{ op_features: string[] }>(['info', 'base']).op_features).toEqual(['clone-parent']);
    expect(rbdJson<Array<{ image: string }>>(['children', 'base@v2snap']).map((c) => c.image)).toEqual(['kid2']);
    const kid2 = await RBD.open(io, 'kid2');
    await kid2.write(pattern(10, 9), 1000);
    expectBytes(await kid2.read(0, SIZE), exported('kid2'));
    await kid2.close();
    await RBD.remove(io, 'kid2');
    expect(rbdJson<unknown[]>(['children', 'base@v2snap'])).toEqual([]);
    await base.close();
    // librbd can now remove the snapshot as usual.
    await rbdAsync(['snap', 'rm', 'base@v2snap']);
  }, 120_000);

  it('clones of clones made by librbd read through every level', async () => {
    rbd(['snap', 'create', 'kid@k']);
    rbd(['snap', 'protect', 'kid@k']);
    rbd(['clone', '--image-feature', 'layering', 'kid@k', 'grandkid']);
    rbd(['bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '8192', '--io-pattern', 'seq', 'grandkid']);
    const g = await RBD.open(io, 'grandkid');
    expectBytes(await g.read(0, SIZE), exported('grandkid'));
    await g.close();
  }, 120_000);

  it('resize (shrink and grow, with progress) and rollback as `rbd info`/`rbd export` see them', async () => {
    await RBD.create(io, 'sized', 10 << 20, { order: 20, stripeUnit: 256 << 10, stripeCount: 3 });
    const img = await RBD.open(io, 'sized');
    const data = pattern(10 << 20, 31);
    await img.write(data, 0);
    await img.createSnap('full');
    const steps: number[] = [];
    await img.resize((3 << 20) + 777, { onProgress: (d) => steps.push(d) });
    expect(steps.length).toBeGreaterThan(0);
    expect(rbdJson<{ size: number }>(['info', 'sized']).size).toBe((3 << 20) + 777);
    expectBytes(exported('sized'), data.subarray(0, (3 << 20) + 777));
    await img.resize(8 << 20);
    const grown = new Uint8Array(8 << 20);
    grown.set(data.subarray(0, (3 << 20) + 777));
    expectBytes(exported('sized'), grown);
    await img.rollbackToSnap('full', { onProgress: () => {} });
    expect(rbdJson<{ size: number }>(['info', 'sized']).size).toBe(10 << 20);
    expectBytes(exported('sized'), data);
    await img.close();
  }, 120_000);

  it('a clone shrunk below its overlap and grown again reads zeros past the new overlap; its earlier snapshot keeps the old one', async () => {
    await RBD.create(io, 'pbase', 8 << 20, { order: 20 });
    const pbase = await RBD.open(io, 'pbase');
    const pdata = pattern(8 << 20, 41);
    await pbase.write(pdata, 0);
    await pbase.createSnap('p');
    await RBD.clone(io, 'pbase', 'p', io, 'shrinker', { cloneFormat: 2 });
    const c = await RBD.open(io, 'shrinker');
    await c.write(pattern(1000, 42), (1 << 20) - 500); // copy-up of objects 0 and 1
    const atSnap = pdata.slice();
    atSnap.set(pattern(1000, 42), (1 << 20) - 500);
    await c.createSnap('before');
    await c.resize((2 << 20) + 4321);
    await c.resize(6 << 20);
    const head = new Uint8Array(6 << 20);
    head.set(atSnap.subarray(0, (2 << 20) + 4321));
    // librbd agrees on the overlap: the shrink cut it, the grow did not restore it.
    expect(rbdJson<{ parent: { overlap: number } }>(['info', 'shrinker']).parent.overlap).toBe((2 << 20) + 4321);
    expect(c.overlap).toBe((2 << 20) + 4321);
    expectBytes(exported('shrinker'), head);
    expectBytes(await c.read(0, 6 << 20), head);
    // At the snapshot the overlap is the snapshot's (8 MiB): everything reads through as it was.
    expectBytes(exported('shrinker@before'), atSnap);
    const snapView = await RBD.open(io, 'shrinker', { snapshot: 'before' });
    expect(snapView.overlap).toBe(8 << 20);
    expectBytes(await snapView.read(0, 8 << 20), atSnap);
    await snapView.close();
    await c.setSnap('before');
    expect(c.overlap).toBe(8 << 20);
    expectBytes(await c.read(0, 8 << 20), atSnap);
    await c.setSnap(null);
    expect(c.overlap).toBe((2 << 20) + 4321);
    // deep-flatten (a default feature): the copy-up reached the snapshot, so flattening the
    // clone detaches it entirely and its snapshot still reads what it held.
    await c.flatten();
    expect(rbdJson<Record<string, unknown>>(['info', 'shrinker']).parent).toBeUndefined();
    await c.close();
    expectBytes(exported('shrinker'), head);
    expectBytes(exported('shrinker@before'), atSnap);
    for (const spec of ['shrinker', 'shrinker@before']) expect(rbd(['object-map', 'check', spec])).not.toMatch(/invalid|error/i);
    expect(rbdJson<string[]>(['info', 'shrinker@before'])).not.toHaveProperty('parent');
    await pbase.close();
  }, 120_000);

  it('bad input: clone of a missing snapshot ENOENT, v1 clone of an unprotected one EINVAL, removing a protected snapshot EBUSY', async () => {
    await expect(RBD.clone(io, 'base', 'nope', io, 'x1')).rejects.toMatchObject({ errno: 2 });
    await expect(RBD.clone(io, 'base', 'gold', io, 'x2', { cloneFormat: 1 })).rejects.toMatchObject({ errno: 22 });
    expect(rbdJson<string[]>(['ls'])).not.toContain('x2');
    const base = await RBD.open(io, 'base');
    await base.protectSnap('gold');
    await expect(base.removeSnap('gold')).rejects.toMatchObject({ errno: 16 });
    await base.unprotectSnap('gold');
    await expect(base.unprotectSnap('gold')).rejects.toMatchObject({ errno: 22 });
    await base.close();
  });
});
