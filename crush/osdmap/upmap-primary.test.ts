// pg_upmap_primaries as OSDMap::_apply_upmap applies them, on a stored Reef map (fixtures/
// osdmap-releases; osdmaptool's own output for it is checked in test/osdmap): the conditions
// under which a mapping is ignored, and its order with the other overrides.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOSDMap } from './decode-osdmap.ts';
import { OsdState } from './osdmap.ts';
import { pgKey } from './pg-key.ts';
import { pgToUpActing } from './placement.ts';

const load = () => decodeOSDMap(new Uint8Array(readFileSync(new URL('../../fixtures/osdmap-releases/reef.osdmap', import.meta.url))));

describe('pg_upmap_primaries', () => {
  const m0 = load();
  const rep = [...m0.poolNames].find(([, n]) => n === 'rep')![0];
  // A PG without a primary mapping, and what CRUSH gives it.
  const seed = [...Array(32).keys()].find((s) => !m0.pgUpmapPrimaries.has(pgKey(rep, s)))!;
  const key = pgKey(rep, seed);
  const base = pgToUpActing(m0, rep, seed).up;

  it('swaps the chosen OSD with the first one', () => {
    const m = load();
    m.pgUpmapPrimaries.set(key, base[2]!);
    expect(pgToUpActing(m, rep, seed)).toMatchObject({ up: [base[2], base[1], base[0]], upPrimary: base[2], actingPrimary: base[2] });
  });

  it('is ignored for an OSD that is not in the set, already first, out of range, or marked out', () => {
    for (const osd of [base[0]!, -1, 0x7fffffff, m0.maxOsd, 99]) {
      const m = load();
      m.pgUpmapPrimaries.set(key, osd);
      expect(pgToUpActing(m, rep, seed).up).toEqual(base);
    }
    const m = load();
    m.pgUpmapPrimaries.set(key, base[1]!);
    m.osdWeight[base[1]!] = 0; // out: CRUSH drops it, and the mapping is not applied
    expect(pgToUpActing(m, rep, seed).up).not.toContain(base[1]);
  });

  it('swaps on the raw set: a chosen OSD that is down leaves the set afterwards', () => {
    const m = load();
    m.pgUpmapPrimaries.set(key, base[2]!);
    m.osdState[base[2]!] = m.osdState[base[2]!]! & ~OsdState.UP;
    expect(pgToUpActing(m, rep, seed).up).toEqual([base[1], base[0]]);
  });

  it('applies after pg_upmap and pg_upmap_items, and not at all when pg_upmap is rejected', () => {
    const m = load();
    m.pgUpmap.set(key, [base[2]!, base[0]!, base[1]!]);
    m.pgUpmapPrimaries.set(key, base[1]!);
    expect(pgToUpActing(m, rep, seed).up).toEqual([base[1], base[0], base[2]]);
    m.osdWeight[base[0]!] = 0; // a pg_upmap target marked out rejects pg_upmap, items and primary together
    const crushOnly = pgToUpActing({ ...m, pgUpmap: new Map(), pgUpmapPrimaries: new Map() }, rep, seed).up;
    expect(pgToUpActing(m, rep, seed).up).toEqual(crushOnly);
  });
});
