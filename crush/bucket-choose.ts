// What both CRUSH descents share (src/crush/mapper.c): crush_bucket_choose over the five bucket
// algorithms, is_out for reweighted devices, and the per-call workspace (crush_work with one
// crush_work_bucket per bucket, as crush_init_workspace sets it up for each crush_do_rule).
import { permChoose, type PermWork } from './buckets/perm.ts';
import { listChoose } from './buckets/list.ts';
import { strawChoose } from './buckets/straw.ts';
import { straw2Choose } from './buckets/straw2.ts';
import { treeChoose } from './buckets/tree.ts';
import { BucketAlg, type ChooseArg, type CrushBucket, type CrushMap } from './crush-map.ts';
import { crushHash32_2 } from './hash.ts';

/** The choose_args in force for one call, indexed by -1 - bucket id, or none. */
export type Args = Array<ChooseArg | undefined> | undefined;

/** Per-map workspace: permutation state per bucket, reset (by generation) at each doRule. */
export class Workspace {
  gen = 0;
  readonly work: PermWork[];
  // crush_do_rule's three result vectors (w, o, c), reused between calls.
  // Typed so our .d.ts says `Int32Array`, not `Int32Array<ArrayBuffer>` (TS >= 5.7 only).
  a: Int32Array = new Int32Array(16);
  b: Int32Array = new Int32Array(16);
  c: Int32Array = new Int32Array(16);
  constructor(map: CrushMap) {
    this.work = map.buckets.map((b) => ({ gen: -1, permX: 0, permN: 0, perm: new Uint32Array(b ? b.size : 0) }));
  }
  get(bucketIndex: number): PermWork {
    const w = this.work[bucketIndex]!;
    if (w.gen !== this.gen) {
      w.gen = this.gen;
      w.permX = 0;
      w.permN = 0;
    }
    return w;
  }
}

const workspaces = new WeakMap<CrushMap, Workspace>();

/** The map's workspace, fresh for a new crush_do_rule (crush_init_workspace). */
export function newCall(map: CrushMap): Workspace {
  let ws = workspaces.get(map);
  if (!ws) {
    ws = new Workspace(map);
    workspaces.set(map, ws);
  }
  ws.gen++;
  return ws;
}

/** crush_bucket_choose: the item of bucket b for input x and replica/try value r. */
export function bucketChoose(ws: Workspace, b: CrushBucket, x: number, r: number, args: Args, position: number): number {
  switch (b.alg) {
    case BucketAlg.UNIFORM:
      return permChoose(b, ws.get(-1 - b.id), x, r);
    case BucketAlg.LIST:
      return listChoose(b, x, r);
    case BucketAlg.TREE:
      return treeChoose(b, x, r);
    case BucketAlg.STRAW:
      return strawChoose(b, x, r);
    case BucketAlg.STRAW2:
      return straw2Choose(b, x, r, args ? args[-1 - b.id] : undefined, position);
    default:
      return b.items[0]!;
  }
}

/** is_out: a device with a reweight below 1.0 is kept for a hash-chosen share of inputs. */
export function isOut(weight: ArrayLike<number>, item: number, x: number): boolean {
  if (item >= weight.length) return true;
  const w = weight[item]!;
  if (w >= 0x10000) return false;
  if (w === 0) return true;
  return (crushHash32_2(x, item) & 0xffff) >= w;
}
