// crush_find_rule (src/crush/crush.c), as Pacific's OSDMap uses it: the first rule whose mask
// matches the pool's ruleset, type and size.
import type { CrushMap } from './crush-map.ts';

export function findRule(map: CrushMap, ruleset: number, type: number, size: number): number {
  for (let i = 0; i < map.rules.length; i++) {
    const r = map.rules[i];
    if (r && r.ruleset === ruleset && r.type === type && r.minSize <= size && r.maxSize >= size) return i;
  }
  return -1;
}
