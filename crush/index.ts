// rados-ts/crush: pure placement (CRUSH, OSDMap, object -> PG -> OSD). No sockets, no Node APIs.
export * from './crush-map.ts';
export { decodeCrushMap } from './decode-crush-map.ts';
export { doRule, chooseArgsFor } from './mapper.ts';
export { findRule, poolRule } from './rules.ts';
export { UnsupportedRuleError, type RuleErrorKind } from './rule-error.ts';
export { crushHash32, crushHash32_2, crushHash32_3, crushHash32_4, crushHash32_5 } from './hash.ts';
export { crushLn } from './ln.ts';
export { crushTestLines, testerWeight, testerWeights, type CrushTestParams } from './tester.ts';
export { decodeOSDMap } from './osdmap/decode-osdmap.ts';
export { applyIncremental, decodeIncremental, type OsdMapIncremental } from './osdmap/incremental.ts';
export * from './osdmap/osdmap.ts';
export {
  type PgPool,
  type HitSetParams,
  type PgMergeMeta,
  PoolType,
  PoolFlag,
  decodePgPool,
  poolIsStretch,
  poolAllowsEcOptimizations,
  PG_AUTOSCALE_MODE_NAMES,
  NO_MANDATORY_MEMBER,
} from './osdmap/pg-pool.ts';
export { type PoolOptionValue, POOL_OPTION_NAMES } from './osdmap/pool-options.ts';
export {
  pgToUpActing,
  pgToOsds,
  objectToOsds,
  actingPrimaryShard,
  objectToPg,
  rawPgToPg,
  rawPgToPps,
  stableMod,
  hashKey,
  crushOf,
  type PgMapping,
  type ObjectMapping,
  type ObjectLocatorInput,
} from './osdmap/placement.ts';
export type { PgId } from '../protocol/types/pg.ts';
export { cephStrHash, strHashRjenkins, strHashLinux, StrHash } from './osdmap/str-hash.ts';
export type { PoolSnapInfo } from './osdmap/pg-pool.ts';
export type { Args as ChooseArgs } from './bucket-choose.ts';
