// Offline, in every release's run: OSDMaps of live Reef and Tentacle clusters (fixtures/
// osdmap-releases, see its README) decode field by field to what that release's `ceph osd dump`
// printed, and our test-map-pgs-dump equals what that release's osdmaptool printed — with
// pg_upmap_primaries set, with one of their OSDs marked out (those mappings are then ignored),
// and marked all up and in; Tentacle's optimized EC pool carries a pg_temp stored primary-first.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { pgKey } from '../../crush/osdmap/pg-key.ts';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import { DUMP_VARIANTS, RELEASE_MAPS } from '../fixtures/osdmap-releases.ts';
import { type Dump, expectMatchesDump } from './osd-dump-shape.ts';

const fx = (p: string): URL => new URL(`../../fixtures/osdmap-releases/${p}`, import.meta.url);
const text = (p: string): string => readFileSync(fx(p), 'utf8');

describe('OSDMaps of newer releases (stored)', () => {
  for (const name of RELEASE_MAPS) {
    const bytes = new Uint8Array(readFileSync(fx(`${name}.osdmap`)));
    const out = Number(text(`${name}.out-osd`).trim());

    it(`${name}: every field as \`ceph osd dump\` printed it`, () => {
      const m = decodeOSDMap(bytes);
      expectMatchesDump(m, JSON.parse(text(`${name}.osd-dump.json`)) as Dump);
      expect(m.encoding).toEqual({ clientVersion: 10, osdVersion: 12 });
      expect(m.pgUpmapPrimaries.size).toBe(8);
      expect(m.allowCrimson).toBe(true);
      expect(m.rangeBlocklist.size).toBe(1);
      const pool = (n: string): number => [...m.poolNames].find(([, x]) => x === n)![0];
      expect([...m.pools.get(pool('rep'))!.options]).toEqual([
        ['compression_mode', 'aggressive'],
        ['pg_num_min', 4],
        ['target_size_ratio', 0.25],
      ]);
      expect(m.pgTemp.has(pgKey(pool('ec'), 0))).toBe(true);
      if (name === 'tentacle') {
        expect(new Set([...m.pools.values()].map((p) => p.version))).toEqual(new Set([32]));
        expect(m.pools.get(pool('ec'))!.nonprimaryShards).toEqual([1]);
        const s = m.pools.get(pool('stretch'))!;
        expect([s.peeringCrushBucketCount, s.peeringCrushBucketTarget, s.peeringCrushBucketBarrier, s.size, s.minSize]).toEqual([2, 2, 1, 3, 1]);
      }
    });

    for (const [variant, args] of Object.entries(DUMP_VARIANTS)) {
      it(`${name}: osdmaptool --test-map-pgs-dump ${args(out).join(' ') || '(no marks)'}`, async () => {
        let mine = '';
        await osdmapCommand(['test-map-pgs-dump', '--osdmap', fx(`${name}.osdmap`).pathname, ...args(out)], (s) => (mine += s));
        expect(mine).toBe(text(`${name}.${variant}.txt`));
      });
    }
  }
});
