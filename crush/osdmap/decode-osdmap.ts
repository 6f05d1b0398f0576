// OSDMap::decode (src/osd/OSDMap.cc): the wrapper (v8, compat 7), the client-usable section
// (v9 in Pacific, v10 since Reef: pg_upmap_primaries), the osd-only section (v9 by default; 10
// with stretch mode, 11 with range blocklists, 12 once crimson is allowed), then the crc.
// Fields a later release appends are skipped by length.
import { crc32c } from '../../protocol/checksum/crc32c.ts';
import { DecodeError } from '../../protocol/encoding/decode-error.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { decodeEntityAddr, decodeEntityAddrvec, formatEntityAddr } from '../../protocol/types/entity-addr.ts';
import { decodeUtime } from '../../protocol/types/utime.ts';
import { decodeUuid } from '../../protocol/types/uuid.ts';
import { readF32 } from './denc-numbers.ts';
import type { BlocklistEntry, OSDMap } from './osdmap.ts';
import { decodeI32Vec, decodePgKey } from './pg-key.ts';
import { decodePgPool } from './pg-pool.ts';
import { decodePoolSnapIntervals } from './snap-intervals.ts';

const u32Vec = (r: Reader, f: string): number[] => r.array(f, (r) => r.u32(f), 4);
export const strMap = (r: Reader, f: string): Map<string, string> =>
  r.map(
    f,
    (r) => r.string(`${f}.key`),
    (r) => r.string(`${f}.value`),
    8,
  );
/** map<int32_t, uint32_t> (crush_node_flags, device_class_flags, new_weight …). */
export const i32u32Map = (r: Reader, f: string): Map<number, number> =>
  r.map(
    f,
    (r) => r.i32(`${f}.key`),
    (r) => r.u32(`${f}.value`),
    8,
  );

/** map<entity_addr_t, utime_t> (blocklist, range_blocklist), keyed by the address as Ceph prints it. */
export function decodeBlocklist(r: Reader, f: string): Map<string, BlocklistEntry> {
  const out = new Map<string, BlocklistEntry>();
  const n = r.count(f, 9);
  for (let i = 0; i < n; i++) {
    const addr = decodeEntityAddr(r, `${f}.addr`);
    out.set(formatEntityAddr(addr), { addr, expires: decodeUtime(r, `${f}.expires`) });
  }
  return out;
}

/** OSDMap::decode (src/osd/OSDMap.cc): a full encoded OSDMap; checks the trailing crc when present. */
export function decodeOSDMap(bytes: Uint8Array): OSDMap {
  const r = new Reader(bytes);
  const start = r.offset;
  const v = bytes[0] ?? 0;
  if (v < 7) throw new DecodeError('OSDMap', 0, `classic (pre-Luminous) OSDMap encoding v${v} is not supported`);
  let crcFrontEnd = 0;
  let storedCrc = 0;
  const m = r.struct('OSDMap', 8, (r) => {
    const client = r.struct('OSDMap.client', 10, (r, cv) => {
      const fsid = decodeUuid(r, 'fsid');
      const epoch = r.u32('epoch');
      const created = decodeUtime(r, 'created');
      const modified = decodeUtime(r, 'modified');
      const pools = r.map(
        'pools',
        (r) => r.i64n('pool'),
        (r) => decodePgPool(r),
        8,
      );
      const poolNames = r.map(
        'pool_name',
        (r) => r.i64n('pool'),
        (r) => r.string('name'),
        12,
      );
      const poolMax = r.i32('pool_max');
      const flags = r.u32('flags');
      const maxOsd = r.i32('max_osd');
      const osdState = cv >= 5 ? u32Vec(r, 'osd_state') : r.array('osd_state', (r) => r.u8('state'), 1);
      const osdWeight = u32Vec(r, 'osd_weight');
      const osdAddrs = r.array('client_addrs', (r) => (cv >= 8 ? decodeEntityAddrvec(r, 'client_addr') : [decodeEntityAddr(r, 'client_addr')]), 1);
      const pgTemp = r.map(
        'pg_temp',
        (r) => decodePgKey(r, 'pg_temp.pg'),
        (r) => decodeI32Vec(r, 'pg_temp.osds'),
        21,
      );
      const primaryTemp = r.map(
        'primary_temp',
        (r) => decodePgKey(r, 'primary_temp.pg'),
        (r) => r.i32('primary_temp.osd'),
        21,
      );
      let primaryAffinity: number[] | undefined;
      if (cv >= 2) {
        const pa = u32Vec(r, 'osd_primary_affinity');
        primaryAffinity = pa.length > 0 ? pa : undefined;
      }
      const crush = r.blob('crush').slice();
      const erasureCodeProfiles =
        cv >= 3
          ? r.map(
              'erasure_code_profiles',
              (r) => r.string('name'),
              (r) => strMap(r, 'profile'),
              8,
            )
          : new Map();
      const pgUpmap =
        cv >= 4
          ? r.map(
              'pg_upmap',
              (r) => decodePgKey(r, 'pg_upmap.pg'),
              (r) => decodeI32Vec(r, 'pg_upmap.osds'),
              21,
            )
          : new Map();
      const pgUpmapItems =
        cv >= 4
          ? r.map(
              'pg_upmap_items',
              (r) => decodePgKey(r, 'pg_upmap_items.pg'),
              (r) => r.array('pg_upmap_items.pairs', (r) => [r.i32('from'), r.i32('to')] as [number, number], 8),
              21,
            )
          : new Map();
      const crushVersion = cv >= 6 ? r.i32('crush_version') : 1;
      const newRemovedSnaps = cv >= 7 ? decodePoolSnapIntervals(r, 'new_removed_snaps') : new Map();
      const newPurgedSnaps = cv >= 7 ? decodePoolSnapIntervals(r, 'new_purged_snaps') : new Map();
      const lastUpChange = cv >= 9 ? decodeUtime(r, 'last_up_change') : undefined;
      const lastInChange = cv >= 9 ? decodeUtime(r, 'last_in_change') : undefined;
      const pgUpmapPrimaries =
        cv >= 10
          ? r.map(
              'pg_upmap_primaries',
              (r) => decodePgKey(r, 'pg_upmap_primaries.pg'),
              (r) => r.i32('pg_upmap_primaries.osd'),
              21,
            )
          : new Map<number, number>();
      return {
        fsid,
        epoch,
        created,
        modified,
        pools,
        poolNames,
        poolMax,
        flags,
        maxOsd,
        osdState,
        osdWeight,
        osdAddrs,
        pgTemp,
        primaryTemp,
        primaryAffinity,
        crush,
        erasureCodeProfiles,
        pgUpmap,
        pgUpmapItems,
        pgUpmapPrimaries,
        crushVersion,
        newRemovedSnaps,
        newPurgedSnaps,
        lastUpChange,
        lastInChange,
        clientVersion: cv,
      };
    });
    const osd = r.struct('OSDMap.osd', 12, (r, ov) => {
      r.array('hb_back_addrs', (r) => decodeEntityAddrvec(r, 'hb_back_addr'), 1);
      // osd_info_t is not ENCODE_START-wrapped: u8 1 + six epochs (osd_types.cc).
      r.array('osd_info', (r) => r.skip(25, 'osd_info_t'), 25);
      const blocklist = decodeBlocklist(r, 'blocklist');
      r.array('cluster_addrs', (r) => decodeEntityAddrvec(r, 'cluster_addr'), 1);
      const clusterSnapshotEpoch = r.u32('cluster_snapshot_epoch');
      const clusterSnapshot = r.string('cluster_snapshot');
      const osdUuids = r.array('osd_uuid', (r) => decodeUuid(r, 'osd_uuid'), 16);
      r.array('osd_xinfo', (r) => r.struct('osd_xinfo_t', 4, () => undefined), 6);
      r.array('hb_front_addrs', (r) => decodeEntityAddrvec(r, 'hb_front_addr'), 1);
      const o = {
        blocklist,
        clusterSnapshotEpoch,
        clusterSnapshot,
        osdUuids,
        nearfullRatio: 0,
        fullRatio: 0,
        backfillfullRatio: 0,
        requireMinCompatClient: 0,
        requireOsdRelease: 0,
        removedSnapsQueue: new Map(),
        crushNodeFlags: new Map<number, number>(),
        deviceClassFlags: new Map<number, number>(),
        stretchModeEnabled: false,
        stretchBucketCount: 0,
        degradedStretchMode: 0,
        recoveringStretchMode: 0,
        stretchModeBucket: 0,
        rangeBlocklist: new Map<string, BlocklistEntry>(),
        allowCrimson: false,
        osdVersion: ov,
      };
      if (ov >= 2) {
        o.nearfullRatio = readF32(r, 'nearfull_ratio');
        o.fullRatio = readF32(r, 'full_ratio');
      }
      if (ov >= 3) o.backfillfullRatio = readF32(r, 'backfillfull_ratio');
      if (ov === 4) r.string('require_min_compat_client (string)');
      if (ov >= 5) {
        o.requireMinCompatClient = r.u8('require_min_compat_client');
        o.requireOsdRelease = r.u8('require_osd_release');
      }
      if (ov >= 6) o.removedSnapsQueue = decodePoolSnapIntervals(r, 'removed_snaps_queue');
      if (ov >= 8) o.crushNodeFlags = i32u32Map(r, 'crush_node_flags');
      if (ov >= 9) o.deviceClassFlags = i32u32Map(r, 'device_class_flags');
      if (ov >= 10) {
        o.stretchModeEnabled = r.bool('stretch_mode_enabled');
        o.stretchBucketCount = r.u32('stretch_bucket_count');
        o.degradedStretchMode = r.u32('degraded_stretch_mode');
        o.recoveringStretchMode = r.u32('recovering_stretch_mode');
        o.stretchModeBucket = r.i32('stretch_mode_bucket');
      }
      if (ov >= 11) o.rangeBlocklist = decodeBlocklist(r, 'range_blocklist');
      if (ov >= 12) o.allowCrimson = r.bool('allow_crimson');
      return o;
    });
    crcFrontEnd = r.offset;
    storedCrc = r.remaining >= 4 ? r.u32('OSDMap.crc') : 0;
    return { ...client, ...osd };
  });
  // The crc covers everything but itself (OSDMap::encode: front up to the crc, then the tail).
  if (crcFrontEnd > 0 && r.offset - crcFrontEnd >= 4) {
    let actual = crc32c(0xffffffff, bytes, start, crcFrontEnd);
    actual = crc32c(actual, bytes, crcFrontEnd + 4, r.offset);
    if (actual !== storedCrc) throw new DecodeError('OSDMap.crc', crcFrontEnd, `crc mismatch: map says 0x${storedCrc.toString(16)}, bytes give 0x${actual.toString(16)}`);
  }
  const { clientVersion, osdVersion, ...rest } = m;
  return { ...rest, encoding: { clientVersion, osdVersion } };
}
