// MMgrMap (src/messages/MMgrMap.h): the front is a MgrMap (src/mon/MgrMap.h, MgrMap::encode,
// v6+ since Nautilus). A client needs only its head — which manager is active and where — as
// MgrClient does to open its session: epoch, active_addrs, active_gid, available, active_name;
// the rest (standbys, modules, services) is skipped with the struct.
import { Reader } from '../encoding/reader.ts';
import { decodeEntityAddrvec, type EntityAddr } from '../types/entity-addr.ts';

/** The head of a MgrMap: the active manager. */
export interface MgrMapHead {
  /** The map's epoch. */
  epoch: number;
  /** The active manager's addresses (empty when there is none). */
  activeAddrs: EntityAddr[];
  /** The active manager's global id. */
  activeGid: bigint;
  /** Whether the active manager is available (has started its modules' server). */
  available: boolean;
  /** The active manager's name ("x" of mgr.x). */
  activeName: string;
}

/** Decodes the head of an MMgrMap's front. */
export function decodeMgrMapHead(front: Uint8Array): MgrMapHead {
  return new Reader(front).struct('MgrMap', 14, (r, v) => {
    if (v < 6) r.fail('MgrMap', `version ${v} predates Nautilus's encoding`);
    return {
      epoch: r.u32('MgrMap.epoch'),
      activeAddrs: decodeEntityAddrvec(r, 'MgrMap.active_addrs'),
      activeGid: r.u64('MgrMap.active_gid'),
      available: r.bool('MgrMap.available'),
      activeName: r.string('MgrMap.active_name'),
    };
  });
}
