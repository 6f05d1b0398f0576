// OSDMap::Incremental::decode and OSDMap::apply_incremental (src/osd/OSDMap.cc), for the fields
// the decoded map holds: client-usable section up to v9 (Reef: new/old_pg_upmap_primary),
// osd-only section up to v12 (stretch mode, range blocklist, allow_crimson). Unknown tails are
// skipped by length.
import { crc32c } from '../../protocol/checksum/crc32c.ts';
import { DecodeError } from '../../protocol/encoding/decode-error.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { decodeEntityAddr, decodeEntityAddrvec, type EntityAddr, formatEntityAddr } from '../../protocol/types/entity-addr.ts';
import { decodeUtime, type UTime } from '../../protocol/types/utime.ts';
import { decodeUuid } from '../../protocol/types/uuid.ts';
import { decodeBlocklist, decodeOSDMap, i32u32Map, strMap } from './decode-osdmap.ts';
import { readF32 } from './denc-numbers.ts';
import { type BlocklistEntry, DEFAULT_PRIMARY_AFFINITY, OSD_OUT, type OSDMap, OsdState, type SnapIntervals } from './osdmap.ts';
import { decodeI32Vec, decodePgKey, type PgKey } from './pg-key.ts';
import { decodePgPool, type PgPool } from './pg-pool.ts';
import { crushOf } from './placement.ts';
import { decodePoolSnapIntervals, subtractIntervals, unionIntervals } from './snap-intervals.ts';

/** OSDMap::Incremental (src/osd/OSDMap.h): the changes from epoch - 1 to epoch; applyIncremental applies them. */
export interface OsdMapIncremental {
  /** Incremental::fsid: the cluster's fsid, as a UUID string. */
  fsid: string;
  /** Incremental::epoch: the epoch this incremental produces. */
  epoch: number;
  /** Incremental::modified: when the epoch was made. */
  modified: UTime;
  /** Incremental::new_pool_max: the new OSDMap.poolMax; -1 = unchanged. */
  newPoolMax: number;
  /** Incremental::new_flags: the new OSDMap.flags; negative = unchanged. */
  newFlags: number;
  /** Incremental::fullmap: a whole encoded OSDMap replacing the old one; empty if none. */
  fullMap: Uint8Array;
  /** Incremental::crush: a new encoded CRUSH map; empty if unchanged. */
  crush: Uint8Array;
  /** Incremental::new_max_osd: the new OSDMap.maxOsd; negative = unchanged. */
  newMaxOsd: number;
  /** Incremental::new_pools: pools created or changed, by id (whole pg_pool_t). */
  newPools: Map<number, PgPool>;
  /** Incremental::new_pool_names: pool id → new name. */
  newPoolNames: Map<number, string>;
  /** Incremental::old_pools: ids of deleted pools. */
  oldPools: number[];
  /** Incremental::new_up_client: OSD id → the public addresses it booted with; marks it up. */
  newUpClient: Map<number, EntityAddr[]>;
  /**
   * Incremental::new_state: OSD id → OsdState bits to toggle (XOR); 0 is the legacy "toggle UP", EXISTS destroys
   * the OSD.
   */
  newState: Map<number, number>;
  /** Incremental::new_weight: OSD id → new in/out weight (16.16 fixed point). */
  newWeight: Map<number, number>;
  /** Incremental::new_pg_temp: PG → new pg_temp; an empty list removes it. */
  newPgTemp: Map<PgKey, number[]>;
  /** Incremental::new_primary_temp: PG → new primary_temp; -1 removes it. */
  newPrimaryTemp: Map<PgKey, number>;
  /** Incremental::new_primary_affinity: OSD id → new primary affinity (16.16 fixed point). */
  newPrimaryAffinity: Map<number, number>;
  /** Incremental::new_erasure_code_profiles: profiles added or replaced, by name. */
  newErasureCodeProfiles: Map<string, Map<string, string>>;
  /** Incremental::old_erasure_code_profiles: names of removed profiles. */
  oldErasureCodeProfiles: string[];
  /** Incremental::new_pg_upmap: PG → new explicit up set. */
  newPgUpmap: Map<PgKey, number[]>;
  /** Incremental::old_pg_upmap: PGs whose pg_upmap is removed. */
  oldPgUpmap: PgKey[];
  /** Incremental::new_pg_upmap_items: PG → new [from, to] OSD replacements. */
  newPgUpmapItems: Map<PgKey, Array<[number, number]>>;
  /** Incremental::old_pg_upmap_items: PGs whose pg_upmap_items are removed. */
  oldPgUpmapItems: PgKey[];
  /** Incremental::new_removed_snaps: per pool, snapshots removed in this epoch (added to the removed-snaps queue). */
  newRemovedSnaps: Map<number, SnapIntervals>;
  /** Incremental::new_purged_snaps: per pool, snapshots purged in this epoch (taken off the removed-snaps queue). */
  newPurgedSnaps: Map<number, SnapIntervals>;
  /** Incremental::new_last_up_change: new OSDMap.lastUpChange (client v8+); a zero time = unchanged. */
  newLastUpChange: UTime | undefined;
  /** Incremental::new_last_in_change: new OSDMap.lastInChange (client v8+); a zero time = unchanged. */
  newLastInChange: UTime | undefined;
  /** Reef+ (client section v9). */
  newPgUpmapPrimary: Map<PgKey, number>;
  /** Incremental::old_pg_upmap_primary: PGs whose primary upmap is removed (Reef+). */
  oldPgUpmapPrimary: PgKey[];
  /** Incremental::new_blocklist: entries added to the blocklist, by formatted address. */
  newBlocklist: Map<string, BlocklistEntry>;
  /** Incremental::old_blocklist: addresses removed from the blocklist. */
  oldBlocklist: EntityAddr[];
  /** Incremental::cluster_snapshot: a requested cluster snapshot name (obsolete feature); empty if none. */
  clusterSnapshot: string;
  /** Incremental::new_uuid: OSD id → its UUID string. */
  newUuid: Map<number, string>;
  /** Negative: unchanged. */
  newNearfullRatio: number;
  /** Incremental::new_full_ratio: new OSDMap.fullRatio; negative = unchanged. */
  newFullRatio: number;
  /** Incremental::new_backfillfull_ratio: new OSDMap.backfillfullRatio; negative = unchanged. */
  newBackfillfullRatio: number;
  /** Incremental::new_require_min_compat_client: ceph_release_t number; not positive = unchanged. */
  newRequireMinCompatClient: number;
  /** Incremental::new_require_osd_release: ceph_release_t number; negative = unchanged. */
  newRequireOsdRelease: number;
  /** A 0 value removes the entry. */
  newCrushNodeFlags: Map<number, number>;
  /** Incremental::new_device_class_flags: device class id → new flags; a 0 value removes the entry. */
  newDeviceClassFlags: Map<number, number>;
  /** Set when the stretch fields below apply (change_stretch_mode, osd-only v10). */
  changeStretchMode: boolean;
  /** Incremental::new_stretch_bucket_count: the new OSDMap.stretchBucketCount. */
  newStretchBucketCount: number;
  /** Incremental::new_degraded_stretch_mode: the new OSDMap.degradedStretchMode. */
  newDegradedStretchMode: number;
  /** Incremental::new_recovering_stretch_mode: the new OSDMap.recoveringStretchMode. */
  newRecoveringStretchMode: number;
  /** Incremental::new_stretch_mode_bucket: the new OSDMap.stretchModeBucket. */
  newStretchModeBucket: number;
  /** Incremental::stretch_mode_enabled: the new OSDMap.stretchModeEnabled. */
  stretchModeEnabled: boolean;
  /** Incremental::new_range_blocklist: range blocklist entries added (v11+). */
  newRangeBlocklist: Map<string, BlocklistEntry>;
  /** Incremental::old_range_blocklist: range blocklist entries removed (v11+). */
  oldRangeBlocklist: EntityAddr[];
  /** mutate_allow_crimson_t: 0 none, 1 set, 2 clear (v12). */
  mutateAllowCrimson: number;
}

/** ceph_release_t::luminous. */
const LUMINOUS = 12;

const i32Map = (r: Reader, f: string): Map<number, number> =>
  r.map(
    f,
    (r) => r.i32(`${f}.osd`),
    (r) => r.u32(`${f}.value`),
    8,
  );
const pgSet = (r: Reader, f: string): PgKey[] => r.array(f, (r) => decodePgKey(r, f), 17);

/** OSDMap::Incremental::decode (envelope v7+, client section to v10, osd-only to v12); checks inc_crc if present. */
export function decodeIncremental(bytes: Uint8Array): OsdMapIncremental {
  const r = new Reader(bytes);
  if ((bytes[0] ?? 0) < 7) throw new DecodeError('OSDMap::Incremental', 0, `classic incremental encoding v${bytes[0]} is not supported`);
  let crcFrontEnd = 0;
  let storedCrc = 0;
  const inc = r.struct('OSDMap::Incremental', 8, (r) => {
    const client = r.struct('Incremental.client', 10, (r, v) => {
      const fsid = decodeUuid(r, 'fsid');
      const epoch = r.u32('epoch');
      const modified = decodeUtime(r, 'modified');
      const newPoolMax = r.i64n('new_pool_max');
      const newFlags = r.i32('new_flags');
      const fullMap = r.blob('fullmap').slice();
      const crush = r.blob('crush').slice();
      const newMaxOsd = r.i32('new_max_osd');
      const newPools = r.map(
        'new_pools',
        (r) => r.i64n('pool'),
        (r) => decodePgPool(r),
        8,
      );
      const newPoolNames = r.map(
        'new_pool_names',
        (r) => r.i64n('pool'),
        (r) => r.string('name'),
        12,
      );
      const oldPools = r.array('old_pools', (r) => r.i64n('pool'), 8);
      const newUpClient = r.map(
        'new_up_client',
        (r) => r.i32('osd'),
        (r) => decodeEntityAddrvec(r, 'addrs'),
        5,
      );
      const newState =
        v >= 5
          ? i32Map(r, 'new_state')
          : r.map(
              'new_state',
              (r) => r.i32('osd'),
              (r) => r.u8('state'),
              5,
            );
      const newWeight = i32Map(r, 'new_weight');
      const newPgTemp = r.map(
        'new_pg_temp',
        (r) => decodePgKey(r, 'new_pg_temp'),
        (r) => decodeI32Vec(r, 'osds'),
        21,
      );
      const newPrimaryTemp = r.map(
        'new_primary_temp',
        (r) => decodePgKey(r, 'new_primary_temp'),
        (r) => r.i32('osd'),
        21,
      );
      const newPrimaryAffinity = v >= 2 ? i32Map(r, 'new_primary_affinity') : new Map<number, number>();
      const newErasureCodeProfiles =
        v >= 3
          ? r.map(
              'new_erasure_code_profiles',
              (r) => r.string('name'),
              (r) => strMap(r, 'profile'),
              8,
            )
          : new Map();
      const oldErasureCodeProfiles = v >= 3 ? r.array('old_erasure_code_profiles', (r) => r.string('name'), 4) : [];
      let newPgUpmap = new Map<PgKey, number[]>();
      let oldPgUpmap: PgKey[] = [];
      let newPgUpmapItems = new Map<PgKey, Array<[number, number]>>();
      let oldPgUpmapItems: PgKey[] = [];
      if (v >= 4) {
        newPgUpmap = r.map(
          'new_pg_upmap',
          (r) => decodePgKey(r, 'new_pg_upmap'),
          (r) => decodeI32Vec(r, 'osds'),
          21,
        );
        oldPgUpmap = pgSet(r, 'old_pg_upmap');
        newPgUpmapItems = r.map(
          'new_pg_upmap_items',
          (r) => decodePgKey(r, 'new_pg_upmap_items'),
          (r) => r.array('pairs', (r) => [r.i32('from'), r.i32('to')] as [number, number], 8),
          21,
        );
        oldPgUpmapItems = pgSet(r, 'old_pg_upmap_items');
      }
      const newRemovedSnaps = v >= 6 ? decodePoolSnapIntervals(r, 'new_removed_snaps') : new Map<number, SnapIntervals>();
      const newPurgedSnaps = v >= 6 ? decodePoolSnapIntervals(r, 'new_purged_snaps') : new Map<number, SnapIntervals>();
      const newLastUpChange = v >= 8 ? decodeUtime(r, 'new_last_up_change') : undefined;
      const newLastInChange = v >= 8 ? decodeUtime(r, 'new_last_in_change') : undefined;
      const newPgUpmapPrimary =
        v >= 9
          ? r.map(
              'new_pg_upmap_primary',
              (r) => decodePgKey(r, 'new_pg_upmap_primary'),
              (r) => r.i32('osd'),
              21,
            )
          : new Map<PgKey, number>();
      const oldPgUpmapPrimary = v >= 9 ? pgSet(r, 'old_pg_upmap_primary') : [];
      return {
        fsid,
        epoch,
        modified,
        newPoolMax,
        newFlags,
        fullMap,
        crush,
        newMaxOsd,
        newPools,
        newPoolNames,
        oldPools,
        newUpClient,
        newState,
        newWeight,
        newPgTemp,
        newPrimaryTemp,
        newPrimaryAffinity,
        newErasureCodeProfiles,
        oldErasureCodeProfiles,
        newPgUpmap,
        oldPgUpmap,
        newPgUpmapItems,
        oldPgUpmapItems,
        newRemovedSnaps,
        newPurgedSnaps,
        newLastUpChange,
        newLastInChange,
        newPgUpmapPrimary,
        oldPgUpmapPrimary,
      };
    });
    const osd = r.struct('Incremental.osd', 12, (r, v) => {
      r.map(
        'new_hb_back_up',
        (r) => r.i32('osd'),
        (r) => decodeEntityAddrvec(r, 'addrs'),
        5,
      );
      i32Map(r, 'new_up_thru');
      r.map(
        'new_last_clean_interval',
        (r) => r.i32('osd'),
        (r) => [r.u32('first'), r.u32('last')],
        12,
      );
      i32Map(r, 'new_lost');
      const newBlocklist = decodeBlocklist(r, 'new_blocklist');
      const oldBlocklist = r.array('old_blocklist', (r) => decodeEntityAddr(r, 'addr'), 1);
      r.map(
        'new_up_cluster',
        (r) => r.i32('osd'),
        (r) => decodeEntityAddrvec(r, 'addrs'),
        5,
      );
      const clusterSnapshot = r.string('cluster_snapshot');
      const newUuid = r.map(
        'new_uuid',
        (r) => r.i32('osd'),
        (r) => decodeUuid(r, 'uuid'),
        20,
      );
      r.map(
        'new_xinfo',
        (r) => r.i32('osd'),
        (r) => r.struct('osd_xinfo_t', 4, () => undefined),
        10,
      );
      r.map(
        'new_hb_front_up',
        (r) => r.i32('osd'),
        (r) => decodeEntityAddrvec(r, 'addrs'),
        5,
      );
      const o = {
        newBlocklist,
        oldBlocklist,
        clusterSnapshot,
        newUuid,
        newNearfullRatio: -1,
        newFullRatio: -1,
        newBackfillfullRatio: -1,
        newRequireMinCompatClient: -1,
        newRequireOsdRelease: -1,
        newCrushNodeFlags: new Map<number, number>(),
        newDeviceClassFlags: new Map<number, number>(),
        changeStretchMode: false,
        newStretchBucketCount: 0,
        newDegradedStretchMode: 0,
        newRecoveringStretchMode: 0,
        newStretchModeBucket: 0,
        stretchModeEnabled: false,
        newRangeBlocklist: new Map<string, BlocklistEntry>(),
        oldRangeBlocklist: [] as EntityAddr[],
        mutateAllowCrimson: 0,
      };
      if (v >= 2) r.u64('encode_features');
      if (v >= 3) {
        o.newNearfullRatio = readF32(r, 'new_nearfull_ratio');
        o.newFullRatio = readF32(r, 'new_full_ratio');
      }
      if (v >= 4) o.newBackfillfullRatio = readF32(r, 'new_backfillfull_ratio');
      if (v === 5) r.string('new_require_min_compat_client (string)');
      if (v >= 6) {
        o.newRequireMinCompatClient = r.i8('new_require_min_compat_client');
        o.newRequireOsdRelease = r.i8('new_require_osd_release');
      }
      if (v >= 8) o.newCrushNodeFlags = i32u32Map(r, 'new_crush_node_flags');
      if (v >= 9) o.newDeviceClassFlags = i32u32Map(r, 'new_device_class_flags');
      if (v >= 10) {
        o.changeStretchMode = r.bool('change_stretch_mode');
        o.newStretchBucketCount = r.u32('new_stretch_bucket_count');
        o.newDegradedStretchMode = r.u32('new_degraded_stretch_mode');
        o.newRecoveringStretchMode = r.u32('new_recovering_stretch_mode');
        o.newStretchModeBucket = r.i32('new_stretch_mode_bucket');
        o.stretchModeEnabled = r.bool('stretch_mode_enabled');
      }
      if (v >= 11) {
        o.newRangeBlocklist = decodeBlocklist(r, 'new_range_blocklist');
        o.oldRangeBlocklist = r.array('old_range_blocklist', (r) => decodeEntityAddr(r, 'addr'), 1);
      }
      if (v >= 12) o.mutateAllowCrimson = r.u8('mutate_allow_crimson');
      return o;
    });
    crcFrontEnd = r.offset;
    if (r.remaining >= 8) {
      storedCrc = r.u32('inc_crc');
      r.u32('full_crc');
    }
    return { ...client, ...osd };
  });
  if (crcFrontEnd > 0 && r.offset - crcFrontEnd >= 8) {
    let actual = crc32c(0xffffffff, bytes, 0, crcFrontEnd);
    actual = crc32c(actual, bytes, crcFrontEnd + 4, r.offset);
    if (actual !== storedCrc) throw new DecodeError('OSDMap::Incremental.inc_crc', crcFrontEnd, `crc mismatch: 0x${storedCrc.toString(16)} vs 0x${actual.toString(16)}`);
  }
  return inc;
}

function setMaxOsd(m: OSDMap, n: number): void {
  const grow = <T>(a: T[], fill: T): void => {
    while (a.length < n) a.push(fill);
    a.length = n;
  };
  grow(m.osdState, 0);
  grow(m.osdWeight, OSD_OUT);
  while (m.osdAddrs.length < n) m.osdAddrs.push([]);
  m.osdAddrs.length = n;
  grow(m.osdUuids, '00000000-0000-0000-0000-000000000000');
  if (m.primaryAffinity) grow(m.primaryAffinity, DEFAULT_PRIMARY_AFFINITY);
  m.maxOsd = n;
}

function clone(m: OSDMap): OSDMap {
  return {
    ...m,
    pools: new Map(m.pools),
    poolNames: new Map(m.poolNames),
    osdState: [...m.osdState],
    osdWeight: [...m.osdWeight],
    osdAddrs: [...m.osdAddrs],
    pgTemp: new Map(m.pgTemp),
    primaryTemp: new Map(m.primaryTemp),
    primaryAffinity: m.primaryAffinity ? [...m.primaryAffinity] : undefined,
    erasureCodeProfiles: new Map(m.erasureCodeProfiles),
    pgUpmap: new Map(m.pgUpmap),
    pgUpmapItems: new Map(m.pgUpmapItems),
    pgUpmapPrimaries: new Map(m.pgUpmapPrimaries),
    blocklist: new Map(m.blocklist),
    osdUuids: [...m.osdUuids],
    removedSnapsQueue: new Map(m.removedSnapsQueue),
    crushNodeFlags: new Map(m.crushNodeFlags),
    deviceClassFlags: new Map(m.deviceClassFlags),
    rangeBlocklist: new Map(m.rangeBlocklist),
  };
}

/** OSDMap::apply_incremental: returns the next map; the input is left untouched. */
export function applyIncremental(map: OSDMap, incBytes: Uint8Array | OsdMapIncremental): OSDMap {
  const inc = incBytes instanceof Uint8Array ? decodeIncremental(incBytes) : incBytes;
  if (inc.epoch !== 1 && inc.fsid !== map.fsid) throw new RangeError(`incremental for cluster ${inc.fsid} applied to a map of ${map.fsid}`);
  if (inc.epoch !== map.epoch + 1) throw new RangeError(`incremental for epoch ${inc.epoch} cannot follow epoch ${map.epoch}`);
  if (inc.fullMap.length > 0) return decodeOSDMap(inc.fullMap);
  const m = clone(map);
  m.epoch = inc.epoch;
  m.modified = inc.modified;
  if (inc.newFlags >= 0) m.flags = inc.newFlags;
  if (inc.newMaxOsd >= 0) setMaxOsd(m, inc.newMaxOsd);
  if (inc.newPoolMax !== -1) m.poolMax = inc.newPoolMax;
  for (const [id, pool] of inc.newPools) m.pools.set(id, { ...pool, lastChange: inc.epoch });
  for (const [id, name] of inc.newPoolNames) m.poolNames.set(id, name);
  // The epoch's removed/purged snaps replace the last ones and feed the removed-snaps queue.
  m.newRemovedSnaps = inc.newRemovedSnaps;
  m.newPurgedSnaps = inc.newPurgedSnaps;
  for (const [pool, set] of inc.newRemovedSnaps) m.removedSnapsQueue.set(pool, unionIntervals(m.removedSnapsQueue.get(pool) ?? [], set));
  for (const [pool, set] of inc.newPurgedSnaps) {
    const left = subtractIntervals(m.removedSnapsQueue.get(pool) ?? [], set);
    if (left.length > 0) m.removedSnapsQueue.set(pool, left);
    else m.removedSnapsQueue.delete(pool);
  }
  for (const id of inc.oldPools) {
    m.pools.delete(id);
    m.poolNames.delete(id);
  }
  for (const [osd, w] of inc.newWeight) {
    m.osdWeight[osd] = w;
    if (w) m.osdState[osd] = (m.osdState[osd] ?? 0) & ~(OsdState.AUTOOUT | OsdState.NEW);
  }
  for (const [osd, a] of inc.newPrimaryAffinity) {
    if (!m.primaryAffinity) m.primaryAffinity = new Array<number>(m.maxOsd).fill(DEFAULT_PRIMARY_AFFINITY);
    m.primaryAffinity[osd] = a;
  }
  for (const name of inc.oldErasureCodeProfiles) m.erasureCodeProfiles.delete(name);
  for (const [name, p] of inc.newErasureCodeProfiles) m.erasureCodeProfiles.set(name, p);
  for (const [osd, raw] of inc.newState) {
    const s = raw === 0 ? OsdState.UP : raw; // 0 is the legacy "toggle up"
    const cur = m.osdState[osd] ?? 0;
    if (cur & OsdState.EXISTS && s & OsdState.EXISTS) {
      // The OSD was destroyed: forget everything about it.
      m.osdUuids[osd] = '00000000-0000-0000-0000-000000000000';
      if (m.primaryAffinity) m.primaryAffinity[osd] = DEFAULT_PRIMARY_AFFINITY;
      m.osdAddrs[osd] = [];
      m.osdState[osd] = 0;
    } else {
      m.osdState[osd] = cur ^ s;
    }
  }
  for (const [osd, addrs] of inc.newUpClient) {
    m.osdState[osd] = ((m.osdState[osd] ?? 0) | OsdState.EXISTS | OsdState.UP) & ~OsdState.STOP;
    m.osdAddrs[osd] = addrs;
  }
  for (const [osd, uuid] of inc.newUuid) m.osdUuids[osd] = uuid;
  if (inc.newLastUpChange && inc.newLastUpChange.sec !== 0) m.lastUpChange = inc.newLastUpChange;
  if (inc.newLastInChange && inc.newLastInChange.sec !== 0) m.lastInChange = inc.newLastInChange;
  for (const [pg, osds] of inc.newPgTemp) {
    if (osds.length === 0) m.pgTemp.delete(pg);
    else m.pgTemp.set(pg, osds);
  }
  for (const [pg, osd] of inc.newPrimaryTemp) {
    if (osd === -1) m.primaryTemp.delete(pg);
    else m.primaryTemp.set(pg, osd);
  }
  for (const [pg, osds] of inc.newPgUpmap) m.pgUpmap.set(pg, osds);
  for (const pg of inc.oldPgUpmap) m.pgUpmap.delete(pg);
  for (const [pg, items] of inc.newPgUpmapItems) m.pgUpmapItems.set(pg, items);
  for (const pg of inc.oldPgUpmapItems) m.pgUpmapItems.delete(pg);
  for (const [pg, osd] of inc.newPgUpmapPrimary) m.pgUpmapPrimaries.set(pg, osd);
  for (const pg of inc.oldPgUpmapPrimary) m.pgUpmapPrimaries.delete(pg);
  // Blocklists: an address already listed keeps its expiry (map::insert), then removals.
  for (const [k, e] of inc.newBlocklist) if (!m.blocklist.has(k)) m.blocklist.set(k, e);
  for (const a of inc.oldBlocklist) m.blocklist.delete(formatEntityAddr(a));
  for (const [k, e] of inc.newRangeBlocklist) if (!m.rangeBlocklist.has(k)) m.rangeBlocklist.set(k, e);
  for (const a of inc.oldRangeBlocklist) m.rangeBlocklist.delete(formatEntityAddr(a));
  for (const [node, f] of inc.newCrushNodeFlags) {
    if (f) m.crushNodeFlags.set(node, f);
    else m.crushNodeFlags.delete(node);
  }
  for (const [cls, f] of inc.newDeviceClassFlags) {
    if (f) m.deviceClassFlags.set(cls, f);
    else m.deviceClassFlags.delete(cls);
  }
  m.clusterSnapshot = inc.clusterSnapshot;
  m.clusterSnapshotEpoch = inc.clusterSnapshot.length > 0 ? inc.epoch : 0;
  if (inc.newNearfullRatio >= 0) m.nearfullRatio = inc.newNearfullRatio;
  if (inc.newBackfillfullRatio >= 0) m.backfillfullRatio = inc.newBackfillfullRatio;
  if (inc.newFullRatio >= 0) m.fullRatio = inc.newFullRatio;
  if (inc.newRequireMinCompatClient > 0) m.requireMinCompatClient = inc.newRequireMinCompatClient;
  if (inc.newRequireOsdRelease >= 0) m.requireOsdRelease = inc.newRequireOsdRelease;
  // The new CRUSH map comes last, as in OSDMap::apply_incremental.
  if (inc.crush.length > 0) {
    m.crush = inc.crush;
    // Only maps a Luminous+ cluster encodes count crush versions (apply_incremental).
    if (m.requireOsdRelease >= LUMINOUS) m.crushVersion += 1;
    // A device class the new CRUSH map no longer has loses its flags.
    if (m.deviceClassFlags.size > 0) {
      const classes = new Set(crushOf(m).className.keys());
      for (const cls of [...m.deviceClassFlags.keys()]) if (!classes.has(cls)) m.deviceClassFlags.delete(cls);
    }
  }
  if (inc.changeStretchMode) {
    m.stretchModeEnabled = inc.stretchModeEnabled;
    m.stretchBucketCount = inc.newStretchBucketCount;
    m.degradedStretchMode = inc.newDegradedStretchMode;
    m.recoveringStretchMode = inc.newRecoveringStretchMode;
    m.stretchModeBucket = inc.newStretchModeBucket;
  }
  if (inc.mutateAllowCrimson === 1) m.allowCrimson = true;
  else if (inc.mutateAllowCrimson === 2) m.allowCrimson = false;
  return m;
}
