// Names of the CEPH_FEATURE_* bits a peer advertises (src/include/ceph_features.h, as of Tentacle:
// DEFINE_CEPH_FEATURE lines; a bit several features share is listed under its first name). A bit
// reused after its retirement means the new feature only with its incarnation's marker bits set
// too (HAVE_FEATURE), and older releases still advertise some retired bits (Pacific's 31, its
// MON_SINGLE_PAXOS, is Reef's SERVER_REEF): the names are the current ones, the hex is the truth.

/** The current name of each feature bit; bits only ever retired carry their last name and "(retired)". */
const NAMES: readonly string[] = [
  'UID',
  'NOSRCADDR',
  'SERVER_NAUTILUS',
  'FLOCK',
  'SUBSCRIBE2',
  'MONNAMES',
  'RECONNECT_SEQ',
  'DIRLAYOUTHASH',
  'OBJECTLOCATOR',
  'PGID64',
  'INCSUBOSDMAP',
  'PGPOOL3',
  'OSDREPLYMUX',
  'OSDENC',
  'SERVER_KRAKEN',
  'MONENC',
  'SERVER_OCTOPUS',
  'OS_PERF_STAT_NS',
  'CRUSH_TUNABLES',
  'OSD_PGLOG_HARDLIMIT',
  'SERVER_PACIFIC',
  'SERVER_LUMINOUS',
  'OSD_FIXED_COLLECTION_LIST',
  'MSG_AUTH',
  'RECOVERY_RESERVATION_2',
  'CRUSH_TUNABLES2',
  'CREATEPOOLID',
  'REPLY_CREATE_INODE',
  'SERVER_MIMIC',
  'MDSENC',
  'OSDHASHPSPOOL',
  'SERVER_REEF',
  'STRETCH_MODE',
  'SERVER_QUINCY',
  'RANGE_BLOCKLIST',
  'OSD_CACHEPOOL',
  'CRUSH_V2',
  'EXPORT_PEER',
  'OSD_ERASURE_CODES (retired)',
  'OSDMAP_ENC',
  'MDS_INLINE_DATA',
  'CRUSH_TUNABLES3',
  'MSGR_KEEPALIVE2',
  'OSD_POOLRESEND',
  'ERASURE_CODE_PLUGINS_V2 (retired)',
  'OSD_SET_ALLOC_HINT (retired)',
  'OSD_FADVISE_FLAGS',
  'MDS_QUOTA',
  'CRUSH_V4',
  'SERVER_SQUID',
  'SERVER_TENTACLE',
  'OSD_BITWISE_HOBJ_SORT (retired)',
  'OSD_PROXY_WRITE_FEATURES (retired)',
  'ERASURE_CODE_PLUGINS_V3 (retired)',
  'OSD_HITSET_GMT (retired)',
  'HAMMER_0_94_4 (retired)',
  'NEW_OSDOP_ENCODING',
  'MON_STATEFUL_SUB',
  'CRUSH_TUNABLES5',
  'MSG_ADDR2',
  'OSD_RECOVERY_DELETES',
  'CEPHX_V2',
  'RESERVED',
  'RESERVED_BROKEN (retired)',
];

const bit = (n: number): bigint => 1n << BigInt(n);

/** The names of the bits set in `features`, lowest bit first. */
export function featureNames(features: bigint): string[] {
  const out: string[] = [];
  for (let i = 0; i < 64; i++) if (features & bit(i)) out.push(NAMES[i]!);
  return out;
}
