// Image accessors (Python rbd.Image's features(), stripe_unit(), snap_get_id(), create_timestamp(),
// parent_id(), watchers_list(), …) against python3-rbd on the same images: an image librbd made
// with striping, its snapshot and a clone of it.
import { describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { errnoOf, pyEval } from './pybind-eval.ts';

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
