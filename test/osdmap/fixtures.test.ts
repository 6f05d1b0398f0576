// Offline: the stored maps (fixtures/crush, fixtures/osdmap; see their READMEs) give exactly the
// stored crushtool and osdmaptool output, through the public rados-ts/crush API and the CLI.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crushTestLines, decodeCrushMap, decodeOSDMap, objectToOsds } from '../../crush/index.ts';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import { CRUSH_CASES, OBJECTS } from '../fixtures/placement.ts';

const fx = (p: string): URL => new URL(`../../fixtures/${p}`, import.meta.url);
const text = (p: string): string => readFileSync(fx(p), 'utf8');

describe('stored placement fixtures', () => {
  for (const { name } of CRUSH_CASES) {
    it(`${name}: crushtool mappings`, () => {
      const map = decodeCrushMap(new Uint8Array(readFileSync(fx(`crush/${name}.crush`))));
      const lines = [...crushTestLines(map, { minX: 0, maxX: 511, minRep: 3, maxRep: 3 })];
      expect(`${lines.join('\n')}\n`).toBe(text(`crush/${name}.mappings.txt`));
    });
    it(`${name}: osdmaptool --test-map-pgs-dump and --test-map-object`, async () => {
      const file = fx(`osdmap/${name}.osdmap`).pathname;
      let out = '';
      await osdmapCommand(['test-map-pgs-dump', '--osdmap', file, '--mark-up-in'], (s) => (out += s));
      expect(out).toBe(text(`osdmap/${name}.pgs-dump.txt`));
      const m = decodeOSDMap(new Uint8Array(readFileSync(file)));
      const expected = text(`osdmap/${name}.objects.txt`).trimEnd().split('\n');
      // The stored lines were made with --mark-up-in; apply the same marks to the decoded map.
      for (let i = 0; i < m.maxOsd; i++) {
        m.osdState[i] = 3;
        m.osdWeight[i] = 0x10000;
      }
      OBJECTS.forEach((o, i) => {
        const r = objectToOsds(m, 1, o);
        expect(` object '${o}' -> 1.${r.pgid.seed.toString(16)} -> [${r.acting.join(',')}]`).toBe(expected[i]);
      });
    });
  }
});
