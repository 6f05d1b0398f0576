// MOSDMap (src/messages/MOSDMap.h): fsid, map<epoch, bl> incremental_maps, map<epoch, bl> maps,
// then (v2+) oldest_map, newest_map, and later fields we skip (gap_removed_snaps, v4+).
import { Reader } from '../encoding/reader.ts';
import { decodeUuid } from '../types/uuid.ts';

export interface OsdMapMessage {
  fsid: string;
  incrementals: Map<number, Uint8Array>;
  fulls: Map<number, Uint8Array>;
  oldest: number;
  newest: number;
}

export function decodeOsdMapMessage(front: Uint8Array, version: number): OsdMapMessage {
  const r = new Reader(front);
  const fsid = decodeUuid(r, 'MOSDMap.fsid');
  const incrementals = r.map('MOSDMap.incremental_maps', (r) => r.u32('epoch'), (r) => r.blob('incremental'), 8);
  const fulls = r.map('MOSDMap.maps', (r) => r.u32('epoch'), (r) => r.blob('map'), 8);
  let oldest = 0;
  let newest = 0;
  if (version >= 2) {
    oldest = r.u32('MOSDMap.oldest_map');
    newest = r.u32('MOSDMap.newest_map');
  }
  return { fsid, incrementals, fulls, oldest, newest };
}
