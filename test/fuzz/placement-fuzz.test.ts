// Mutated and truncated real CRUSH maps and OSDMaps (fixtures/crush, fixtures/osdmap): decoding
// either succeeds or throws DecodeError, and placement on whatever decodes finishes — bounded
// by the map's tries, as in Ceph — without any other error than UnsupportedRuleError for a
// rule type or step op mutated out of crush.h. Time-bounded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCrushMap } from '../../crush/decode-crush-map.ts';
import { doRule } from '../../crush/mapper.ts';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { pgToUpActing } from '../../crush/osdmap/placement.ts';
import { UnsupportedRuleError } from '../../crush/rule-error.ts';
import { DecodeError } from '../../protocol/encoding/decode-error.ts';

const load = (p: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

function* mutants(base: Uint8Array, seed: number): Generator<Uint8Array> {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  for (;;) {
    const b = base.slice(0, rand(4) === 0 ? rand(base.length + 1) : base.length);
    for (let k = 0, m = 1 + rand(4); k < m && b.length; k++) b[rand(b.length)] = rand(256);
    yield b;
  }
}

describe('placement decoders under mutation', () => {
  it('CRUSH maps: DecodeError or a map whose rules all terminate', () => {
    const base = load('crush/mixed-4level.crush');
    const deadline = Date.now() + 2_000;
    let decoded = 0;
    let n = 0;
    for (const b of mutants(base, 7)) {
      if (Date.now() > deadline) break;
      n++;
      let map;
      try {
        map = decodeCrushMap(b);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        continue;
      }
      decoded++;
      const w = new Array<number>(Math.min(map.maxDevices, 4096)).fill(0x10000);
      for (let r = 0; r < Math.min(map.rules.length, 4); r++) {
        try {
          for (let x = 0; x < 8; x++) doRule(map, r, x, 3, w, -1);
        } catch (e) {
          if (!(e instanceof UnsupportedRuleError)) throw e;
        }
      }
    }
    expect(n).toBeGreaterThan(50);
    expect(decoded).toBeGreaterThan(0);
  });

  it('OSDMaps: DecodeError (crc, lengths, counts) or a map that places every PG', () => {
    const base = load('osdmap/straw2-3level.osdmap');
    const deadline = Date.now() + 2_000;
    let n = 0;
    for (const b of mutants(base, 11)) {
      if (Date.now() > deadline) break;
      n++;
      try {
        const m = decodeOSDMap(b);
        for (const [id, pool] of m.pools) for (let s = 0; s < Math.min(pool.pgNum, 16); s++) pgToUpActing(m, id, s);
      } catch (e) {
        if (!(e instanceof DecodeError) && !(e instanceof UnsupportedRuleError)) throw e;
      }
    }
    expect(n).toBeGreaterThan(50);
  });
});
