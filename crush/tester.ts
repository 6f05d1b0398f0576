// What `crushtool --test` computes (src/crush/CrushTester.cc CrushTester::test), shared by the
// CLI and the differential tests: devices in no bucket weigh 0, `--weight` overrides, a
// `--pool-id` hashes x with the pool (crush_hash32_2(x, pool)), and choose_args index 0 is used
// (which falls back to the default set).
import type { CrushMap } from './crush-map.ts';
import { crushHash32_2 } from './hash.ts';
import { doRule } from './mapper.ts';

/** Parameters of `crushtool --test --show-mappings`, which crushTestLines reproduces. */
export interface CrushTestParams {
  /** `--rule`: test only this rule index; all rules when absent. */
  rule?: number;
  /** `--min-rep`: the smallest result size tried; with maxRep, overrides the rule's min_size. */
  minRep?: number;
  /** `--max-rep`: the largest result size tried; with minRep, overrides the rule's max_size. */
  maxRep?: number;
  /** `--min-x`: the first input value x. */
  minX: number;
  /** `--max-x`: the last input value x (inclusive). */
  maxX: number;
  /** device → 16.16 weight, as `--weight` sets it */
  weights?: ReadonlyMap<number, number>;
  /** `--pool-id`: when set (not -1), x is hashed with it (crush_hash32_2) as PG placement seeds are. */
  poolId?: number;
}

/** CrushTester::set_device_weight: (int)(w * 0x10000) in float, clamped to [0, 0x10000]. */
export function testerWeight(w: number): number {
  const v = Math.trunc(Math.fround(Math.fround(w) * 0x10000));
  return v < 0 ? 0 : v > 0x10000 ? 0x10000 : v;
}

/** CrushTester's device weights: 1.0 (0x10000) for each device in some bucket, 0 otherwise, then the overrides. */
export function testerWeights(map: CrushMap, overrides?: ReadonlyMap<number, number>): number[] {
  const present = new Set<number>();
  for (const b of map.buckets) if (b) for (const item of b.items) if (item >= 0) present.add(item);
  const w: number[] = [];
  for (let o = 0; o < map.maxDevices; o++) w.push(overrides?.get(o) ?? (present.has(o) ? 0x10000 : 0));
  return w;
}

/** The `CRUSH rule R x X [osds]` lines `crushtool --test --show-mappings` prints, in its order. */
export function* crushTestLines(map: CrushMap, p: CrushTestParams): Generator<string> {
  const weights = testerWeights(map, p.weights);
  const first = p.rule ?? 0;
  const last = p.rule ?? map.rules.length - 1;
  for (let r = first; r <= last && r < map.rules.length; r++) {
    const def = map.rules[r];
    if (!def) continue;
    const useRule = p.minRep === undefined || p.maxRep === undefined || p.minRep < 0 || p.maxRep < 0;
    const lo = useRule ? def.minSize : p.minRep!;
    const hi = useRule ? def.maxSize : p.maxRep!;
    for (let nr = lo; nr <= hi; nr++) {
      for (let x = p.minX; x <= p.maxX; x++) {
        const realX = p.poolId !== undefined && p.poolId !== -1 ? crushHash32_2(x, p.poolId) : x;
        const out = doRule(map, r, realX, nr, weights, 0);
        let items = '';
        for (let i = 0; i < out.length; i++) items += i ? `,${out[i]}` : `${out[i]}`;
        yield `CRUSH rule ${r} x ${x} [${items}]`;
      }
    }
  }
}
