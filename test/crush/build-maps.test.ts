// CRUSH placement against crushtool, generated and compared in this run: maps built by
// `crushtool --build` with every bucket algorithm and mixes of them over 1-4 levels and 1-200
// OSDs, each tunables profile, replicated and indep rules, reweights and zero weights.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCrushMap } from '../../crush/decode-crush-map.ts';
import { crushtool, crushtoolMappings, readMap } from './crushtool.ts';
import { crushtoolArgs, firstDiff, ourMappings, type TestParams } from './ours.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-crush-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function build(numOsds: number, layers: string[][]): string {
  const out = join(dir, `m${n++}`);
  crushtool(['--build', '--num_osds', String(numOsds), '-o', out, ...layers.flat()]);
  return out;
}

// Profiles as CrushWrapper::set_tunables_* define them.
const PROFILES: Record<string, string[]> = {
  legacy: [
    '--set-choose-local-tries',
    '2',
    '--set-choose-local-fallback-tries',
    '5',
    '--set-choose-total-tries',
    '19',
    '--set-chooseleaf-descend-once',
    '0',
    '--set-chooseleaf-vary-r',
    '0',
    '--set-chooseleaf-stable',
    '0',
  ],
  bobtail: [
    '--set-choose-local-tries',
    '0',
    '--set-choose-local-fallback-tries',
    '0',
    '--set-choose-total-tries',
    '50',
    '--set-chooseleaf-descend-once',
    '1',
    '--set-chooseleaf-vary-r',
    '0',
    '--set-chooseleaf-stable',
    '0',
  ],
  firefly: [
    '--set-choose-local-tries',
    '0',
    '--set-choose-local-fallback-tries',
    '0',
    '--set-choose-total-tries',
    '50',
    '--set-chooseleaf-descend-once',
    '1',
    '--set-chooseleaf-vary-r',
    '1',
    '--set-chooseleaf-stable',
    '0',
  ],
  jewel: [
    '--set-choose-local-tries',
    '0',
    '--set-choose-local-fallback-tries',
    '0',
    '--set-choose-total-tries',
    '50',
    '--set-chooseleaf-descend-once',
    '1',
    '--set-chooseleaf-vary-r',
    '1',
    '--set-chooseleaf-stable',
    '1',
  ],
};

function withProfile(map: string, profile: string): string {
  const out = `${map}.${profile}`;
  crushtool(['-i', map, ...PROFILES[profile]!, '-o', out]);
  return out;
}

function withIndepRule(map: string, root: string, type: string): string {
  const out = `${map}.indep`;
  crushtool(['-i', map, '--create-simple-rule', 'indep', root, type, 'indep', '-o', out]);
  return out;
}

function compare(map: string, p: TestParams): number {
  const theirs = crushtoolMappings(map, crushtoolArgs(p));
  const ours = ourMappings(decodeCrushMap(readMap(map)), p);
  expect(firstDiff(ours, theirs), map).toBeUndefined();
  expect(theirs.length).toBeGreaterThan(0);
  return theirs.length;
}

const ALGS = ['uniform', 'list', 'tree', 'straw', 'straw2'];
const X = { minX: 0, maxX: 1023 };

describe('crushtool --build maps', () => {
  for (const alg of ALGS) {
    it(`${alg}: flat, 2-level and 3-level, firstn and indep, numrep 1-6, every tunables profile`, () => {
      let lines = 0;
      const maps = [
        build(1, [['root', alg, '0']]),
        build(7, [['root', alg, '0']]),
        build(13, [
          ['host', alg, '4'],
          ['root', alg, '0'],
        ]),
        build(36, [
          ['host', alg, '3'],
          ['rack', alg, '2'],
          ['root', alg, '0'],
        ]),
      ];
      for (const m of maps) {
        const leaf = m === maps[0] || m === maps[1] ? 'osd' : 'host';
        const withIndep = withIndepRule(m, 'root', leaf);
        for (const profile of Object.keys(PROFILES)) {
          const tuned = withProfile(withIndep, profile);
          for (const numRep of [1, 3, 6]) lines += compare(tuned, { ...X, numRep });
        }
      }
      expect(lines).toBeGreaterThan(40_000);
    });
  }

  it('mixed algorithms across four levels and 200 OSDs', () => {
    const maps = [
      build(200, [
        ['host', 'straw2', '10'],
        ['rack', 'straw', '5'],
        ['root', 'straw2', '0'],
      ]),
      build(60, [
        ['host', 'uniform', '5'],
        ['rack', 'list', '3'],
        ['row', 'tree', '2'],
        ['root', 'straw2', '0'],
      ]),
      build(48, [
        ['host', 'tree', '4'],
        ['rack', 'straw2', '3'],
        ['row', 'uniform', '2'],
        ['root', 'list', '0'],
      ]),
    ];
    for (const m of maps) {
      const rack = withIndepRule(m, 'root', 'rack');
      for (const profile of ['legacy', 'jewel']) {
        const tuned = withProfile(rack, profile);
        for (const numRep of [2, 3, 4, 5]) compare(tuned, { ...X, numRep });
      }
    }
  });

  it('reweights (--weight, 0 and partial) and zero-weight items', () => {
    for (const alg of ALGS) {
      const m = withProfile(
        withIndepRule(
          build(24, [
            ['host', alg, '4'],
            ['root', 'straw2', '0'],
          ]),
          'root',
          'host',
        ),
        'jewel',
      );
      const weights = new Map([
        [0, 0],
        [3, 0x8000],
        [7, Math.trunc(Math.fround(0.3) * 0x10000)],
        [11, 0],
        [12, 0x4000],
      ]);
      compare(m, { ...X, numRep: 3, weights });
      if (alg !== 'uniform') {
        // zero-weight items inside buckets
        const z = `${m}.zero`;
        crushtool(['-i', m, '--reweight-item', 'osd.5', '0', '-o', z]);
        const z2 = `${m}.zero2`;
        crushtool(['-i', z, '--reweight-item', 'osd.6', '0.25', '-o', z2]);
        compare(z2, { ...X, numRep: 3 });
        compare(z2, { ...X, numRep: 4, weights });
      }
    }
  });
});
