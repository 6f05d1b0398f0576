// A decoded CRUSH map (src/crush/crush.h struct crush_map, plus CrushWrapper's names, device
// classes and choose_args). Arrays are typed for the hot path of placement.

export const BucketAlg = { UNIFORM: 1, LIST: 2, TREE: 3, STRAW: 4, STRAW2: 5 } as const;
export const RuleOp = {
  NOOP: 0,
  TAKE: 1,
  CHOOSE_FIRSTN: 2,
  CHOOSE_INDEP: 3,
  EMIT: 4,
  CHOOSELEAF_FIRSTN: 6,
  CHOOSELEAF_INDEP: 7,
  SET_CHOOSE_TRIES: 8,
  SET_CHOOSELEAF_TRIES: 9,
  SET_CHOOSE_LOCAL_TRIES: 10,
  SET_CHOOSE_LOCAL_FALLBACK_TRIES: 11,
  SET_CHOOSELEAF_VARY_R: 12,
  SET_CHOOSELEAF_STABLE: 13,
  /** MSR rules only (Squid+): override msr_descents / msr_collision_tries. */
  SET_MSR_DESCENTS: 14,
  SET_MSR_COLLISION_TRIES: 15,
  /** `step choosemsr N type T`: the only choose step of an MSR rule. */
  CHOOSE_MSR: 16,
} as const;
/** enum crush_rule_type (src/crush/crush.h); the MSR types (Squid+) pick crush_msr_do_rule. */
export const RuleType = { REPLICATED: 1, ERASURE: 3, MSR_FIRSTN: 4, MSR_INDEP: 5 } as const;
/** CRUSH_ITEM_NONE: a hole in an indep result. */
export const CRUSH_ITEM_NONE = 0x7fffffff;
/** CRUSH_ITEM_UNDEF: internal to indep. */
export const CRUSH_ITEM_UNDEF = 0x7ffffffe;
/** CrushWrapper::DEFAULT_CHOOSE_ARGS. */
export const DEFAULT_CHOOSE_ARGS = -1;

export interface CrushBucket {
  id: number;
  type: number;
  alg: number;
  hash: number;
  weight: number;
  size: number;
  items: Int32Array;
  /** uniform: one weight for all items. */
  itemWeight: number;
  /** list, straw, straw2: per item. */
  itemWeights: Uint32Array;
  /** list only. */
  sumWeights: Uint32Array;
  /** tree only. */
  nodeWeights: Uint32Array;
  numNodes: number;
  /** straw only. */
  straws: Uint32Array;
}

export interface CrushRuleStep {
  op: number;
  arg1: number;
  arg2: number;
}

export interface CrushRule {
  ruleset: number;
  type: number;
  minSize: number;
  maxSize: number;
  steps: CrushRuleStep[];
}

export interface CrushTunables {
  chooseLocalTries: number;
  chooseLocalFallbackTries: number;
  chooseTotalTries: number;
  chooseleafDescendOnce: number;
  chooseleafVaryR: number;
  chooseleafStable: number;
  strawCalcVersion: number;
  allowedBucketAlgs: number;
  /** MSR rules: how many times the whole descent is retried (Squid+, encoded after choose_args). */
  msrDescents: number;
  /** MSR rules: local retries of a choice that collides. */
  msrCollisionTries: number;
}

/** crush_choose_arg for one bucket: weight sets per position, and/or replacement ids. */
export interface ChooseArg {
  weightSet: Uint32Array[];
  ids: Int32Array | undefined;
}

export interface CrushMap {
  /** Indexed by -1 - bucket id; holes are undefined. */
  buckets: Array<CrushBucket | undefined>;
  /** Indexed by rule id; holes are undefined. */
  rules: Array<CrushRule | undefined>;
  /** As crush_finalize computes it: highest device id in any bucket, plus one. */
  maxDevices: number;
  /** max_devices as encoded. */
  encodedMaxDevices: number;
  tunables: CrushTunables;
  typeNames: Map<number, string>;
  itemNames: Map<number, string>;
  ruleNames: Map<number, string>;
  classMap: Map<number, number>;
  className: Map<number, string>;
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
