// bucket_perm_choose (src/crush/mapper.c): a pseudo-random permutation of the bucket's items
// per input x, built lazily up to position r and cached in the per-call workspace. Uniform
// buckets always use it; firstn's local fallback uses it for any bucket.
import type { CrushBucket } from '../crush-map.ts';
import { bucketHash3 } from '../hash.ts';

/** crush_work_bucket: the permutation state of one bucket during one crush_do_rule. */
export interface PermWork {
  gen: number;
  permX: number;
  permN: number;
  perm: Uint32Array;
}

export function permChoose(b: CrushBucket, w: PermWork, x: number, r: number): number {
  const size = b.size;
  const pr = (r >>> 0) % size;
  if (w.permX !== x >>> 0 || w.permN === 0) {
    w.permX = x >>> 0;
    if (pr === 0) {
      // common r=0 case: compute only the first element (perm_n = 0xffff marks it)
      const s = bucketHash3(b.hash, x, b.id, 0) % size;
      w.perm[0] = s;
      w.permN = 0xffff;
      return b.items[s]!;
    }
    for (let i = 0; i < size; i++) w.perm[i] = i;
    w.permN = 0;
  } else if (w.permN === 0xffff) {
    // expand the r=0 shortcut into a real permutation prefix
    for (let i = 1; i < size; i++) w.perm[i] = i;
    w.perm[w.perm[0]!] = 0;
    w.permN = 1;
  }
  while (w.permN <= pr) {
    const p = w.permN;
    if (p < size - 1) {
      const i = bucketHash3(b.hash, x, b.id, p) % (size - p);
      if (i) {
        const t = w.perm[p + i]!;
        w.perm[p + i] = w.perm[p]!;
        w.perm[p] = t;
      }
    }
    w.permN++;
  }
  return b.items[w.perm[pr]!]!;
}
