// A decoded CRUSH map (src/crush/crush.h struct crush_map, plus CrushWrapper's names, device
// classes and choose_args). Arrays are typed for the hot path of placement.

/** Bucket algorithms (CRUSH_BUCKET_*, src/crush/crush.h): how a bucket picks one of its items. */
export const BucketAlg = {
  /** All items weigh the same; O(1) pick by hashing into a permutation. */
  UNIFORM: 1,
  /** Linked list, optimal when items are only added at the end. */
  LIST: 2,
  /** Binary tree of weights; O(log n) pick. */
  TREE: 3,
  /** Legacy straw: longest weighted straw wins; weights interfere with each other. */
  STRAW: 4,
  /** Straw with independent per-item draws (ln-based): a weight change moves data only to or from that item. */
  STRAW2: 5,
} as const;
/** Rule step opcodes (enum crush_opcodes, src/crush/crush.h); a step's meaning of arg1/arg2 depends on it. */
export const RuleOp = {
  /** CRUSH_RULE_NOOP: does nothing. */
  NOOP: 0,
  /** CRUSH_RULE_TAKE: start from item arg1 (a bucket, or a device). */
  TAKE: 1,
  /** CRUSH_RULE_CHOOSE_FIRSTN: pick arg1 distinct items of type arg2 under each working item (replicated order). */
  CHOOSE_FIRSTN: 2,
  /** CRUSH_RULE_CHOOSE_INDEP: as CHOOSE_FIRSTN, but positionally stable; failures leave CRUSH_ITEM_NONE (erasure). */
  CHOOSE_INDEP: 3,
  /** CRUSH_RULE_EMIT: append the working set to the result. */
  EMIT: 4,
  /** CRUSH_RULE_CHOOSELEAF_FIRSTN: pick arg1 items of type arg2, then one device under each. */
  CHOOSELEAF_FIRSTN: 6,
  /** CRUSH_RULE_CHOOSELEAF_INDEP: CHOOSELEAF with indep (positional) semantics. */
  CHOOSELEAF_INDEP: 7,
  /** Override choose_total_tries (arg1) for the rest of this rule. */
  SET_CHOOSE_TRIES: 8,
  /** Override the tries of the recursive chooseleaf descent (arg1) for the rest of this rule. */
  SET_CHOOSELEAF_TRIES: 9,
  /** Override choose_local_tries (arg1) for the rest of this rule. */
  SET_CHOOSE_LOCAL_TRIES: 10,
  /** Override choose_local_fallback_tries (arg1) for the rest of this rule. */
  SET_CHOOSE_LOCAL_FALLBACK_TRIES: 11,
  /** Override chooseleaf_vary_r (arg1) for the rest of this rule. */
  SET_CHOOSELEAF_VARY_R: 12,
  /** Override chooseleaf_stable (arg1) for the rest of this rule. */
  SET_CHOOSELEAF_STABLE: 13,
  /** MSR rules only (Squid+): override msr_descents / msr_collision_tries. */
  SET_MSR_DESCENTS: 14,
  /** MSR rules only (Squid+): override msr_collision_tries (arg1). */
  SET_MSR_COLLISION_TRIES: 15,
  /** `step choosemsr N type T`: the only choose step of an MSR rule. */
  CHOOSE_MSR: 16,
} as const;
/** enum crush_rule_type (src/crush/crush.h); the MSR types (Squid+) pick crush_msr_do_rule. */
export const RuleType = {
  /** CRUSH_RULE_TYPE_REPLICATED: replicated pools. */
  REPLICATED: 1,
  /** CRUSH_RULE_TYPE_ERASURE: erasure-coded pools. */
  ERASURE: 3,
  /** CRUSH_RULE_TYPE_MSR_FIRSTN: multi-step retry rule, replicated order (Squid+). */
  MSR_FIRSTN: 4,
  /** CRUSH_RULE_TYPE_MSR_INDEP: multi-step retry rule, positional order (Squid+). */
  MSR_INDEP: 5,
} as const;
/** CRUSH_ITEM_NONE: a hole in an indep result. */
export const CRUSH_ITEM_NONE = 0x7fffffff;
/** CRUSH_ITEM_UNDEF: internal to indep. */
export const CRUSH_ITEM_UNDEF = 0x7ffffffe;
/** CrushWrapper::DEFAULT_CHOOSE_ARGS. */
export const DEFAULT_CHOOSE_ARGS = -1;

/** A bucket (struct crush_bucket and its per-algorithm extension, src/crush/crush.h). */
export interface CrushBucket {
  /** crush_bucket::id: negative; the bucket sits at buckets[-1 - id]. */
  id: number;
  /** crush_bucket::type: bucket type id (a key of CrushMap.typeNames, e.g. host, rack). */
  type: number;
  /** crush_bucket::alg: one of BucketAlg. */
  alg: number;
  /** crush_bucket::hash: hash function id; 0 = CRUSH_HASH_RJENKINS1, the only one defined. */
  hash: number;
  /** crush_bucket::weight: total weight of the items, 16.16 fixed point (0x10000 = 1.0). */
  weight: number;
  /** crush_bucket::size: number of items. */
  size: number;
  /** crush_bucket::items: item ids; >= 0 are devices (OSDs), < 0 are buckets. */
  items: Int32Array;
  /** uniform: one weight for all items. */
  itemWeight: number;
  /** list, straw, straw2: per item. */
  itemWeights: Uint32Array;
  /** list only. */
  sumWeights: Uint32Array;
  /** tree only. */
  nodeWeights: Uint32Array;
  /** crush_bucket_tree::num_nodes: length of nodeWeights (tree only). */
  numNodes: number;
  /** straw only. */
  straws: Uint32Array;
}

/** One step of a rule (struct crush_rule_step, src/crush/crush.h). */
export interface CrushRuleStep {
  /** Opcode, one of RuleOp. */
  op: number;
  /**
   * First argument: the item for TAKE, the count for CHOOSE* (0 = pool size, < 0 = pool size minus it), the value
   * for SET_*.
   */
  arg1: number;
  /** Second argument: the bucket type for CHOOSE* steps; unused otherwise. */
  arg2: number;
}

/** A placement rule (struct crush_rule, src/crush/crush.h). */
export interface CrushRule {
  /** crush_rule_mask::ruleset: the legacy ruleset id; equals the rule id since Luminous. */
  ruleset: number;
  /** crush_rule_mask::type: one of RuleType. */
  type: number;
  /** crush_rule_mask::min_size: smallest pool size the rule claims to serve (informational). */
  minSize: number;
  /** crush_rule_mask::max_size: largest pool size the rule claims to serve (informational). */
  maxSize: number;
  /** The steps, run in order by crush_do_rule. */
  steps: CrushRuleStep[];
}

/** Map-wide tunables (struct crush_map fields, src/crush/crush.h); LEGACY_TUNABLES holds the pre-tunables values. */
export interface CrushTunables {
  /**
   * choose_local_tries: retries in the same bucket after a collision before restarting the descent (legacy 2,
   * optimal 0).
   */
  chooseLocalTries: number;
  /** choose_local_fallback_tries: local retries that fall back to a permutation of the bucket (legacy 5, optimal 0). */
  chooseLocalFallbackTries: number;
  /** choose_total_tries: attempts at a whole descent before giving up on a replica (legacy 19, optimal 50). */
  chooseTotalTries: number;
  /** chooseleaf_descend_once: 1 = the recursive leaf descent of CHOOSELEAF makes one attempt only. */
  chooseleafDescendOnce: number;
  /** chooseleaf_vary_r: non-zero = the recursive leaf descent starts from r >> (vary_r - 1) instead of 0. */
  chooseleafVaryR: number;
  /** chooseleaf_stable: 1 = CHOOSELEAF stops shifting later results when an earlier one is rejected. */
  chooseleafStable: number;
  /** straw_calc_version: which straw-length computation built straw buckets (0 legacy, 1 fixed). */
  strawCalcVersion: number;
  /** allowed_bucket_algs: bit mask of 1 << BucketAlg values that new buckets may use. */
  allowedBucketAlgs: number;
  /** MSR rules: how many times the whole descent is retried (Squid+, encoded after choose_args). */
  msrDescents: number;
  /** MSR rules: local retries of a choice that collides. */
  msrCollisionTries: number;
}

/** crush_choose_arg for one bucket: weight sets per position, and/or replacement ids. */
export interface ChooseArg {
  /**
   * Weights replacing the bucket's item weights (16.16 fixed point), one array per result position; the last
   * serves the rest.
   */
  weightSet: Uint32Array[];
  /** Item ids to hash instead of the bucket's own items, or undefined to use those. */
  ids: Int32Array | undefined;
}

/** A whole CRUSH map, as decodeCrushMap returns it. */
export interface CrushMap {
  /** Indexed by -1 - bucket id; holes are undefined. */
  buckets: Array<CrushBucket | undefined>;
  /** Indexed by rule id; holes are undefined. */
  rules: Array<CrushRule | undefined>;
  /** As crush_finalize computes it: highest device id in any bucket, plus one. */
  maxDevices: number;
  /** max_devices as encoded. */
  encodedMaxDevices: number;
  /** Map-wide tunables. */
  tunables: CrushTunables;
  /** CrushWrapper::type_map: bucket type id → name (e.g. 0 "osd", 1 "host", 11 "root"). */
  typeNames: Map<number, string>;
  /** CrushWrapper::name_map: item id (device or bucket) → name. */
  itemNames: Map<number, string>;
  /** CrushWrapper::rule_name_map: rule id → name. */
  ruleNames: Map<number, string>;
  /** CrushWrapper::class_map: device id → device class id. */
  classMap: Map<number, number>;
  /** CrushWrapper::class_name: device class id → name (e.g. "hdd", "ssd"). */
  className: Map<number, string>;
  /** CrushWrapper::class_bucket: bucket id → (class id → id of its per-class shadow bucket, e.g. "default~hdd"). */
  classBucket: Map<number, Map<number, number>>;
  /** choose_args by index (pool id, or -1 for the default), each indexed by -1 - bucket id. */
  chooseArgs: Map<bigint, Array<ChooseArg | undefined>>;
}

/** set_tunables_legacy (CrushWrapper.h): what a map without tunables means; the MSR pair are
 * set_default_msr_tunables' values, which a map encoded before Squid also gets. */
export const LEGACY_TUNABLES: CrushTunables = {
  chooseLocalTries: 2,
  chooseLocalFallbackTries: 5,
  chooseTotalTries: 19,
  chooseleafDescendOnce: 0,
  chooseleafVaryR: 0,
  chooseleafStable: 0,
  strawCalcVersion: 0,
  allowedBucketAlgs: (1 << BucketAlg.UNIFORM) | (1 << BucketAlg.LIST) | (1 << BucketAlg.STRAW),
  msrDescents: 100,
  msrCollisionTries: 100,
};

/** crush_get_bucket_item_weight (src/crush/crush.c): tree buckets keep leaf weights at node 2·pos+1. */
export function bucketItemWeight(b: CrushBucket, pos: number): number {
  switch (b.alg) {
    case BucketAlg.UNIFORM:
      return b.itemWeight;
    case BucketAlg.TREE:
      return b.nodeWeights[2 * pos + 1] ?? 0;
    default:
      return b.itemWeights[pos] ?? 0;
  }
}
