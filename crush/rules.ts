// Which rule places a pool's PGs. Pacific's OSDMap::_pg_to_raw_osds asks crush_find_rule
// (src/crush/crush.c): the first rule whose mask matches the pool's ruleset, type and size.
// From Quincy the pool's crush_rule is the rule id itself, and Squid's MSR rules only exist in
// such maps: a pool naming an MSR rule (msr_firstn pairs with replicated pools, msr_indep with
// erasure ones, CrushWrapper::rule_valid_for_pool_type) uses it by id, whatever its type.
import { type CrushMap, RuleType } from './crush-map.ts';

/**
 * crush_find_rule (src/crush/crush.c): the index of the first rule matching ruleset, type and size
 * (min_size..max_size); -1 if none.
 */
export function findRule(map: CrushMap, ruleset: number, type: number, size: number): number {
  for (let i = 0; i < map.rules.length; i++) {
    const r = map.rules[i];
    if (r && r.ruleset === ruleset && r.type === type && r.minSize <= size && r.maxSize >= size) return i;
  }
  return -1;
}

/** The rule index placing a pool with this crush_rule, type and size; -1 for none. */
export function poolRule(map: CrushMap, crushRule: number, poolType: number, size: number): number {
  const byId = crushRule >= 0 ? map.rules[crushRule] : undefined;
  if (byId && (byId.type === RuleType.MSR_FIRSTN || byId.type === RuleType.MSR_INDEP)) return crushRule;
  return findRule(map, crushRule, poolType, size);
}
