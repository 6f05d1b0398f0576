// Incremental diffs against librbd: Image.diffIterate (exact and whole-object, with and without
// fast-diff, a clone with and without its parent) compared with `rbd diff --format json` and the
// Python binding's diff_iterate, for every version of an image from every older one.
import { beforeAll, describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import type { Image } from '../../src/rbd/image.ts';
import { Feature } from '../../src/rbd/features.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { pyEval } from './pybind-eval.ts';
import { expectBytes, pattern, rbdCli } from './rbd-cli.ts';
import { currentRelease } from '../cluster/releases.ts';

let cluster: Cluster;
let io: IoCtx;
const POOL = 'rbd';
const { rbdJson, exported } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, io } = env));

const ORDER = 16;
const OBJ = 1 << ORDER;
const BASIC = Feature.LAYERING;
const FAST = Feature.LAYERING | Feature.EXCLUSIVE_LOCK | Feature.OBJECT_MAP | Feature.FAST_DIFF | Feature.DEEP_FLATTEN;

type Extent = { offset: number; length: number; exists: boolean };

async function ours(img: Image, from: string | null, wholeObject: boolean, includeParent = true): Promise<Extent[]> {
  const out: Extent[] = [];
  await img.diffIterate(0, img.size, from, (offset, length, exists) => void out.push({ offset, length, exists }), { wholeObject, includeParent });
  return out;
}

function theirs(spec: string, from: string | null, wholeObject: boolean): Extent[] {
  const args = ['diff', spec, ...(from ? ['--from-snap', from] : []), ...(wholeObject ? ['--whole-object'] : [])];
  return rbdJson<Array<{ offset: number; length: number; exists: string }>>(args).map((x) => ({ offset: x.offset, length: x.length, exists: x.exists === 'true' }));
}

/**
 * Whether `rbd diff` here runs librbd's diff as we do: librbd 18 and 20 (Reef, Tentacle) agree
 * with each other and with us everywhere. Pacific's librbd 16 still has the older
 * calc_snap_set_diff (an object truncated after the start is reported to its old size) and the
 * older ObjectListSnapsRequest (fewer zero extents) in exact and whole-object listing; its
 * fast-diff (object-map) path is the same, and compared there.
 */
const sameDiffCode = (fastDiffPath: boolean): boolean => currentRelease().name !== 'pacific' || fastDiffPath;

/** What a diff is for: the start version (zeros from creation) with the extents applied is the end version. */
function expectDiffApplies(extents: Extent[], start: Uint8Array, end: Uint8Array): void {
  const out = new Uint8Array(end.length);
  out.set(start.subarray(0, end.length));
  for (const x of extents) {
    if (x.exists) out.set(end.subarray(x.offset, x.offset + x.length), x.offset);
    else out.fill(0, x.offset, x.offset + x.length);
  }
  expectBytes(out, end);
}

/** Every version (each snapshot, then the head) from creation and from every older snapshot, exact and whole-object. */
async function compareEveryVersion(name: string, snaps: string[], fastDiff: boolean): Promise<number> {
  const got: unknown[] = [];
  const want: unknown[] = [];
  for (const [i, end] of [...snaps, null].entries()) {
    const img = await RBD.open(io, name, end === null ? {} : { snapshot: end });
    const spec = end === null ? name : `${name}@${end}`;
    const endBytes = exported(spec);
    try {
      for (const from of [null, ...snaps.slice(0, i)]) {
        const startBytes = from === null ? new Uint8Array(0) : exported(`${name}@${from}`);
        for (const whole of [false, true]) {
          const extents = await ours(img, from, whole);
          const rbdExtents = theirs(spec, from, whole);
          expectDiffApplies(extents, startBytes, endBytes);
          expectDiffApplies(rbdExtents, startBytes, endBytes);
          if (!sameDiffCode(whole && fastDiff)) continue;
          got.push({ spec, from, whole, extents });
          want.push({ spec, from, whole, extents: rbdExtents });
        }
      }
    } finally {
      await img.close();
    }
  }
  expect(got).toEqual(want);
  return got.length;
}

/** Writes, zeroes, whole-object discards, resizes (grow, then shrink mid-object) between snapshots s1..s3. */
async function buildHistory(name: string, features: bigint): Promise<string[]> {
  await RBD.create(io, name, 20 * OBJ, { order: ORDER, features });
  const img = await RBD.open(io, name);
  await img.write(pattern(3 * OBJ, 1), 10_000); // spans objects 0..3
  await img.write(pattern(5000, 2), 9 * OBJ + 100);
  await img.write(pattern(OBJ, 3), 14 * OBJ); // a whole object
  await img.createSnap('s1');
  await img.write(pattern(1000, 4), OBJ + 500);
  await img.discard(2 * OBJ, OBJ); // a whole object removed
  await img.discard(9 * OBJ, 4096); // zeroed at the object's start
  await img.write(pattern(OBJ + 20, 5), 12 * OBJ - 10);
  await img.discard(14 * OBJ + OBJ / 2, OBJ / 2); // an object's tail truncated
  await img.createSnap('s2');
  await img.resize(26 * OBJ);
  await img.write(pattern(3000, 6), 24 * OBJ + 7);
  await img.write(pattern(100, 7), 5);
  await img.createSnap('s3');
  await img.resize(13 * OBJ + 777); // shrink into object 13
  await img.write(pattern(2000, 8), 3 * OBJ - 1000);
  await img.discard(0, 2 * OBJ);
  await img.close();
  return ['s1', 's2', 's3'];
}

describe('Image.diffIterate against rbd diff', () => {
  it('an image without fast-diff: every version from creation and from each older snapshot', async () => {
    const snaps = await buildHistory('plain', BASIC);
    expect(await compareEveryVersion('plain', snaps, false)).toBe(sameDiffCode(false) ? 20 : 0);
  }, 300_000);

  it('an image with object-map and fast-diff (whole-object answered from the object maps)', async () => {
    const snaps = await buildHistory('fast', FAST);
    expect(await compareEveryVersion('fast', snaps, true)).toBe(sameDiffCode(false) ? 20 : 10);
  }, 300_000);

  it('a clone: its parent data reported from creation; without the parent as the Python binding', async () => {
    for (const [parent, features] of [
      ['plain', BASIC],
      ['fast', FAST],
    ] as const) {
      const kid = `${parent}-kid`;
      await RBD.clone(io, parent, 's2', io, kid, { features, cloneFormat: 2 });
      const img = await RBD.open(io, kid);
      await img.write(pattern(700, 9), 12 * OBJ + 50); // copy-up of a parent object
      await img.write(pattern(OBJ, 10), 5 * OBJ); // an object the parent lacks
      await img.createSnap('c1');
      await img.write(pattern(300, 11), OBJ + 10);
      await img.discard(16 * OBJ, OBJ);
      await img.close();
      expect(await compareEveryVersion(kid, ['c1'], features === FAST)).toBe(sameDiffCode(false) ? 6 : features === FAST ? 3 : 0);
      const head = await RBD.open(io, kid);
      for (const whole of [false, true]) {
        const py = pyEval<Array<[number, number, boolean]>>(
          cluster,
          POOL,
          `img = rbd.Image(io, '${kid}')\nout = []\nimg.diff_iterate(0, img.size(), None, lambda o, l, e: out.append([o, l, e]), include_parent=False, whole_object=${whole ? 'True' : 'False'})\nimg.close()\nresult = out`,
        );
        expect(await ours(head, null, whole, false)).toEqual(py.result!.map(([offset, length, exists]) => ({ offset, length, exists })));
      }
      await head.close();
    }
  }, 300_000);

  it('a sub-range, an unknown or newer start snapshot, a range past the end: as the Python binding', async () => {
    const img = await RBD.open(io, 'plain', { snapshot: 's2' });
    const py = pyEval<Array<[number, number, boolean]>>(
      cluster,
      POOL,
      `img = rbd.Image(io, 'plain', snapshot='s2')\nout = []\nimg.diff_iterate(${OBJ + 100}, ${11 * OBJ}, 's1', lambda o, l, e: out.append([o, l, e]))\nimg.close()\nresult = out`,
    );
    const got: Array<[number, number, boolean]> = [];
    for await (const x of img.diffExtents(OBJ + 100, 11 * OBJ, 's1')) got.push([x.offset, x.length, x.exists]);
    expect(got).toEqual(py.result);
    const errOf = async (p: Promise<unknown>): Promise<number | undefined> => p.then(() => undefined, (e: unknown) => (e as { errno?: number }).errno);
    const pyErr = (args: string): number | null | undefined =>
      pyEval(cluster, POOL, `img = rbd.Image(io, 'plain', snapshot='s2')\ntry:\n  img.diff_iterate(${args}, lambda o, l, e: 0)\nfinally:\n  img.close()`).errno;
    expect(await errOf(img.diffIterate(0, 10, 'nosuch', () => {}))).toBe(pyErr("0, 10, 'nosuch'"));
    expect(await errOf(img.diffIterate(0, 10, 's3', () => {}))).toBe(pyErr("0, 10, 's3'"));
    expect(await errOf(img.diffIterate(img.size, 10, null, () => {}))).toBe(pyErr(`${img.size}, 10, None`));
    await img.close();
  }, 120_000);
});
