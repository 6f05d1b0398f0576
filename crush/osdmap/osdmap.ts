// The OSDMap as a client holds it (src/osd/OSDMap.h): pools, OSD states, weights, addresses,
// temp and upmap overrides, and the CRUSH map (kept encoded until placement needs it).
import type { EntityAddr } from '../../protocol/types/entity-addr.ts';
import type { UTime } from '../../protocol/types/utime.ts';
import type { PgPool } from './pg-pool.ts';
import type { PgKey } from './pg-key.ts';

/** CEPH_OSD_* state bits (src/include/rados.h). */
export const OsdState = { EXISTS: 1, UP: 2, AUTOOUT: 4, NEW: 8, FULL: 16, NEARFULL: 32, BACKFILLFULL: 64, DESTROYED: 128, NOUP: 256, NODOWN: 512, NOIN: 1024, NOOUT: 2048, STOP: 4096 } as const;
/** CEPH_OSD_IN / OUT weights (16.16 fixed point). */
export const OSD_IN = 0x10000;
export const OSD_OUT = 0;
export const DEFAULT_PRIMARY_AFFINITY = 0x10000;

export interface OsdMapData {
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
  crushVersion: number;
  lastUpChange: UTime | undefined;
  lastInChange: UTime | undefined;
  /** From the osd-only section. */
  osdUuids: string[];
  requireMinCompatClient: number;
  requireOsdRelease: number;
  /** Versions of the encoding this map came in (client-usable section, osd-only section). */
  encoding: { clientVersion: number; osdVersion: number };
}

export function osdExists(m: OsdMapData, osd: number): boolean {
  return osd >= 0 && osd < m.maxOsd && ((m.osdState[osd] ?? 0) & OsdState.EXISTS) !== 0;
}
export function osdIsUp(m: OsdMapData, osd: number): boolean {
  return osdExists(m, osd) && ((m.osdState[osd] ?? 0) & OsdState.UP) !== 0;
}
export function osdIsOut(m: OsdMapData, osd: number): boolean {
  return !osdExists(m, osd) || (m.osdWeight[osd] ?? 0) === OSD_OUT;
}
