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
  /** The blocklisted client address (its nonce distinguishes one client instance). */
  addr: EntityAddr;
  /** When the entry lapses and the client may talk to the OSDs again. */
  expires: UTime;
}

/** CEPH_OSD_* state bits (src/include/rados.h). */
export const OsdState = {
  /** CEPH_OSD_EXISTS: the id is allocated. */
  EXISTS: 1,
  /** CEPH_OSD_UP: the OSD is running and reachable. */
  UP: 2,
  /** CEPH_OSD_AUTOOUT: the monitor marked the OSD out after it stayed down. */
  AUTOOUT: 4,
  /** CEPH_OSD_NEW: created but never booted. */
  NEW: 8,
  /** CEPH_OSD_FULL: past the full ratio. */
  FULL: 16,
  /** CEPH_OSD_NEARFULL: past the nearfull ratio. */
  NEARFULL: 32,
  /** CEPH_OSD_BACKFILLFULL: past the backfillfull ratio; refuses backfill. */
  BACKFILLFULL: 64,
  /** CEPH_OSD_DESTROYED: destroyed (`ceph osd destroy`); the id awaits reuse. */
  DESTROYED: 128,
  /** CEPH_OSD_NOUP: this OSD may not be marked up. */
  NOUP: 256,
  /** CEPH_OSD_NODOWN: this OSD may not be marked down. */
  NODOWN: 512,
  /** CEPH_OSD_NOIN: this OSD may not be marked in. */
  NOIN: 1024,
  /** CEPH_OSD_NOOUT: this OSD may not be marked out. */
  NOOUT: 2048,
  /** CEPH_OSD_STOP: the OSD was stopped (`ceph osd stop`) and must not boot. */
  STOP: 4096,
} as const;
/** CEPH_OSD_IN / OUT weights (16.16 fixed point). */
export const OSD_IN = 0x10000;
/** CEPH_OSD_OUT: an out OSD's weight; it holds no data. */
export const OSD_OUT = 0;
/**
 * CEPH_OSD_DEFAULT_PRIMARY_AFFINITY: 1.0 in 16.16 fixed point; every OSD may be primary as often as CRUSH picks
 * it.
 */
export const DEFAULT_PRIMARY_AFFINITY = 0x10000;

/** OSDMap (src/osd/OSDMap.h): the full map as a client decodes it. */
export interface OSDMap {
  /** OSDMap::fsid: the cluster's fsid, as a UUID string. */
  fsid: string;
  /** OSDMap::epoch: the map's version; each change bumps it by one. */
  epoch: number;
  /** OSDMap::created: when the cluster's first OSDMap was created. */
  created: UTime;
  /** OSDMap::modified: when this epoch was made. */
  modified: UTime;
  /** OSDMap::pools: pool id → pool. */
  pools: Map<number, PgPool>;
  /** OSDMap::pool_name: pool id → pool name. */
  poolNames: Map<number, string>;
  /** OSDMap::pool_max: the highest pool id ever used; new pools get higher ids. */
  poolMax: number;
  /** OSDMap::flags: cluster-wide CEPH_OSDMAP_* flags (src/include/rados.h), e.g. FULL, PAUSERD, PAUSEWR, NOUP. */
  flags: number;
  /** OSDMap::max_osd: OSD ids are below this; osdState, osdWeight and osdAddrs have this length. */
  maxOsd: number;
  /** OSDMap::osd_state: per-OSD OsdState bits. */
  osdState: number[];
  /** OSDMap::osd_weight: per-OSD in/out weight, 16.16 fixed point (OSD_IN = fully in, OSD_OUT = out). */
  osdWeight: number[];
  /** Public (client) addresses of each OSD. */
  osdAddrs: EntityAddr[][];
  /** OSDMap::pg_temp: PG → a temporary acting set that overrides CRUSH while data moves. */
  pgTemp: Map<PgKey, number[]>;
  /** OSDMap::primary_temp: PG → a temporary primary OSD. */
  primaryTemp: Map<PgKey, number>;
  /** Per-OSD primary affinity, or undefined when every OSD has the default. */
  primaryAffinity: number[] | undefined;
  /** The encoded CRUSH map (CrushWrapper::encode). */
  crush: Uint8Array;
  /** OSDMap::erasure_code_profiles: profile name → its key/value settings (plugin, k, m, …). */
  erasureCodeProfiles: Map<string, Map<string, string>>;
  /** OSDMap::pg_upmap: PG → an explicit up set replacing CRUSH's (`ceph osd pg-upmap`). */
  pgUpmap: Map<PgKey, number[]>;
  /**
   * OSDMap::pg_upmap_items: PG → [from, to] OSD replacements applied to CRUSH's up set (`ceph osd pg-upmap-
   * items`).
   */
  pgUpmapItems: Map<PgKey, Array<[number, number]>>;
  /** Reef+ read balancer (`ceph osd pg-upmap-primary`): PG → the OSD to make its primary. */
  pgUpmapPrimaries: Map<PgKey, number>;
  /** OSDMap::crush_version: bumped each time the CRUSH map changes. */
  crushVersion: number;
  /** Snapshots removed/purged in this epoch, per pool (interval sets as [start, length]). */
  newRemovedSnaps: Map<number, SnapIntervals>;
  /** OSDMap::new_purged_snaps: per pool, snapshots whose data the OSDs finished purging in this epoch. */
  newPurgedSnaps: Map<number, SnapIntervals>;
  /** OSDMap::last_up_change: when an OSD last went up or down; undefined if the map does not carry it. */
  lastUpChange: UTime | undefined;
  /** OSDMap::last_in_change: when an OSD last went in or out; undefined if the map does not carry it. */
  lastInChange: UTime | undefined;
  /** From the osd-only section. */
  blocklist: Map<string, BlocklistEntry>;
  /** OSDMap::cluster_snapshot_epoch: epoch of a requested cluster snapshot (obsolete feature); 0 if none. */
  clusterSnapshotEpoch: number;
  /** OSDMap::cluster_snapshot: name of a requested cluster snapshot (obsolete feature); empty if none. */
  clusterSnapshot: string;
  /** OSDMap::osd_uuid: per-OSD UUID strings (osd-only section). */
  osdUuids: string[];
  /** OSDMap::nearfull_ratio: used fraction of an OSD at which the cluster warns (e.g. 0.85). */
  nearfullRatio: number;
  /** OSDMap::full_ratio: used fraction of an OSD at which writes stop (e.g. 0.95). */
  fullRatio: number;
  /** OSDMap::backfillfull_ratio: used fraction of an OSD above which it refuses backfill (e.g. 0.90). */
  backfillfullRatio: number;
  /** ceph_release_t numbers (ceph-release.ts names them). */
  requireMinCompatClient: number;
  /** OSDMap::require_osd_release: the oldest release an OSD may run to join the cluster. */
  requireOsdRelease: number;
  /** Snapshots removed but not yet purged, per pool (osd-only v6+). */
  removedSnapsQueue: Map<number, SnapIntervals>;
  /** `ceph osd set-group` flags (CEPH_OSD_NOUP …) on CRUSH nodes and on device classes (v8, v9). */
  crushNodeFlags: Map<number, number>;
  /** Flags per device class id, as crushNodeFlags holds them per CRUSH node. */
  deviceClassFlags: Map<number, number>;
  /** Stretch mode (osd-only v10, encoded when enabled). */
  stretchModeEnabled: boolean;
  /**
   * OSDMap::stretch_bucket_count: how many CRUSH buckets of stretchModeBucket's type the cluster is stretched
   * across.
   */
  stretchBucketCount: number;
  /** OSDMap::degraded_stretch_mode: non-zero while a site is down (the count of remaining sites). */
  degradedStretchMode: number;
  /** OSDMap::recovering_stretch_mode: non-zero while recovering after a lost site returns. */
  recoveringStretchMode: number;
  /** OSDMap::stretch_mode_bucket: the CRUSH bucket type (e.g. datacenter) stretch mode divides by. */
  stretchModeBucket: number;
  /** `ceph osd blocklist range add` entries (v11, encoded when any). */
  rangeBlocklist: Map<string, BlocklistEntry>;
  /** `ceph osd set-allow-crimson` (v12, encoded when set). */
  allowCrimson: boolean;
  /** Versions of the encoding this map came in (client-usable section, osd-only section). */
  encoding: {
    /** Struct version of the client-usable section. */
    clientVersion: number;
    /** Struct version of the osd-only section. */
    osdVersion: number;
  };
}

/** OSDMap::exists: the id is below maxOsd and the OSD has the EXISTS bit. */
export function osdExists(m: OSDMap, osd: number): boolean {
  return osd >= 0 && osd < m.maxOsd && ((m.osdState[osd] ?? 0) & OsdState.EXISTS) !== 0;
}
/** OSDMap::is_up: the OSD exists and is marked up. */
export function osdIsUp(m: OSDMap, osd: number): boolean {
  return osdExists(m, osd) && ((m.osdState[osd] ?? 0) & OsdState.UP) !== 0;
}
/** OSDMap::is_out: the OSD does not exist or has weight OSD_OUT. */
export function osdIsOut(m: OSDMap, osd: number): boolean {
  return !osdExists(m, osd) || (m.osdWeight[osd] ?? 0) === OSD_OUT;
}
