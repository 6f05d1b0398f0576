import { expect } from 'vitest';
import { formatEntityAddrvec, formatUtime, type MonMap } from '../../protocol/index.ts';
import type { MonmaptoolPrint } from './monmaptool.ts';

/** Checks every field monmaptool prints against our decode of the same bytes. */
export function expectMatchesPrint(map: MonMap, print: MonmaptoolPrint): void {
  expect(map.epoch).toBe(print.epoch);
  expect(map.fsid).toBe(print.fsid);
  expect(formatUtime(map.lastChanged)).toBe(print.lastChanged);
  expect(formatUtime(map.created)).toBe(print.created);
  expect(map.minMonRelease).toBe(print.minMonRelease);
  expect(map.electionStrategy).toBe(print.electionStrategy);
  expect(map.ranks.length).toBe(print.mons.length);
  for (const m of print.mons) {
    expect(map.ranks[m.rank]).toBe(m.name);
    const info = map.monInfo.get(m.name);
    expect(info?.name).toBe(m.name);
    expect(formatEntityAddrvec(info!.publicAddrs)).toBe(m.addrs);
  }
}
