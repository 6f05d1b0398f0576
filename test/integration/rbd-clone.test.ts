// RBD layering through us, checked with the `rbd` CLI (librbd): protect, clone (v1 and v2),
// children, copy-on-write writes, flatten, unprotect, resize, rollback, removal of clones.
import { beforeAll, describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import { Feature } from '../../src/rbd/features.ts';
import { encodeChildAttach } from '../../protocol/cls/cls-rbd.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { pyEval } from './pybind-eval.ts';
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

  type SnapLs = Array<{ id: number; name: string; namespace: { type: string; original_name?: string } }>;
  /** `rbd rm` that must fail: its exit status (librbd's errno) and message. */
  const rbdRmFails = (name: string): { status: number | null; stderr: string } => {
    try {
      rbd(['rm', name]);
    } catch (e) {
      const err = e as { status: number | null; stderr: string };
      return { status: err.status, stderr: err.stderr };
    }
    throw new Error(`rbd rm ${name} succeeded`);
  };

  it('removing a snapshot v2 clones use moves it to the trash as librbd does; the parent cannot go until the last clone does, which deletes it', async () => {
    await RBD.create(io, 'tp', 8 << 20);
    const tp = await RBD.open(io, 'tp');
    const data = pattern(8 << 20, 21);
    await tp.write(data, 0);
    await tp.createSnap('s');
    await RBD.clone(io, 'tp', 's', io, 'tc', { cloneFormat: 2 });
    rbd(['clone', '--rbd-default-clone-format', '2', 'tp@s', 'tc2']);
    await tp.removeSnap('s');
    // Gone for users, kept in the trash namespace under a new name, as `rbd snap ls --all` shows.
    expect(tp.listSnaps()).toEqual([]);
    expect(rbdJson<unknown[]>(['snap', 'ls', 'tp'])).toEqual([]);
    const all = rbdJson<SnapLs>(['snap', 'ls', '--all', 'tp']);
    // Newer rbd (Tentacle) also prints the namespace the snapshot was in; older ones do not.
    const ours = tp.listSnaps({ all: true });
    const printed = all[0]!.namespace as Record<string, unknown>;
    expect(printed).toEqual({ type: 'trash', original_name: 's', ...('original_namespace_type' in printed ? { original_namespace_type: ours[0]!.trashOriginalNamespace } : {}) });
    expect(ours.map((x) => [Number(x.id), x.name, x.trashOriginalName, x.trashOriginalNamespace])).toEqual([[all[0]!.id, all[0]!.name, 's', 'user']]);
    expect(rbdJson<{ op_features: string[]; snapshot_count: number }>(['info', 'tp'])).toMatchObject({ op_features: ['clone-parent', 'snap-trash'], snapshot_count: 1 });
    // The clones still read the snapshot's data; both tools describe the parent link alike.
    expectBytes(exported('tc'), data);
    const tc = await RBD.open(io, 'tc');
    expect((await tc.info()).parent).toEqual(rbdJson<{ parent: unknown }>(['info', 'tc']).parent);
    await tc.close();
    await tp.close();
    // Neither we nor librbd remove a parent whose trashed snapshot has clones.
    await expect(RBD.remove(io, 'tp')).rejects.toMatchObject({ errno: 39 });
    expect(rbdRmFails('tp')).toMatchObject({ status: 39, stderr: expect.stringContaining('linked clones') as string });
    // Our clone goes; librbd's still holds the snapshot.
    await RBD.remove(io, 'tc');
    expect(rbdJson<SnapLs>(['snap', 'ls', '--all', 'tp'])).toHaveLength(1);
    // librbd removing the last clone deletes the snapshot we trashed: our trash entry is its own.
    await rbdAsync(['rm', 'tc2']);
    expect(rbdJson<SnapLs>(['snap', 'ls', '--all', 'tp'])).toEqual([]);
    expect(rbdJson<{ op_features: string[] }>(['info', 'tp']).op_features).toEqual([]);
    await RBD.remove(io, 'tp');
    expect(rbdJson<string[]>(['ls'])).not.toContain('tp');

    // The other way round: librbd trashes its snapshot, our clone's removal deletes it.
    rbd(['create', '--size', '8M', 'tq']);
    rbd(['snap', 'create', 'tq@s']);
    await RBD.clone(io, 'tq', 's', io, 'tqc', { cloneFormat: 2 });
    await rbdAsync(['snap', 'rm', 'tq@s']);
    expect(rbdJson<SnapLs>(['snap', 'ls', '--all', 'tq']).map((x) => x.namespace.type)).toEqual(['trash']);
    await RBD.remove(io, 'tqc');
    expect(rbdJson<SnapLs>(['snap', 'ls', '--all', 'tq'])).toEqual([]);
    expect(rbdJson<{ op_features: string[] }>(['info', 'tq']).op_features).toEqual([]);

    // A trashed snapshot whose clones are gone without deleting it (a clone's removal that could
    // not open the parent) is pruned by the parent's removal, as librbd's PreRemoveRequest does.
    rbd(['snap', 'create', 'tq@t']);
    await RBD.clone(io, 'tq', 't', io, 'tqd', { cloneFormat: 2 });
    await rbdAsync(['snap', 'rm', 'tq@t']);
    const tqd = await RBD.open(io, 'tqd', { readOnly: true });
    const link = tqd.parentInfo()!;
    const spec = { poolId: io.poolId, poolNamespace: '', imageId: tqd.id };
    await tqd.close();
    await io.exec(`rbd_header.${link.imageId}`, 'rbd', 'child_detach', encodeChildAttach(link.snapId, spec));
    expect(rbdJson<SnapLs>(['snap', 'ls', '--all', 'tq'])).toHaveLength(1);
    await RBD.remove(io, 'tq');
    expect(rbdJson<string[]>(['ls'])).not.toContain('tq');
  }, 180_000);

  it('flatten without deep-flatten keeps a clone with snapshots attached to its parent; removing its last snapshot detaches it, as librbd', async () => {
    await RBD.create(io, 'lp', 8 << 20, { features: Feature.LAYERING });
    const lp = await RBD.open(io, 'lp');
    const data = pattern(8 << 20, 22);
    await lp.write(data, 0);
    await lp.createSnap('a');
    await lp.protectSnap('a');
    await lp.close();
    for (const format of [1, 2] as const) {
      const ours = `lc${format}`;
      const theirs = `lt${format}`;
      await RBD.clone(io, 'lp', 'a', io, ours, { features: Feature.LAYERING, cloneFormat: format });
      rbd(['clone', '--rbd-default-clone-format', String(format), '--image-feature', 'layering', 'lp@a', theirs]);
      const c = await RBD.open(io, ours);
      await c.write(pattern(4096, 23), 4096);
      await c.createSnap('cs');
      rbd(['snap', 'create', `${theirs}@cs`]);
      const atSnap = exported(`${ours}@cs`);
      await c.flatten();
      await rbdAsync(['flatten', theirs]);
      // Both flattened heads have no parent; both clones stay children of lp@a for their snapshots.
      for (const name of [ours, theirs]) {
        expect(rbdJson<{ parent?: unknown }>(['info', name]).parent ?? null).toBeNull();
      }
      expect(rbdJson<{ op_features: string[] }>(['info', ours]).op_features).toEqual(rbdJson<{ op_features: string[] }>(['info', theirs]).op_features);
      expect(
        rbdJson<Array<{ image: string }>>(['children', 'lp@a'])
          .map((x) => x.image)
          .sort(),
      ).toEqual([ours, theirs]);
      expectBytes(exported(`${ours}@cs`), atSnap);
      // The last snapshot still tied to the parent goes: the clone leaves it.
      await c.removeSnap('cs');
      await c.close();
      await rbdAsync(['snap', 'rm', `${theirs}@cs`]);
      expect(rbdJson<unknown[]>(['children', 'lp@a'])).toEqual([]);
      expect(rbdJson<{ op_features: string[] }>(['info', ours]).op_features).toEqual(rbdJson<{ op_features: string[] }>(['info', theirs]).op_features);
      await RBD.remove(io, ours);
      await rbdAsync(['rm', theirs]);
    }
    rbd(['snap', 'unprotect', 'lp@a']);
  }, 180_000);
  it('flatten of a sparse clone copies up only what the parent holds, leaving the same objects as librbd; removal deletes them all', async () => {
    // 16 objects of 64 KiB: data in objects 2 and 9, zeros written into object 5 (it exists,
    // but copy-up of zeros is no copy-up: librbd's CopyupRequest::is_copyup_required).
    const order = 16;
    const obj = 1 << order;
    await RBD.create(io, 'sp', 16 * obj, { order });
    const sp = await RBD.open(io, 'sp');
    await sp.write(pattern(obj, 31), 2 * obj);
    await sp.write(new Uint8Array(obj), 5 * obj);
    await sp.write(pattern(100, 32), 9 * obj + 500);
    await sp.createSnap('s');
    await sp.protectSnap('s');
    await RBD.clone(io, 'sp', 's', io, 'sp-ours');
    rbd(['clone', 'sp@s', 'sp-theirs']);
    const ours = await RBD.open(io, 'sp-ours');
    await ours.flatten();
    await ours.close();
    await rbdAsync(['flatten', 'sp-theirs']);
    const objectsOf = async (image: string): Promise<string[]> => {
      const prefix = `rbd_data.${rbdJson<{ id: string }>(['info', image]).id}.`;
      const found: string[] = [];
      for await (const o of io.listObjects()) if (o.name.startsWith(prefix)) found.push(o.name.slice(prefix.length));
      return found.sort();
    };
    const theirs = await objectsOf('sp-theirs');
    expect(theirs).toEqual(['0000000000000002', '0000000000000009']);
    expect(await objectsOf('sp-ours')).toEqual(theirs);
    rbd(['object-map', 'check', 'sp-ours']);
    expectBytes(exported('sp-ours'), exported('sp-theirs'));
    const oursId = rbdJson<{ id: string }>(['info', 'sp-ours']).id;
    await RBD.remove(io, 'sp-ours');
    let left = 0;
    for await (const o of io.listObjects()) if (o.name.startsWith(`rbd_data.${oursId}.`)) left++;
    expect(left).toBe(0);
    await rbdAsync(['rm', 'sp-theirs']);
    await sp.unprotectSnap('s');
    await sp.removeSnap('s');
    await sp.close();
    await RBD.remove(io, 'sp');
  }, 180_000);
  it('children and descendants as librbd lists them: every snapshot from the head, one snapshot, trashed clones, clones of clones', async () => {
    await RBD.create(io, 'fam', 1 << 20);
    const fam = await RBD.open(io, 'fam');
    for (const s of ['s1', 's2']) {
      await fam.createSnap(s);
      await fam.protectSnap(s);
    }
    await RBD.clone(io, 'fam', 's1', io, 'fam-b');
    await RBD.clone(io, 'fam', 's2', io, 'fam-a');
    await RBD.clone(io, 'fam', 's2', io, 'fam-gone');
    rbd(['trash', 'mv', 'fam-gone']);
    const a = await RBD.open(io, 'fam-a');
    await a.createSnap('t');
    await a.protectSnap('t');
    await RBD.clone(io, 'fam-a', 't', io, 'fam-a-kid');
    const py = (code: string): unknown => {
      const r = pyEval(cluster, POOL, code);
      expect(r.raised).toBeUndefined();
      return r.result;
    };
    expect(await fam.listChildren()).toEqual(py("result = list(rbd.Image(io, 'fam', read_only=True).list_children2())"));
    expect(await fam.listChildren('s2')).toEqual(py("result = list(rbd.Image(io, 'fam', snapshot='s2', read_only=True).list_children2())"));
    expect((await fam.listChildren()).map((c) => `${c.image}${c.trash ? ' (trash)' : ''}`)).toEqual(['fam-a', 'fam-b', 'fam-gone (trash)']);
    expect(await fam.listDescendants()).toEqual(py("result = list(rbd.Image(io, 'fam', read_only=True).list_descendants())"));
    expect((await fam.listDescendants()).map((c) => c.image)).toEqual(['fam-a', 'fam-a-kid', 'fam-b', 'fam-gone']);
    const atS1 = await RBD.open(io, 'fam', { snapshot: 's1', readOnly: true });
    expect(await atS1.listDescendants()).toEqual(py("result = list(rbd.Image(io, 'fam', snapshot='s1', read_only=True).list_descendants())"));
    await atS1.close();
    await a.close();
    await fam.close();
  }, 180_000);
});
