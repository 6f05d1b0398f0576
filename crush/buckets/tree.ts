// bucket_tree_choose (src/crush/mapper.c): descend a binary tree of node weights stored in
// in-order layout (leaves at odd indexes), choosing left or right by a weighted hash draw.
import type { CrushBucket } from '../crush-map.ts';
import { bucketHash4 } from '../hash.ts';

function height(n: number): number {
  let h = 0;
  while ((n & 1) === 0) {
    h++;
    n >>= 1;
  }
  return h;
}

export function treeChoose(b: CrushBucket, x: number, r: number): number {
  let n = b.numNodes >> 1;
  while (!(n & 1)) {
    const w = b.nodeWeights[n]!;
    // t = (hash * w) >> 32 in exact arithmetic: split w in 16-bit halves.
    const h = bucketHash4(b.hash, x, n, r, b.id);
    const t = Math.floor((h * (w >>> 16) + Math.floor((h * (w & 0xffff)) / 0x10000)) / 0x10000);
    const hgt = height(n);
    const l = n - (1 << (hgt - 1));
    n = t < b.nodeWeights[l]! ? l : n + (1 << (hgt - 1));
  }
  return b.items[n >> 1]!;
}
