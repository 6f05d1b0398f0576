// Our decoded OSDMap rendered in the JSON shapes `ceph osd dump --format json` uses
// (OSDMap::dump, pg_pool_t::dump, src/osd/OSDMap.cc and osd_types.cc of Tentacle 20.2), for the
// fields we decode — and the comparison, key by key, with what the release prints.
import { expect } from 'vitest';
import { crushOf } from '../../crush/osdmap/placement.ts';
import type { BlocklistEntry, OSDMap, SnapIntervals } from '../../crush/osdmap/osdmap.ts';
import { pgOfKey } from '../../crush/osdmap/pg-key.ts';
import { type PgPool, PG_AUTOSCALE_MODE_NAMES, PoolFlag, poolIsStretch } from '../../crush/osdmap/pg-pool.ts';
import { cephReleaseName } from '../../protocol/maps/ceph-release.ts';
import type { EVersion } from '../../protocol/types/eversion.ts';
import { formatPgId } from '../../protocol/types/pg.ts';
import { formatUtime, type UTime } from '../../protocol/types/utime.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** utime_t's operator<<: a time under ten years is a relative "sec.usec", else the date (UTC here). */
export function cephUtime(t: UTime): string {
  if (t.sec < 60 * 60 * 24 * 365 * 10) return `${t.sec}.${String(Math.floor(t.nsec / 1000)).padStart(6, '0')}`;
  return formatUtime(t);
}

const eversion = (v: EVersion): string => `${v.epoch}'${v.version}`;
const num = (x: bigint | number): number => Number(x);
/** interval_set's operator<<: [start~len,...]. */
const intervalSet = (s: SnapIntervals): string => `[${s.map(([a, l]) => `${a}~${l}`).join(',')}]`;
const CACHE_MODES = ['none', 'writeback', 'forward', 'readonly', 'readforward', 'readproxy', 'proxy'];
/** ceph_osd_state_name for the flags set-group sets (calc_state_set: sorted names). */
const STATE_NAMES: Array<[number, string]> = [
  [1, 'exists'],
  [2, 'up'],
  [4, 'autoout'],
  [8, 'new'],
  [16, 'full'],
  [32, 'nearfull'],
  [64, 'backfillfull'],
  [128, 'destroyed'],
  [256, 'noup'],
  [512, 'nodown'],
  [1024, 'noin'],
  [2048, 'noout'],
  [4096, 'stop'],
];
const stateSet = (bits: number): string[] =>
  STATE_NAMES.filter(([b]) => bits & b)
    .map(([, n]) => n)
    .sort();

/** pg_pool_t::dump (plus OSDMap::dump_pool's "pool" and "pool_name"). */
export function poolDump(m: OSDMap, id: number): Record<string, Json> {
  const p: PgPool = m.pools.get(id)!;
  return {
    pool: id,
    pool_name: m.poolNames.get(id) ?? '',
    create_time: p.createTime ? cephUtime(p.createTime) : '0.000000',
    flags: num(p.flags),
    type: p.type,
    size: p.size,
    min_size: p.minSize,
    crush_rule: p.crushRule,
    peering_crush_bucket_count: p.peeringCrushBucketCount,
    peering_crush_bucket_target: p.peeringCrushBucketTarget,
    peering_crush_bucket_barrier: p.peeringCrushBucketBarrier,
    peering_crush_bucket_mandatory_member: p.peeringCrushMandatoryMember,
    is_stretch_pool: poolIsStretch(p),
    object_hash: p.objectHash,
    pg_autoscale_mode: PG_AUTOSCALE_MODE_NAMES.get(p.pgAutoscaleMode) ?? '???',
    pg_num: p.pgNum,
    pg_placement_num: p.pgpNum,
    pg_placement_num_target: p.pgpNumTarget,
    pg_num_target: p.pgNumTarget,
    pg_num_pending: p.pgNumPending,
    last_pg_merge_meta: p.lastPgMergeMeta
      ? {
          source_pgid: formatPgId(p.lastPgMergeMeta.sourcePgid),
          ready_epoch: p.lastPgMergeMeta.readyEpoch,
          last_epoch_started: p.lastPgMergeMeta.lastEpochStarted,
          last_epoch_clean: p.lastPgMergeMeta.lastEpochClean,
          source_version: eversion(p.lastPgMergeMeta.sourceVersion),
          target_version: eversion(p.lastPgMergeMeta.targetVersion),
        }
      : null,
    last_change: String(p.lastChange),
    last_force_op_resend: String(p.lastForceOpResend),
    last_force_op_resend_prenautilus: String(p.lastForceOpResendPrenautilus),
    last_force_op_resend_preluminous: String(p.lastForceOpResendPreluminous),
    auid: num(p.auid),
    snap_mode: (p.flags & BigInt(PoolFlag.POOL_SNAPS)) !== 0n ? 'pool' : 'selfmanaged',
    snap_seq: num(p.snapSeq),
    snap_epoch: p.snapEpoch,
    pool_snaps: [...p.snaps.values()].map((s) => ({ snapid: num(s.snapId), stamp: cephUtime(s.stamp), name: s.name })),
    removed_snaps: intervalSet(p.removedSnaps),
    quota_max_bytes: num(p.quotaMaxBytes),
    quota_max_objects: num(p.quotaMaxObjects),
    tiers: p.tiers.map(num),
    tier_of: num(p.tierOf),
    read_tier: num(p.readTier),
    write_tier: num(p.writeTier),
    cache_mode: CACHE_MODES[p.cacheMode] ?? 'unknown',
    target_max_bytes: num(p.targetMaxBytes),
    target_max_objects: num(p.targetMaxObjects),
    cache_target_dirty_ratio_micro: p.cacheTargetDirtyRatioMicro,
    cache_target_dirty_high_ratio_micro: p.cacheTargetDirtyHighRatioMicro,
    cache_target_full_ratio_micro: p.cacheTargetFullRatioMicro,
    cache_min_flush_age: p.cacheMinFlushAge,
    cache_min_evict_age: p.cacheMinEvictAge,
    erasure_code_profile: p.erasureCodeProfile,
    hit_set_params: { type: p.hitSetParams.type },
    hit_set_period: p.hitSetPeriod,
    hit_set_count: p.hitSetCount,
    use_gmt_hitset: p.useGmtHitset,
    min_read_recency_for_promote: p.minReadRecencyForPromote,
    min_write_recency_for_promote: p.minWriteRecencyForPromote,
    hit_set_grade_decay_rate: p.hitSetGradeDecayRate,
    hit_set_search_last_n: p.hitSetSearchLastN,
    stripe_width: p.stripeWidth,
    expected_num_objects: num(p.expectedNumObjects),
    fast_read: p.fastRead,
    nonprimary_shards: `{${p.nonprimaryShards.join(',')}}`,
    options: Object.fromEntries([...p.options].map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    application_metadata: Object.fromEntries([...p.applicationMetadata].map(([app, kv]) => [app, Object.fromEntries(kv)])),
  };
}

const blocklist = (b: Map<string, BlocklistEntry>): Record<string, string> => Object.fromEntries([...b].map(([k, e]) => [k, cephUtime(e.expires)]));
const snapQueue = (q: Map<number, SnapIntervals>): Json[] =>
  [...q].sort((a, b) => a[0] - b[0]).map(([pool, s]) => ({ pool, snaps: s.map(([begin, length]) => ({ begin: num(begin), length: num(length) })) }));
const pgid = (k: number): string => formatPgId(pgOfKey(k));

/** OSDMap::dump, the map-wide fields (pools: poolDump). Ratios are floats: compare with Math.fround. */
export function mapDump(m: OSDMap): Record<string, Json> {
  const crush = crushOf(m);
  return {
    epoch: m.epoch,
    fsid: m.fsid,
    created: cephUtime(m.created),
    modified: cephUtime(m.modified),
    last_up_change: m.lastUpChange ? cephUtime(m.lastUpChange) : '0.000000',
    last_in_change: m.lastInChange ? cephUtime(m.lastInChange) : '0.000000',
    crush_version: m.crushVersion,
    full_ratio: m.fullRatio,
    backfillfull_ratio: m.backfillfullRatio,
    nearfull_ratio: m.nearfullRatio,
    cluster_snapshot: m.clusterSnapshot,
    pool_max: m.poolMax,
    max_osd: m.maxOsd,
    require_min_compat_client: cephReleaseName(m.requireMinCompatClient),
    require_osd_release: cephReleaseName(m.requireOsdRelease),
    allow_crimson: m.allowCrimson,
    pg_upmap: [...m.pgUpmap].map(([k, osds]) => ({ pgid: pgid(k), osds })),
    pg_upmap_items: [...m.pgUpmapItems].map(([k, items]) => ({ pgid: pgid(k), mappings: items.map(([from, to]) => ({ from, to })) })),
    pg_upmap_primaries: [...m.pgUpmapPrimaries].map(([k, osd]) => ({ pgid: pgid(k), primary_osd: osd })),
    primary_temp: [...m.primaryTemp].map(([k, osd]) => ({ pgid: pgid(k), osd })),
    blocklist: blocklist(m.blocklist),
    range_blocklist: blocklist(m.rangeBlocklist),
    erasure_code_profiles: Object.fromEntries([...m.erasureCodeProfiles].map(([n, p]) => [n, Object.fromEntries(p)])),
    removed_snaps_queue: snapQueue(m.removedSnapsQueue),
    new_removed_snaps: snapQueue(m.newRemovedSnaps),
    new_purged_snaps: snapQueue(m.newPurgedSnaps),
    crush_node_flags: Object.fromEntries([...m.crushNodeFlags].map(([id, f]) => [crush.itemNames.get(id) ?? String(id), stateSet(f)])),
    device_class_flags: Object.fromEntries([...m.deviceClassFlags].map(([id, f]) => [crush.className.get(id) ?? String(id), stateSet(f)])),
    stretch_mode: {
      stretch_mode_enabled: m.stretchModeEnabled,
      stretch_bucket_count: m.stretchBucketCount,
      degraded_stretch_mode: m.degradedStretchMode,
      recovering_stretch_mode: m.recoveringStretchMode,
      stretch_mode_bucket: m.stretchModeBucket,
    },
  };
}

export type Dump = Record<string, unknown> & { pools: Array<Record<string, unknown> & { pool: number }> };
const RATIOS = ['full_ratio', 'backfillfull_ratio', 'nearfull_ratio'];

/** Every key we render that the release prints is equal (the floats as floats). */
export function expectSameFields(ours: Record<string, unknown>, theirs: Record<string, unknown>, what: string): number {
  let compared = 0;
  for (const [k, v] of Object.entries(ours)) {
    if (!(k in theirs)) continue;
    if (RATIOS.includes(k)) expect(Math.fround(theirs[k] as number), `${what}.${k}`).toBe(v);
    else expect({ [k]: v }, what).toEqual({ [k]: theirs[k] });
    compared++;
  }
  return compared;
}

export function expectMatchesDump(m: OSDMap, dump: Dump): void {
  expect(dump.epoch).toBe(m.epoch);
  const sorted = (x: unknown): unknown => (Array.isArray(x) ? [...(x as unknown[])].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : x);
  const ours = Object.fromEntries(Object.entries(mapDump(m)).map(([k, v]) => [k, sorted(v)]));
  const theirs = Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, sorted(v)]));
  // The map-wide fields every release prints, and the newer ones this release prints.
  expect(expectSameFields(ours, theirs, 'osdmap')).toBeGreaterThanOrEqual(25);
  expect(m.pools.size).toBe(dump.pools.length);
  for (const p of dump.pools) {
    const ours = poolDump(m, p.pool);
    // A pool encoded before v32 (as our session is sent them) does not carry nonprimary_shards.
    if (m.pools.get(p.pool)!.version < 32) delete ours['nonprimary_shards'];
    expect(expectSameFields(ours, p, `pool ${p.pool}`)).toBeGreaterThanOrEqual(50);
  }
}
