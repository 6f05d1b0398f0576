// Image accessors (Python rbd.Image's features(), stripe_unit(), snap_get_id(), create_timestamp(),
// parent_id(), watchers_list(), …) against python3-rbd on the same images: an image librbd made
// with striping, its snapshot and a clone of it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { errnoOf, pyEval, pyEvalAsync } from './pybind-eval.ts';

const POOL = 'iprops';
const env = usePoolCluster([POOL]);

const PY_PROPS = (name: string, snap: string): string =>
  [
    'import calendar',
    `img = rbd.Image(io, ${JSON.stringify(name)})`,
    'sec = lambda d: calendar.timegm(d.utctimetuple())',
    `sid = img.snap_get_id(${JSON.stringify(snap)})`,
    'result = dict(features=img.features(), op_features=img.op_features(), flags=img.flags(), stripe_unit=img.stripe_unit(), stripe_count=img.stripe_count(),',
    '  data_pool_id=img.data_pool_id(), block_name_prefix=img.block_name_prefix(), old_format=img.old_format(), snap_exists=img.snap_exists(' +
      JSON.stringify(snap) +
      "), snap_missing=img.snap_exists('nope'),",
    '  snap_id=sid, snap_name=img.snap_get_name(sid), snap_ts=sec(img.get_snap_timestamp(sid)), snap_ns=img.snap_get_namespace_type(sid),',
    '  created=sec(img.create_timestamp()), accessed=sec(img.access_timestamp()), modified=sec(img.modify_timestamp()))',
    'img.close()',
  ].join('\n');

describe('Image accessors against python-rbd', () => {
  it('features, striping, prefix, snapshots by id and name, timestamps: the same values', async () => {
    const { cluster, io } = env;
    pyEval(
      cluster,
      POOL,
      [
        "rbd.RBD().create(io, 'striped', 8 << 20, order=22, stripe_unit=1 << 20, stripe_count=2, old_format=False, features=61 | 2)",
        "img = rbd.Image(io, 'striped')",
        "img.create_snap('s1')",
        "img.protect_snap('s1')",
        'img.close()',
        "rbd.RBD().clone(io, 'striped', 's1', io, 'child')",
      ].join('\n'),
    );
    const theirs = pyEval<Record<string, unknown>>(cluster, POOL, PY_PROPS('striped', 's1')).result!;
    const img = await RBD.open(io, 'striped');
    try {
      const id = img.snapGetId('s1');
      const sec = (d: Date): number => Math.floor(d.getTime() / 1000);
      const ours = {
        features: Number(img.features()),
        op_features: Number(img.opFeatures()),
        flags: Number(img.flags()),
        stripe_unit: img.stripeUnit(),
        stripe_count: img.stripeCount(),
        data_pool_id: img.dataPoolId(),
        block_name_prefix: img.blockNamePrefix(),
        old_format: img.oldFormat(),
        snap_exists: img.snapExists('s1'),
        snap_missing: img.snapExists('nope'),
        snap_id: Number(id),
        snap_name: img.snapGetName(id),
        snap_ts: sec(img.getSnapTimestamp(id)),
        snap_ns: img.snapGetNamespaceType(id),
        created: sec(await img.createTimestamp()),
        accessed: sec(await img.accessTimestamp()),
        modified: sec(await img.modifyTimestamp()),
      };
      expect(ours).toEqual(theirs);
      // Refusals, errno for errno.
      const refusals: Array<[string, () => unknown, string]> = [
        ['snap_get_id of a missing snapshot', () => img.snapGetId('nope'), "result = rbd.Image(io, 'striped').snap_get_id('nope')"],
        ['snap_get_name of a missing id', () => img.snapGetName(999n), "result = rbd.Image(io, 'striped').snap_get_name(999)"],
        ['parent_id of an image with no parent', () => img.parentId(), "result = rbd.Image(io, 'striped').parent_id()"],
      ];
      for (const [what, ourCall, py] of refusals) {
        const r = pyEval(cluster, POOL, py);
        expect(r.errno, `${what}: librbd did not refuse`).toBeGreaterThan(0);
        expect(await errnoOf(Promise.resolve().then(ourCall)), what).toBe(r.errno);
      }
    } finally {
      await img.close();
    }
  });

  it('parent_id of a clone, and watchers_list with librbd and us both watching', async () => {
    const { cluster, io } = env;
    const child = await RBD.open(io, 'child');
    try {
      expect(child.parentId()).toBe(pyEval<string>(cluster, POOL, "result = rbd.Image(io, 'child').parent_id()").result);
      // Both open: librbd lists the watchers while it holds its handle too.
      const theirs = pyEval<Array<{ addr: string; id: number; cookie: number }>>(
        cluster,
        POOL,
        "img = rbd.Image(io, 'child')\nresult = sorted([dict(addr=w['addr'], id=w['id'], cookie=w['cookie']) for w in img.watchers_list()], key=lambda w: w['id'])\nme = cluster.get_instance_id()\nresult = [w for w in result if w['id'] != me]\nimg.close()",
      ).result!;
      const ours = (await child.watchersList()).map((w) => ({ addr: w.addr, id: Number(w.id), cookie: Number(w.cookie) }));
      // What librbd lists besides its own watch is ours, as we list it.
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs).toEqual(ours.filter((w) => theirs.some((t) => t.id === w.id)));
      expect(ours.map((w) => BigInt(w.id))).toContain(env.rados.instanceId);
    } finally {
      await child.close();
    }
  });
});

describe('snapshot limits, snapshots by id, the snapshot trash, write_zeroes', () => {
  it('get/set/remove the snapshot limit as librbd: each sees the other’s, EDQUOT past it, the same refusals', async () => {
    const { cluster, io } = env;
    await RBD.create(io, 'limited', 4 << 20);
    const img = await RBD.open(io, 'limited');
    try {
      const limitOf = async (): Promise<bigint> => BigInt((await pyEvalAsync<string>(cluster, POOL, "result = str(rbd.Image(io, 'limited').get_snap_limit())")).result!);
      expect(await limitOf()).toBe(await img.getSnapLimit());
      await img.setSnapLimit(2n);
      expect(await limitOf()).toBe(2n);
      await img.createSnap('a');
      await img.createSnap('b');
      const py = await pyEvalAsync(cluster, POOL, "rbd.Image(io, 'limited').create_snap('c')");
      expect(py.errno).toBeGreaterThan(0);
      expect(await errnoOf(img.createSnap('c'))).toBe(py.errno);
      // Lower than the snapshots there are: both refuse alike.
      const lower = await pyEvalAsync(cluster, POOL, "rbd.Image(io, 'limited').set_snap_limit(1)");
      expect(await errnoOf(img.setSnapLimit(1n))).toBe(lower.errno ?? undefined);
      await pyEvalAsync(cluster, POOL, "rbd.Image(io, 'limited').set_snap_limit(5)");
      expect(await img.getSnapLimit()).toBe(5n);
      await img.removeSnapLimit();
      expect(await limitOf()).toBe(await img.getSnapLimit());
      await img.createSnap('c');
      // set_snap_by_id reads at that snapshot, as set_snap by name.
      await img.write(new Uint8Array(4096).fill(9), 0);
      await img.setSnapById(img.snapGetId('a'));
      expect((await img.read(0, 4096)).every((b) => b === 0)).toBe(true);
      await img.setSnapById(null);
      expect((await img.read(0, 4096)).every((b) => b === 9)).toBe(true);
    } finally {
      await img.close();
    }
  });

  it('snap_get_trash_namespace names a snapshot a v2 clone keeps in the trash; write_zeroes reads back as librbd’s', async () => {
    const { cluster, io } = env;
    await RBD.create(io, 'tparent', 4 << 20);
    const parent = await RBD.open(io, 'tparent');
    try {
      await parent.createSnap('keep');
      await RBD.clone(io, 'tparent', 'keep', io, 'tchild', { cloneFormat: 2 });
      await parent.removeSnap('keep');
      await parent.refresh();
      const trashed = parent.listSnaps({ all: true }).find((s) => s.namespaceType === 2)!;
      const theirs = (await pyEvalAsync<Record<string, string>>(cluster, POOL, `result = rbd.Image(io, 'tparent').snap_get_trash_namespace(${trashed.id})`)).result!;
      // Pacific's binding gives the name only; later ones add original_namespace_type.
      const ns = parent.snapGetTrashNamespace(trashed.id);
      const ours: Record<string, unknown> = { original_name: ns.originalName, original_namespace_type: ns.originalNamespaceType };
      expect(Object.fromEntries(Object.keys(theirs).map((k) => [k, ours[k]]))).toEqual(theirs);
      expect(theirs['original_name']).toBe('keep');
      await parent.createSnap('u');
      const user = await pyEvalAsync(cluster, POOL, "img = rbd.Image(io, 'tparent')\nresult = img.snap_get_trash_namespace(img.snap_get_id('u'))");
      expect(await errnoOf(Promise.resolve().then(() => parent.snapGetTrashNamespace(parent.snapGetId('u'))))).toBe(user.errno);
    } finally {
      await parent.close();
    }
    // write_zeroes over data, across object boundaries: the same bytes as librbd's on a twin image.
    const fill = 'bytes(((i * 7) & 0xff) for i in range(3 << 20))';
    pyEval(cluster, POOL, `rbd.RBD().create(io, 'zpy', 8 << 20)\nimg = rbd.Image(io, 'zpy')\nimg.write(${fill}, 0)\nimg.write_zeroes(1000, (2 << 20) + 5000)\nimg.close()`);
    await RBD.create(io, 'zts', 8 << 20);
    const z = await RBD.open(io, 'zts');
    try {
      await z.write(
        Uint8Array.from({ length: 3 << 20 }, (_, i) => (i * 7) & 0xff),
        0,
      );
      await z.writeZeroes(1000, (2 << 20) + 5000);
      const theirs = pyEval<string>(cluster, POOL, "import hashlib\nresult = hashlib.sha256(rbd.Image(io, 'zpy').read(0, 4 << 20)).hexdigest()").result!;
      const ours = await z.read(0, 4 << 20);
      expect(ours.subarray(1000, (2 << 20) + 6000).every((b) => b === 0)).toBe(true);
      expect(createHash('sha256').update(ours).digest('hex')).toBe(theirs);
    } finally {
      await z.close();
    }
  });
});
