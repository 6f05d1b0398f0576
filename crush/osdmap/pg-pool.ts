// pg_pool_t (src/osd/osd_types.cc pg_pool_t::encode/decode), every field by name up to v32
// (Tentacle 20.2). What a monitor sends depends on the peer: v29 to a client without
// SERVER_TENTACLE (v30 for a stretch pool: the four peering_crush_* fields), v32 to a
// Tentacle peer and in `ceph osd getmap` (v31: those fields as an optional tuple; v32:
// nonprimary_shards). Versions past 32 decode what we know; the envelope skips the rest.
import type { Reader } from '../../protocol/encoding/reader.ts';
import { decodeEversion, type EVersion } from '../../protocol/types/eversion.ts';
import { decodePgT } from '../../protocol/types/pg.ts';
import { decodeUtime, type UTime } from '../../protocol/types/utime.ts';
import { readVarintU64 } from './denc-numbers.ts';
import { decodePoolOptions, type PoolOptionValue } from './pool-options.ts';

/** pg_pool_t::TYPE_* (src/osd/osd_types.h): how a pool stores its objects. */
export const PoolType = {
  /** TYPE_REPLICATED: full copies on `size` OSDs. */
  REPLICATED: 1,
  /** TYPE_ERASURE: k data + m coding shards. */
  ERASURE: 3,
} as const;
/** pg_pool_t::FLAG_* the client cares about. */
export const PoolFlag = {
  /** FLAG_HASHPSPOOL: placement seeds are hashed with the pool id, so pools do not overlap on the same OSDs. */
  HASHPSPOOL: 1,
  /** FLAG_FULL: the pool is full (cluster or pool full ratio); writes are blocked. */
  FULL: 2,
  /** FLAG_EC_OVERWRITES: an erasure-coded pool that allows partial overwrites (needed for RBD/CephFS data on EC). */
  EC_OVERWRITES: 1 << 2,
  /** FLAG_FULL_QUOTA: the pool hit its quota_max_bytes or quota_max_objects; writes are blocked. */
  FULL_QUOTA: 1 << 10,
  /** FLAG_SELFMANAGED_SNAPS: the pool's snapshots are managed by clients (RBD), not pool snapshots. */
  SELFMANAGED_SNAPS: 1 << 13,
  /** FLAG_POOL_SNAPS: the pool uses pool-level snapshots (`ceph osd pool mksnap`). */
  POOL_SNAPS: 1 << 14,
  /** FLAG_CRIMSON: the pool was created for Crimson OSDs. */
  CRIMSON: 1 << 18,
  /** Tentacle: optimized EC; shards in nonprimary_shards never become primary. */
  EC_OPTIMIZATIONS: 1 << 19,
} as const;

/** pg_pool_t::pg_autoscale_mode_t, named as get_pg_autoscale_mode_name names it. */
export const PG_AUTOSCALE_MODE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'off'],
  [1, 'warn'],
  [2, 'on'],
]);

/** CRUSH_ITEM_NONE as a pool's "no mandatory member" (pg_CRUSH_ITEM_NONE). */
export const NO_MANDATORY_MEMBER = 0x7fffffff;

/** pool_snap_info_t (src/osd/osd_types.h): one pool-level snapshot. */
export interface PoolSnapInfo {
  /** pool_snap_info_t::snapid: the snapshot id. */
  snapId: bigint;
  /** pool_snap_info_t::stamp: when the snapshot was taken. */
  stamp: UTime;
  /** pool_snap_info_t::name: the snapshot name. */
  name: string;
}

/** HitSet::Params (src/osd/HitSet.h): the type, and a bloom filter's parameters. */
export interface HitSetParams {
  /** HitSet::impl_type_t: the kind of hit set a cache tier records. */
  type: 'none' | 'explicit_hash' | 'explicit_object' | 'bloom';
  /** BloomHitSet::Params, present when type is 'bloom'. */
  bloom?: {
    /** BloomHitSet::Params::fpp_micro: target false positive probability, in millionths. */
    fppMicro: number;
    /** BloomHitSet::Params::target_size: expected number of objects (0 = sized from the PG). */
    targetSize: bigint;
    /** BloomHitSet::Params::seed: the bloom filter's hash seed. */
    seed: bigint;
  };
}

/** pg_merge_meta_t (osd_types.h): the last PG merge. */
export interface PgMergeMeta {
  /** pg_merge_meta_t::source_pgid: the PG (pool id, seed) that was merged into its parent. */
  sourcePgid: {
    /** The pool id. */
    pool: number;
    /** The PG's seed (placement seed) within the pool. */
    seed: number;
  };
  /** pg_merge_meta_t::ready_epoch: the epoch at which the source and target PGs were ready to merge. */
  readyEpoch: number;
  /** pg_merge_meta_t::last_epoch_started: the merged PG's last_epoch_started. */
  lastEpochStarted: number;
  /** pg_merge_meta_t::last_epoch_clean: the merged PG's last_epoch_clean. */
  lastEpochClean: number;
  /** pg_merge_meta_t::source_version: the source PG's last log version. */
  sourceVersion: EVersion;
  /** pg_merge_meta_t::target_version: the target PG's last log version. */
  targetVersion: EVersion;
}

/** pg_pool_t (src/osd/osd_types.h): one pool of an OSDMap, as decodePgPool returns it. */
export interface PgPool {
  /** pg_pool_t::type: PoolType.REPLICATED or PoolType.ERASURE. */
  type: number;
  /** pg_pool_t::size: replicas, or k+m shards for an erasure-coded pool. */
  size: number;
  /** pg_pool_t::crush_rule: the id of the CRUSH rule that places the pool's PGs. */
  crushRule: number;
  /** pg_pool_t::object_hash: the hash of object names into PG seeds; 2 = CEPH_STR_HASH_RJENKINS (see str-hash). */
  objectHash: number;
  /** pg_pool_t::pg_num: placement groups the pool's objects are split into. */
  pgNum: number;
  /** pg_pool_t::pgp_num: placement groups used for placement (≤ pg_num); PG seeds fold onto these for CRUSH. */
  pgpNum: number;
  /** pg_pool_t::last_change: the OSDMap epoch that last changed this pool. */
  lastChange: number;
  /** pg_pool_t::snap_seq: the highest snapshot id issued in this pool. */
  snapSeq: bigint;
  /** pg_pool_t::snap_epoch: the OSDMap epoch of the last snapshot change. */
  snapEpoch: number;
  /** pg_pool_t::snaps: the pool snapshots, by snapshot id. */
  snaps: Map<bigint, PoolSnapInfo>;
  /** interval_set<snapid_t> as [start, length] pairs. */
  removedSnaps: Array<[bigint, bigint]>;
  /** pg_pool_t::auid: obsolete owner id (always 0 since Nautilus), still encoded. */
  auid: bigint;
  /** u64 flags (FLAG_*). */
  flags: bigint;
  /** pg_pool_t::min_size: shards that must be up for I/O to proceed. */
  minSize: number;
  /** pg_pool_t::quota_max_bytes: byte quota; 0 = none. */
  quotaMaxBytes: bigint;
  /** pg_pool_t::quota_max_objects: object quota; 0 = none. */
  quotaMaxObjects: bigint;
  /** pg_pool_t::tiers: ids of the pools that are cache tiers of this one. */
  tiers: bigint[];
  /** pg_pool_t::tier_of: the base pool this one is a cache tier of; -1 if none. */
  tierOf: bigint;
  /**
   * pg_pool_t::cache_mode: cache_mode_t (0 none, 1 writeback, 2 forward, 3 readonly, 4 readforward, 5 readproxy, 6
   * proxy).
   */
  cacheMode: number;
  /** pg_pool_t::read_tier: the pool that client reads are redirected to (overlay); -1 if none. */
  readTier: bigint;
  /** pg_pool_t::write_tier: the pool that client writes are redirected to (overlay); -1 if none. */
  writeTier: bigint;
  /** Obsolete (`properties`), still encoded. */
  properties: Map<string, string>;
  /** pg_pool_t::hit_set_params: what a cache tier records of object accesses. */
  hitSetParams: HitSetParams;
  /** pg_pool_t::hit_set_period: seconds each hit set covers. */
  hitSetPeriod: number;
  /** pg_pool_t::hit_set_count: how many hit sets are kept. */
  hitSetCount: number;
  /** pg_pool_t::stripe_width: bytes per erasure-coded stripe (k × chunk size); 0 for replicated pools. */
  stripeWidth: number;
  /** pg_pool_t::target_max_bytes: cache tier flush/evict target in bytes; 0 = none. */
  targetMaxBytes: bigint;
  /** pg_pool_t::target_max_objects: cache tier flush/evict target in objects; 0 = none. */
  targetMaxObjects: bigint;
  /** pg_pool_t::cache_target_dirty_ratio_micro: dirty fraction (millionths) at which a cache tier starts flushing. */
  cacheTargetDirtyRatioMicro: number;
  /** pg_pool_t::cache_target_full_ratio_micro: full fraction (millionths) at which a cache tier starts evicting. */
  cacheTargetFullRatioMicro: number;
  /** pg_pool_t::cache_min_flush_age: seconds an object stays in a cache tier before it may be flushed. */
  cacheMinFlushAge: number;
  /** pg_pool_t::cache_min_evict_age: seconds an object stays in a cache tier before it may be evicted. */
  cacheMinEvictAge: number;
  /**
   * pg_pool_t::erasure_code_profile: name of the erasure-code profile (OSDMap.erasureCodeProfiles); empty if
   * replicated.
   */
  erasureCodeProfile: string;
  /** pg_pool_t::last_force_op_resend_preluminous: last_force_op_resend as pre-Luminous clients see it. */
  lastForceOpResendPreluminous: number;
  /**
   * pg_pool_t::min_read_recency_for_promote: hit sets a read must appear in before a cache tier promotes the
   * object.
   */
  minReadRecencyForPromote: number;
  /** pg_pool_t::expected_num_objects: the object count given at creation, for pre-splitting directories. */
  expectedNumObjects: bigint;
  /**
   * pg_pool_t::cache_target_dirty_high_ratio_micro: dirty fraction (millionths) at which a cache tier flushes
   * faster.
   */
  cacheTargetDirtyHighRatioMicro: number;
  /**
   * pg_pool_t::min_write_recency_for_promote: hit sets a write must appear in before a cache tier promotes the
   * object.
   */
  minWriteRecencyForPromote: number;
  /** pg_pool_t::use_gmt_hitset: hit set archive objects are named by GMT rather than local time. */
  useGmtHitset: boolean;
  /** pg_pool_t::fast_read: erasure-coded reads return as soon as k shards answer. */
  fastRead: boolean;
  /** pg_pool_t::hit_set_grade_decay_rate: how much each older hit set's weight decays (percent) for temperature. */
  hitSetGradeDecayRate: number;
  /** pg_pool_t::hit_set_search_last_n: at most how many hit sets are searched for temperature. */
  hitSetSearchLastN: number;
  /** pool_opts_t by option name (`ceph osd pool ls detail` "options"). */
  options: Map<string, PoolOptionValue>;
  /** pg_pool_t::last_force_op_resend_prenautilus: last_force_op_resend as pre-Nautilus clients see it. */
  lastForceOpResendPrenautilus: number;
  /** The epoch that last forced clients to resend (pre-v28 maps: the pre-Nautilus one). */
  lastForceOpResend: number;
  /** pg_pool_t::application_metadata: application name (e.g. "rbd", "rgw", "cephfs") → its key/value settings. */
  applicationMetadata: Map<string, Map<string, string>>;
  /** pg_pool_t::create_time: when the pool was created (v27+); undefined before. */
  createTime: UTime | undefined;
  /** pg_pool_t::pg_num_target: the pg_num the pool is being moved to (by splits or merges). */
  pgNumTarget: number;
  /** pg_pool_t::pgp_num_target: the pgp_num the pool is being moved to. */
  pgpNumTarget: number;
  /** pg_pool_t::pg_num_pending: pg_num during a merge: lower than pg_num while PGs wait to merge. */
  pgNumPending: number;
  /** pg_autoscale_mode_t (0 off, 1 warn, 2 on; 255 unknown). */
  pgAutoscaleMode: number;
  /** pg_pool_t::last_pg_merge_meta: the last PG merge (v29+); undefined before. */
  lastPgMergeMeta: PgMergeMeta | undefined;
  /** Stretch pools (v30, or v31+ when present): 0 when the pool is not stretched. */
  peeringCrushBucketCount: number;
  /** pg_pool_t::peering_crush_bucket_target: how many CRUSH buckets of that type the acting set should span. */
  peeringCrushBucketTarget: number;
  /**
   * pg_pool_t::peering_crush_bucket_barrier: the CRUSH bucket type (e.g. datacenter) the count and target refer
   * to.
   */
  peeringCrushBucketBarrier: number;
  /**
   * pg_pool_t::peering_crush_mandatory_member: a CRUSH bucket that must be in every acting set;
   * NO_MANDATORY_MEMBER if none.
   */
  peeringCrushMandatoryMember: number;
  /** Tentacle optimized EC: the shards (positions) that cannot be primary, ascending. */
  nonprimaryShards: number[];
  /** The struct version the map carried. */
  version: number;
}

const strMap = (r: Reader, f: string): Map<string, string> =>
  r.map(
    f,
    (r) => r.string(`${f}.key`),
    (r) => r.string(`${f}.value`),
    8,
  );

function decodeSnapInfo(r: Reader): PoolSnapInfo {
  return r.struct('pool_snap_info_t', 2, (r) => ({ snapId: r.u64('snapid'), stamp: decodeUtime(r, 'stamp'), name: r.string('name') }));
}

const HIT_SET_TYPES = ['none', 'explicit_hash', 'explicit_object', 'bloom'] as const;

/** HitSet::Params::decode: u8 type, then the type's own struct (bloom: fpp, target size, seed). */
function decodeHitSetParams(r: Reader): HitSetParams {
  return r.struct('hit_set_params', 1, (r) => {
    const t = r.u8('hit_set_params.type');
    const type = HIT_SET_TYPES[t] ?? r.fail('hit_set_params.type', `unknown HitSet type ${t}`, r.offset - 1);
    if (type === 'none') return { type };
    const bloom = r.struct(`hit_set_params.${type}`, 1, (r) =>
      type === 'bloom' ? { fppMicro: r.u32('fpp_micro'), targetSize: r.u64('target_size'), seed: r.u64('seed') } : undefined,
    );
    return bloom ? { type, bloom } : { type };
  });
}

function decodeMergeMeta(r: Reader): PgMergeMeta {
  return r.struct('pg_merge_meta_t', 1, (r) => {
    const pg = decodePgT(r, 'last_pg_merge_meta.source_pgid');
    return {
      sourcePgid: { pool: pg.pool, seed: pg.seed },
      readyEpoch: r.u32('ready_epoch'),
      lastEpochStarted: r.u32('last_epoch_started'),
      lastEpochClean: r.u32('last_epoch_clean'),
      sourceVersion: decodeEversion(r, 'source_version'),
      targetVersion: decodeEversion(r, 'target_version'),
    };
  });
}

/** shard_id_set (bitset_set<128>): two varint u64 words, shard i at bit i % 64 of word i / 64. */
function decodeShardSet(r: Reader, field: string): number[] {
  const out: number[] = [];
  for (let word = 0; word < 2; word++) {
    const bits = readVarintU64(r, field);
    for (let b = 0; b < 64; b++) if ((bits >> BigInt(b)) & 1n) out.push(word * 64 + b);
  }
  return out;
}

/** pg_pool_t::decode: one pool from an OSDMap (v25, Nautilus, to v32, Tentacle). */
export function decodePgPool(r: Reader, field = 'pg_pool_t'): PgPool {
  return r.struct(field, 32, (r, v) => {
    if (v < 25) r.fail(field, `pg_pool_t v${v} predates Nautilus; not supported`);
    const p: Partial<PgPool> = { version: v };
    p.type = r.u8('type');
    p.size = r.u8('size');
    p.crushRule = r.u8('crush_rule');
    p.objectHash = r.u8('object_hash');
    p.pgNum = r.u32('pg_num');
    p.pgpNum = r.u32('pgp_num');
    r.u32('lpg_num');
    r.u32('lpgp_num');
    p.lastChange = r.u32('last_change');
    p.snapSeq = r.u64('snap_seq');
    p.snapEpoch = r.u32('snap_epoch');
    p.snaps = r.map(
      'snaps',
      (r) => r.u64('snapid'),
      (r) => decodeSnapInfo(r),
      14,
    );
    p.removedSnaps = r.array('removed_snaps', (r) => [r.u64('start'), r.u64('len')] as [bigint, bigint], 16);
    p.auid = r.u64('auid');
    p.flags = r.u64('flags');
    r.u32('crash_replay_interval');
    // decode()'s upgrade path: a pool with snapshots but neither snap mode flag gets one.
    const snapModes = BigInt(PoolFlag.SELFMANAGED_SNAPS | PoolFlag.POOL_SNAPS);
    if (p.snapSeq > 0n && (p.flags & snapModes) === 0n) {
      p.flags |= BigInt(p.removedSnaps.length > 0 ? PoolFlag.SELFMANAGED_SNAPS : PoolFlag.POOL_SNAPS);
    }
    p.minSize = r.u8('min_size');
    p.quotaMaxBytes = r.u64('quota_max_bytes');
    p.quotaMaxObjects = r.u64('quota_max_objects');
    p.tiers = r.array('tiers', (r) => r.u64('tier'), 8);
    p.tierOf = r.i64('tier_of');
    p.cacheMode = r.u8('cache_mode');
    p.readTier = r.i64('read_tier');
    p.writeTier = r.i64('write_tier');
    p.properties = strMap(r, 'properties');
    p.hitSetParams = decodeHitSetParams(r);
    p.hitSetPeriod = r.u32('hit_set_period');
    p.hitSetCount = r.u32('hit_set_count');
    p.stripeWidth = r.u32('stripe_width');
    p.targetMaxBytes = r.u64('target_max_bytes');
    p.targetMaxObjects = r.u64('target_max_objects');
    p.cacheTargetDirtyRatioMicro = r.u32('cache_target_dirty_ratio_micro');
    p.cacheTargetFullRatioMicro = r.u32('cache_target_full_ratio_micro');
    p.cacheMinFlushAge = r.u32('cache_min_flush_age');
    p.cacheMinEvictAge = r.u32('cache_min_evict_age');
    p.erasureCodeProfile = r.string('erasure_code_profile');
    p.lastForceOpResendPreluminous = r.u32('last_force_op_resend_preluminous');
    p.minReadRecencyForPromote = r.i32('min_read_recency_for_promote');
    p.expectedNumObjects = r.u64('expected_num_objects');
    p.cacheTargetDirtyHighRatioMicro = r.u32('cache_target_dirty_high_ratio_micro');
    p.minWriteRecencyForPromote = r.i32('min_write_recency_for_promote');
    p.useGmtHitset = r.bool('use_gmt_hitset');
    p.fastRead = r.bool('fast_read');
    p.hitSetGradeDecayRate = r.u32('hit_set_grade_decay_rate');
    p.hitSetSearchLastN = r.u32('hit_set_search_last_n');
    p.options = decodePoolOptions(r, 'opts');
    p.lastForceOpResendPrenautilus = r.u32('last_force_op_resend_prenautilus');
    p.lastForceOpResend = p.lastForceOpResendPrenautilus;
    p.applicationMetadata = r.map(
      'application_metadata',
      (r) => r.string('app'),
      (r) => strMap(r, 'application_metadata.kv'),
      8,
    );
    p.createTime = v >= 27 ? decodeUtime(r, 'create_time') : undefined;
    if (v >= 28) {
      p.pgNumTarget = r.u32('pg_num_target');
      p.pgpNumTarget = r.u32('pgp_num_target');
      p.pgNumPending = r.u32('pg_num_pending');
      r.u32('pg_num_dec_last_epoch_started'); // always 0 since 14.1.2
      r.u32('pg_num_dec_last_epoch_clean');
      p.lastForceOpResend = r.u32('last_force_op_resend');
      p.pgAutoscaleMode = r.u8('pg_autoscale_mode');
    } else {
      p.pgNumTarget = p.pgNum;
      p.pgpNumTarget = p.pgpNum;
      p.pgNumPending = p.pgNum;
      p.pgAutoscaleMode = 1; // decode() defaults pre-v28 pools to warn
    }
    p.lastPgMergeMeta = v >= 29 ? decodeMergeMeta(r) : undefined;
    p.peeringCrushBucketCount = 0;
    p.peeringCrushBucketTarget = 0;
    p.peeringCrushBucketBarrier = 0;
    p.peeringCrushMandatoryMember = NO_MANDATORY_MEMBER;
    // v30 carries the four stretch fields bare; v31+ as std::optional<tuple<u32 x4>>.
    const stretch = v === 30 ? true : v >= 31 ? r.bool('peering_crush_data') : false;
    if (stretch) {
      p.peeringCrushBucketCount = r.u32('peering_crush_bucket_count');
      p.peeringCrushBucketTarget = r.u32('peering_crush_bucket_target');
      p.peeringCrushBucketBarrier = r.u32('peering_crush_bucket_barrier');
      p.peeringCrushMandatoryMember = r.i32('peering_crush_mandatory_member');
    }
    p.nonprimaryShards = v >= 32 ? decodeShardSet(r, 'nonprimary_shards') : [];
    return p as PgPool;
  });
}

export function poolIsHashPsPool(p: PgPool): boolean {
  return (p.flags & BigInt(PoolFlag.HASHPSPOOL)) !== 0n;
}

/** pg_pool_t::is_stretch_pool. */
export function poolIsStretch(p: PgPool): boolean {
  return p.peeringCrushBucketCount !== 0;
}

/** pg_pool_t::allows_ecoptimizations (Tentacle). */
export function poolAllowsEcOptimizations(p: PgPool): boolean {
  return (p.flags & BigInt(PoolFlag.EC_OPTIMIZATIONS)) !== 0n;
}
