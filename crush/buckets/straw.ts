// bucket_straw_choose (src/crush/mapper.c): the longest straw wins; ties keep the first item.
import type { CrushBucket } from '../crush-map.ts';
import { bucketHash3 } from '../hash.ts';

export function strawChoose(b: CrushBucket, x: number, r: number): number {
  let high = 0;
  let highDraw = 0;
  for (let i = 0; i < b.size; i++) {
    const draw = (bucketHash3(b.hash, x, b.items[i]!, r) & 0xffff) * b.straws[i]!;
    if (i === 0 || draw > highDraw) {
      high = i;
      highDraw = draw;
    }
  }
  return b.items[high]!;
}
