// bucket_list_choose (src/crush/mapper.c): walk from the tail; take item i when its share of
// the running sum wins the hash draw.
import type { CrushBucket } from '../crush-map.ts';
import { bucketHash4 } from '../hash.ts';

export function listChoose(b: CrushBucket, x: number, r: number): number {
  for (let i = b.size - 1; i >= 0; i--) {
    let w = bucketHash4(b.hash, x, b.items[i]!, r, b.id) & 0xffff;
    w = Math.floor((w * b.sumWeights[i]!) / 0x10000);
    if (w < b.itemWeights[i]!) return b.items[i]!;
  }
  return b.items[0]!;
}
