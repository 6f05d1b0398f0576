// crush_ln (src/crush/mapper.c): 2^44 * log2(x + 1) for x in [0, 0xffff], by table lookup, in
// exact integer arithmetic. Every intermediate stays below 2^53 except x * RH, which is split.
import { LL_TBL, RH_LH_TBL } from './ln-table.ts';

const RH_LH = Float64Array.from(RH_LH_TBL, Number);
const LL = Float64Array.from(LL_TBL, Number);
const TWO_24 = 0x1000000;

/** crush_ln (src/crush/mapper.c): 2^44 · log2(xin + 1) for xin in [0, 0xffff], exact; straw2 draws use it. */
export function crushLn(xin: number): number {
  let x = (xin + 1) >>> 0;
  let iexpon = 15;
  if (!(x & 0x18000)) {
    const bits = Math.clz32(x & 0x1ffff) - 16;
    x = (x << bits) >>> 0;
    iexpon = 15 - bits;
  }
  const index1 = (x >>> 8) << 1;
  const rh = RH_LH[index1 - 256]!;
  const lh = RH_LH[index1 + 1 - 256]!;
  // xl64 = (x * RH) >> 48, with RH split in 24-bit halves so every product is exact.
  const rhHi = Math.floor(rh / TWO_24);
  const rhLo = rh - rhHi * TWO_24;
  const q = x * rhHi + Math.floor((x * rhLo) / TWO_24);
  const xl64 = Math.floor(q / TWO_24);
  const index2 = xl64 & 0xff;
  // result = (iexpon << 44) + ((LH + LL) >> 4)
  return iexpon * 0x100000000000 + Math.floor((lh + LL[index2]!) / 16);
}
