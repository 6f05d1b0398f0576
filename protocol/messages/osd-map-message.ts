// MOSDMap (src/messages/MOSDMap.h): fsid, map<epoch, bl> incremental_maps, map<epoch, bl> maps,
// then (v2+) oldest_map, newest_map, and later fields we skip (gap_removed_snaps, v4+).
import { Reader } from '../encoding/reader.ts';
import { decodeUuid } from '../types/uuid.ts';

/** MOSDMap (src/messages/MOSDMap.h): OSDMaps a monitor or OSD sends, still encoded. */
export interface OsdMapMessage {
  /** MOSDMap::fsid: the cluster's fsid (UUID string). */
  fsid: string;
  /** MOSDMap::incremental_maps: epoch → encoded OSDMap::Incremental (decodeIncremental decodes one). */
  incrementals: Map<number, Uint8Array>;
  /** MOSDMap::maps: epoch → encoded full OSDMap (decodeOSDMap decodes one). */
  fulls: Map<number, Uint8Array>;
  /**
   * MOSDMap::oldest_map (cluster_osdmap_trim_lower_bound since Reef): the oldest epoch the sender still has; 0
   * before v2.
   */
  oldest: number;
  /** MOSDMap::newest_map: the newest epoch the sender knows of; 0 before v2. */
  newest: number;
}

/** Decodes the front of an MOSDMap of header version `version`. */
export function decodeOsdMapMessage(front: Uint8Array, version: number): OsdMapMessage {
  const r = new Reader(front);
  const fsid = decodeUuid(r, 'MOSDMap.fsid');
  const incrementals = r.map(
    'MOSDMap.incremental_maps',
    (r) => r.u32('epoch'),
    (r) => r.blob('incremental'),
    8,
  );
  const fulls = r.map(
    'MOSDMap.maps',
    (r) => r.u32('epoch'),
    (r) => r.blob('map'),
    8,
  );
  let oldest = 0;
  let newest = 0;
  if (version >= 2) {
    oldest = r.u32('MOSDMap.oldest_map');
    newest = r.u32('MOSDMap.newest_map');
  }
  return { fsid, incrementals, fulls, oldest, newest };
}
