// An OSDMap as two peers can compare it: the monitor encodes each pg_pool_t for its peer (v29 to
// us, without SERVER_TENTACLE; v32 in a Tentacle `ceph osd getmap`, which adds
// nonprimary_shards), so the encoding versions and that field are left out; all else must match.
import type { OSDMap } from '../../crush/osdmap/osdmap.ts';

export function comparableMap(m: OSDMap): unknown {
  const pools = new Map([...m.pools].map(([id, p]) => [id, { ...p, version: undefined, nonprimaryShards: undefined }]));
  return { ...m, encoding: undefined, pools };
}
