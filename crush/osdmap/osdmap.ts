// The OSDMap as a client holds it (src/osd/OSDMap.h): pools, OSD states, weights, addresses,
// temp and upmap overrides, and the CRUSH map (kept encoded until placement needs it).
import type { EntityAddr } from '../../protocol/types/entity-addr.ts';
import type { UTime } from '../../protocol/types/utime.ts';
import type { PgPool } from './pg-pool.ts';
import type { PgKey } from './pg-key.ts';

/** interval_set<snapid_t> as [start, length] pairs, ascending. */
export type SnapIntervals = Array<[bigint, bigint]>;

/** A blocklist entry, keyed in the map by formatEntityAddr(addr). */
export interface BlocklistEntry {
  addr: EntityAddr;
  expires: UTime;
}

/** CEPH_OSD_* state bits (src/include/rados.h). */
export const OsdState = { EXISTS: 1, UP: 2, AUTOOUT: 4, NEW: 8, FULL: 16, NEARFULL: 32, BACKFILLFULL: 64, DESTROYED: 128, NOUP: 256, NODOWN: 512, NOIN: 1024, NOOUT: 2048, STOP: 4096 } as const;
/** CEPH_OSD_IN / OUT weights (16.16 fixed point). */
export const OSD_IN = 0x10000;
export const OSD_OUT = 0;
export const DEFAULT_PRIMARY_AFFINITY = 0x10000;

export interface OSDMap {
  fsid: string;
  epoch: number;
  created: UTime;
  modified: UTime;
  pools: Map<number, PgPool>;
  poolNames: Map<number, string>;
  poolMax: number;
  flags: number;
  maxOsd: number;
  osdState: number[];
  osdWeight: number[];
  /** Public (client) addresses of each OSD. */
  osdAddrs: EntityAddr[][];
  pgTemp: Map<PgKey, number[]>;
  primaryTemp: Map<PgKey, number>;
  /** Per-OSD primary affinity, or undefined when every OSD has the default. */
  primaryAffinity: number[] | undefined;
  /** The encoded CRUSH map (CrushWrapper::encode). */
  crush: Uint8Array;
  erasureCodeProfiles: Map<string, Map<string, string>>;
  pgUpmap: Map<PgKey, number[]>;
  pgUpmapItems: Map<PgKey, Array<[number, number]>>;
  /** Reef+ read balancer (`ceph osd pg-upmap-primary`): PG → the OSD to make its primary. */
  pgUpmapPrimaries: Map<PgKey, number>;
  crushVersion: number;
  /** Snapshots removed/purged in this epoch, per pool (interval sets as [start, length]). */
  newRemovedSnaps: Map<number, SnapIntervals>;
  newPurgedSnaps: Map<number, SnapIntervals>;
  lastUpChange: UTime | undefined;
  lastInChange: UTime | undefined;
  /** From the osd-only section. */
  blocklist: Map<string, BlocklistEntry>;
  clusterSnapshotEpoch: number;
  clusterSnapshot: string;
  osdUuids: string[];
  nearfullRatio: number;
  fullRatio: number;
  backfillfullRatio: number;
  /** ceph_release_t numbers (ceph-release.ts names them). */
  requireMinCompatClient: number;
  requireOsdRelease: number;
  /** Snapshots removed but not yet purged, per pool (osd-only v6+). */
  removedSnapsQueue: Map<number, SnapIntervals>;
  /** `ceph osd set-group` flags (CEPH_OSD_NOUP …) on CRUSH nodes and on device classes (v8, v9). */
  crushNodeFlags: Map<number, number>;
  deviceClassFlags: Map<number, number>;
  /** Stretch mode (osd-only v10, encoded when enabled). */
  stretchModeEnabled: boolean;
  stretchBucketCount: number;
  degradedStretchMode: number;
  recoveringStretchMode: number;
  stretchModeBucket: number;
  /** `ceph osd blocklist range add` entries (v11, encoded when any). */
  rangeBlocklist: Map<string, BlocklistEntry>;
  /** `ceph osd set-allow-crimson` (v12, encoded when set). */
  allowCrimson: boolean;
  /** Versions of the encoding this map came in (client-usable section, osd-only section). */
  encoding: { clientVersion: number; osdVersion: number };
}

export function osdExists(m: OSDMap, osd: number): boolean {
  return osd >= 0 && osd < m.maxOsd && ((m.osdState[osd] ?? 0) & OsdState.EXISTS) !== 0;
}
export function osdIsUp(m: OSDMap, osd: number): boolean {
  return osdExists(m, osd) && ((m.osdState[osd] ?? 0) & OsdState.UP) !== 0;
}
export function osdIsOut(m: OSDMap, osd: number): boolean {
  return !osdExists(m, osd) || (m.osdWeight[osd] ?? 0) === OSD_OUT;
}
