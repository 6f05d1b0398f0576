// CRUSH placement against crushtool on maps compiled from text (crushtool -c): device classes
// and their shadow trees, set_* rule steps, choose/chooseleaf chains, several take/emit pairs,
// indep with holes, choose_args (per-position weight sets and id remaps, default and per pool).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCrushMap } from '../../crush/decode-crush-map.ts';
import { crushtool, crushtoolMappings, readMap } from './crushtool.ts';
import { crushtoolArgs, firstDiff, ourMappings, type TestParams } from './ours.ts';
import { textMap } from './text-map.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-crushtext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const JEWEL = {
  choose_local_tries: 0,
  choose_local_fallback_tries: 0,
  choose_total_tries: 50,
  chooseleaf_descend_once: 1,
  chooseleaf_vary_r: 1,
  chooseleaf_stable: 1,
  straw_calc_version: 1,
  allowed_bucket_algs: 54,
};
const LEGACY = {
  choose_local_tries: 2,
  choose_local_fallback_tries: 5,
  choose_total_tries: 19,
  chooseleaf_descend_once: 0,
  chooseleaf_vary_r: 0,
  chooseleaf_stable: 0,
  straw_calc_version: 0,
  allowed_bucket_algs: 22,
};

function compile(name: string, text: string): string {
  const src = join(dir, `${name}.txt`);
  const out = join(dir, name);
  writeFileSync(src, text);
  crushtool(['-c', src, '-o', out]);
  return out;
}

function compare(map: string, p: TestParams): void {
  const theirs = crushtoolMappings(map, crushtoolArgs(p));
  const ours = ourMappings(decodeCrushMap(readMap(map)), p);
  expect(theirs.length).toBeGreaterThan(0);
  expect(firstDiff(ours, theirs), map).toBeUndefined();
}

describe('maps compiled from text', () => {
  for (const alg of ['straw2', 'straw', 'list', 'tree', 'uniform']) {
    for (const [tname, tunables] of [
      ['jewel', JEWEL],
      ['legacy', LEGACY],
    ] as const) {
      it(`${alg} hosts, ${tname} tunables: classes, set_* steps, chains, choose_args`, () => {
        const map = compile(
          `${alg}-${tname}`,
          textMap({ alg, tunables, hosts: 8, osdsPerHost: 3, racks: 2, classes: alg !== 'uniform', weight: (i) => (i % 5 === 4 ? 0 : 0.5 + (i % 4) * 0.75) }),
        );
        const decoded = decodeCrushMap(readMap(map));
        expect(decoded.className.size).toBe(2);
        if (alg !== 'uniform') expect(decoded.classBucket.size).toBeGreaterThan(0);
        expect(decoded.chooseArgs.size).toBe(2);
        // Replica counts 1..6 (the rules' min_size..max_size, Pacific's crushtool default), one
        // --num-rep each: Tentacle's crushtool needs a count and Pacific's has no --min-rep.
        for (let numRep = 1; numRep <= 6; numRep++) {
          for (const poolId of [undefined, 7, 3]) compare(map, { minX: 0, maxX: 511, numRep, ...(poolId !== undefined ? { poolId } : {}) });
          compare(map, {
            minX: 0,
            maxX: 511,
            numRep,
            weights: new Map([
              [1, 0],
              [4, 0x8000],
              [9, 0x1000],
            ]),
          });
        }
      });
    }
  }
});
