// bucket_straw2_choose (src/crush/mapper.c): each item draws ln(u)/weight (u a 16-bit hash);
// the largest draw wins, ties keep the first item, zero weights never win. choose_args may
// replace the weights (per position) and the ids that are hashed.
import type { ChooseArg, CrushBucket } from '../crush-map.ts';
import { CRUSH_HASH_RJENKINS1, crushHash32_3 } from '../hash.ts';
import { crushLn } from '../ln.ts';

const TWO_48 = 0x1000000000000;
// crush_ln(u) - 2^48 for every 16-bit u, computed once on first use (512 KiB): the inner loop
// then costs one hash, one load and one division per item.
let lnTable: Float64Array | undefined;
function lnMinus48(): Float64Array {
  if (!lnTable) {
    lnTable = new Float64Array(0x10000);
    for (let u = 0; u < 0x10000; u++) lnTable[u] = crushLn(u) - TWO_48;
  }
  return lnTable;
}

export function straw2Choose(b: CrushBucket, x: number, r: number, arg: ChooseArg | undefined, position: number): number {
  let weights = b.itemWeights;
  let ids = b.items;
  if (arg) {
    const ws = arg.weightSet;
    if (ws.length > 0) weights = ws[position >= ws.length ? ws.length - 1 : position]!;
    if (arg.ids) ids = arg.ids;
  }
  const ln = lnMinus48();
  const rjenkins = b.hash === CRUSH_HASH_RJENKINS1;
  const size = b.size;
  let high = 0;
  let highDraw = -Infinity;
  for (let i = 0; i < size; i++) {
    const w = weights[i]!;
    let draw: number;
    if (w) {
      const u = (rjenkins ? crushHash32_3(x, ids[i]!, r) : 0) & 0xffff;
      // div64_s64 truncates toward zero; |ln| < 2^49 so the float quotient truncates exactly.
      draw = Math.trunc(ln[u]! / w);
    } else {
      draw = -Infinity; // S64_MIN
    }
    if (i === 0 || draw > highDraw) {
      high = i;
      highDraw = draw;
    }
  }
  return b.items[high]!;
}
