// Our side of the differential tests: the same lines crushtool --show-mappings prints.
import type { CrushMap } from '../../crush/crush-map.ts';
import { type CrushTestParams, crushTestLines } from '../../crush/tester.ts';

export type TestParams = CrushTestParams & { numRep?: number };

export function ourMappings(map: CrushMap, p: TestParams): string[] {
  const q: CrushTestParams = p.numRep !== undefined ? { ...p, minRep: p.numRep, maxRep: p.numRep } : p;
  return [...crushTestLines(map, q)];
}

export function crushtoolArgs(p: TestParams): string[] {
  const a = ['--min-x', String(p.minX), '--max-x', String(p.maxX)];
  if (p.rule !== undefined) a.push('--rule', String(p.rule));
  if (p.numRep !== undefined) a.push('--num-rep', String(p.numRep));
  if (p.poolId !== undefined) a.push('--pool-id', String(p.poolId));
  for (const [d, v] of p.weights ?? []) a.push('--weight', String(d), String(v / 0x10000));
  return a;
}

/** First differing line, for a readable failure. */
export function firstDiff(a: string[], b: string[]): string | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `line ${i}: ours ${a[i] ?? '(none)'} / crushtool ${b[i] ?? '(none)'}`;
  return undefined;
}
