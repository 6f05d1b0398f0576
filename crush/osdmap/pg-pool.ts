// pg_pool_t (src/osd/osd_types.cc pg_pool_t::encode/decode, v29 in Pacific; v30 adds stretch
// fields). We decode what a client uses and stop; the struct envelope skips the rest, so
// newer releases with longer pools still decode.
import type { Reader } from '../../protocol/encoding/reader.ts';
import { decodeUtime, type UTime } from '../../protocol/types/utime.ts';

export const PoolType = { REPLICATED: 1, ERASURE: 3 } as const;
/** pg_pool_t::FLAG_* the client cares about. */
export const PoolFlag = { HASHPSPOOL: 1, FULL: 2, FULL_QUOTA: 1 << 10, SELFMANAGED_SNAPS: 1 << 13, POOL_SNAPS: 1 << 14 } as const;

export interface PoolSnapInfo {
  snapId: bigint;
  stamp: UTime;
  name: string;
}

export interface PgPool {
  type: number;
  size: number;
  crushRule: number;
  objectHash: number;
  pgNum: number;
  pgpNum: number;
  lastChange: number;
  snapSeq: bigint;
  snapEpoch: number;
  snaps: Map<bigint, PoolSnapInfo>;
  /** interval_set<snapid_t> as [start, length] pairs. */
  removedSnaps: Array<[bigint, bigint]>;
  auid: bigint;
  /** u64 flags; the low 32 bits hold every flag Pacific defines. */
  flags: bigint;
  minSize: number;
  quotaMaxBytes: bigint;
  quotaMaxObjects: bigint;
  tiers: bigint[];
  tierOf: bigint;
  cacheMode: number;
  readTier: bigint;
  writeTier: bigint;
  stripeWidth: number;
  erasureCodeProfile: string;
  lastForceOpResend: number;
  applicationMetadata: Map<string, Map<string, string>>;
  /** The struct version the map carried. */
  version: number;
}

const strMap = (r: Reader, f: string): Map<string, string> => r.map(f, (r) => r.string(`${f}.key`), (r) => r.string(`${f}.value`), 8);

function decodeSnapInfo(r: Reader): PoolSnapInfo {
  return r.struct('pool_snap_info_t', 2, (r) => ({ snapId: r.u64('snapid'), stamp: decodeUtime(r, 'stamp'), name: r.string('name') }));
}

export function decodePgPool(r: Reader, field = 'pg_pool_t'): PgPool {
  return r.struct(field, 30, (r, v) => {
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
    p.snaps = r.map('snaps', (r) => r.u64('snapid'), (r) => decodeSnapInfo(r), 14);
    p.removedSnaps = r.array('removed_snaps', (r) => [r.u64('start'), r.u64('len')] as [bigint, bigint], 16);
    p.auid = r.u64('auid');
    p.flags = r.u64('flags');
    r.u32('crash_replay_interval');
    p.minSize = r.u8('min_size');
    p.quotaMaxBytes = r.u64('quota_max_bytes');
    p.quotaMaxObjects = r.u64('quota_max_objects');
    p.tiers = r.array('tiers', (r) => r.u64('tier'), 8);
    p.tierOf = r.i64('tier_of');
    p.cacheMode = r.u8('cache_mode');
    p.readTier = r.i64('read_tier');
    p.writeTier = r.i64('write_tier');
    strMap(r, 'properties');
    r.struct('hit_set_params', 1, () => undefined); // HitSet::Params: skipped by length
    r.u32('hit_set_period');
    r.u32('hit_set_count');
    p.stripeWidth = r.u32('stripe_width');
    r.u64('target_max_bytes');
    r.u64('target_max_objects');
    r.u32('cache_target_dirty_ratio_micro');
    r.u32('cache_target_full_ratio_micro');
    r.u32('cache_min_flush_age');
    r.u32('cache_min_evict_age');
    p.erasureCodeProfile = r.string('erasure_code_profile');
    r.u32('last_force_op_resend_preluminous');
    r.i32('min_read_recency_for_promote');
    r.u64('expected_num_objects');
    r.u32('cache_target_dirty_high_ratio_micro');
    r.i32('min_write_recency_for_promote');
    r.u8('use_gmt_hitset');
    r.u8('fast_read');
    r.u32('hit_set_grade_decay_rate');
    r.u32('hit_set_search_last_n');
    r.struct('pool_opts_t', 2, () => undefined);
    p.lastForceOpResend = r.u32('last_force_op_resend_prenautilus');
    p.applicationMetadata = r.map('application_metadata', (r) => r.string('app'), (r) => strMap(r, 'application_metadata.kv'), 8);
    // Later fields (create_time, pg_num_target, ..., last_force_op_resend, autoscale mode,
    // merge meta, stretch) are not needed by a client; the envelope skips them.
    if (v >= 27) decodeUtime(r, 'create_time');
    if (v >= 28) {
      r.u32('pg_num_target');
      r.u32('pgp_num_target');
      r.u32('pg_num_pending');
      r.u32('pg_num_dec_last_epoch_started');
      r.u32('pg_num_dec_last_epoch_clean');
      p.lastForceOpResend = r.u32('last_force_op_resend');
    }
    return p as PgPool;
  });
}

export function poolIsHashPsPool(p: PgPool): boolean {
  return (p.flags & BigInt(PoolFlag.HASHPSPOOL)) !== 0n;
}
