// MGetPoolStats (src/messages/MGetPoolStats.h): paxos header (version: the newest pgmap
// version the client has seen, Objecter's last_seen_pgmap_version), fsid, list<string> pools.
// MGetPoolStatsReply (src/messages/MGetPoolStatsReply.h): paxos header, fsid,
// map<string, pool_stat_t>, and since header version 2 (Octopus) bool per_pool: whether the
// store_stats are per-pool object store reports (librados then counts allocated bytes from them).
// pool_stat_t, object_stat_collection_t, object_stat_sum_t and store_statfs_t are laid out as
// src/osd/osd_types.cc and osd_types.h encode them.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';
import { CLIENT_PAXOS_HEADER, decodePaxosHeader, encodePaxosHeader, type PaxosHeader } from './paxos-header.ts';

/** MGetPoolStats's message type and header versions. */
export const MGET_POOL_STATS = {
  /** MSG_GETPOOLSTATS. */
  type: 58,
  /** Header version (PaxosServiceMessage's default: MGetPoolStats has never had another). */
  version: 1,
  /** Header compat_version (as librados' messages carry it on the wire). */
  compatVersion: 1,
} as const;

/** MGetPoolStatsReply's message type and the header version that added `per_pool`. */
export const MGET_POOL_STATS_REPLY = {
  /** MSG_GETPOOLSTATSREPLY. */
  type: 59,
  /** Header version as Pacific through Tentacle send it (per_pool present). */
  version: 2,
  /** Header compat_version. */
  compatVersion: 0,
} as const;

/** An MGetPoolStats. */
export interface GetPoolStats {
  /** The cluster's fsid. */
  fsid: string;
  /** The pools asked about, by name. */
  pools: string[];
  /** The newest pgmap version seen in a reply (0 before the first). */
  version: bigint;
}

/** The front of an MGetPoolStats. */
export function encodeGetPoolStats(m: GetPoolStats): Uint8Array {
  const w = new Writer(64);
  encodePaxosHeader(w, { ...CLIENT_PAXOS_HEADER, version: m.version });
  encodeUuid(w, m.fsid);
  w.u32(m.pools.length);
  for (const p of m.pools) w.string(p);
  return w.finish();
}

/** Decodes the front of an MGetPoolStats. */
export function decodeGetPoolStats(front: Uint8Array): GetPoolStats {
  const r = new Reader(front);
  const { version } = decodePaxosHeader(r);
  const fsid = decodeUuid(r, 'MGetPoolStats.fsid');
  const pools = r.array('MGetPoolStats.pools', (x) => x.string('MGetPoolStats.pool'), 4);
  return { fsid, pools, version };
}

// object_stat_sum_t's fields in wire order (also its in-memory order, which v20's raw copy
// sends): name, width in bits, the struct version that added it. Versions 14..20 are all a
// decoder can meet (compat 14).
const SUM_FIELDS = [
  ['numBytes', 64, 14],
  ['numObjects', 64, 14],
  ['numObjectClones', 64, 14],
  ['numObjectCopies', 64, 14],
  ['numObjectsMissingOnPrimary', 64, 14],
  ['numObjectsDegraded', 64, 14],
  ['numObjectsUnfound', 64, 14],
  ['numRd', 64, 14],
  ['numRdKb', 64, 14],
  ['numWr', 64, 14],
  ['numWrKb', 64, 14],
  ['numScrubErrors', 64, 14],
  ['numObjectsRecovered', 64, 14],
  ['numBytesRecovered', 64, 14],
  ['numKeysRecovered', 64, 14],
  ['numShallowScrubErrors', 64, 14],
  ['numDeepScrubErrors', 64, 14],
  ['numObjectsDirty', 64, 14],
  ['numWhiteouts', 64, 14],
  ['numObjectsOmap', 64, 14],
  ['numObjectsHitSetArchive', 64, 14],
  ['numObjectsMisplaced', 64, 14],
  ['numBytesHitSetArchive', 64, 14],
  ['numFlush', 64, 14],
  ['numFlushKb', 64, 14],
  ['numEvict', 64, 14],
  ['numEvictKb', 64, 14],
  ['numPromote', 64, 14],
  ['numFlushModeHigh', 32, 14],
  ['numFlushModeLow', 32, 14],
  ['numEvictModeSome', 32, 14],
  ['numEvictModeFull', 32, 14],
  ['numObjectsPinned', 64, 14],
  ['numObjectsMissing', 64, 14],
  ['numLegacySnapsets', 64, 16],
  ['numLargeOmapObjects', 64, 17],
  ['numObjectsManifest', 64, 18],
  ['numOmapBytes', 64, 19],
  ['numOmapKeys', 64, 19],
  ['numObjectsRepaired', 64, 20],
] as const;

/** The newest object_stat_sum_t we read (and the one we write). */
const SUM_VERSION = 20;

/** One object_stat_sum_t field's name. */
export type ObjectStatSumField = (typeof SUM_FIELDS)[number][0];

/** object_stat_sum_t: a PG's or pool's object counters (osd_types.h), every field as a signed 64-bit count. */
export type ObjectStatSum = Record<ObjectStatSumField, bigint>;

/** store_statfs_t (osd_types.h): what the object stores report, in bytes. */
export interface StoreStatfs {
  /** Total bytes. */
  total: bigint;
  /** Free bytes available. */
  available: bigint;
  /** Bytes reserved for internal purposes. */
  internallyReserved: bigint;
  /** Bytes allocated by the store. */
  allocated: bigint;
  /** Bytes the user stored. */
  dataStored: bigint;
  /** Bytes stored after compression. */
  dataCompressed: bigint;
  /** Bytes allocated for compressed data. */
  dataCompressedAllocated: bigint;
  /** Bytes that were compressed. */
  dataCompressedOriginal: bigint;
  /** Approximate omap usage. */
  omapAllocated: bigint;
  /** Approximate internal metadata usage. */
  internalMetadata: bigint;
}

const STATFS_FIELDS = [
  'total',
  'available',
  'internallyReserved',
  'allocated',
  'dataStored',
  'dataCompressed',
  'dataCompressedAllocated',
  'dataCompressedOriginal',
  'omapAllocated',
  'internalMetadata',
] as const satisfies ReadonlyArray<keyof StoreStatfs>;

/** pool_stat_t: a pool's summed PG stats and object store usage, as the monitors send it. */
export interface PoolStat {
  /** stats.sum (object_stat_collection_t's only live member). */
  sum: ObjectStatSum;
  /** Summed PG log lengths. */
  logSize: bigint;
  /** Summed on-disk PG log lengths. */
  ondiskLogSize: bigint;
  /** Up replicas or shards over the pool's PGs. */
  up: number;
  /** Acting replicas or shards over the pool's PGs. */
  acting: number;
  /** Summed per-pool object store reports. */
  storeStats: StoreStatfs;
  /** How many object store reports `storeStats` sums. */
  numStoreStats: number;
}

/** An MGetPoolStatsReply. */
export interface GetPoolStatsReply {
  /** The paxos header: its version is the pgmap version the monitor answered from. */
  header: PaxosHeader;
  /** The cluster's fsid. */
  fsid: string;
  /** The pools found, by name (a pool asked about that does not exist is left out). */
  poolStats: Map<string, PoolStat>;
  /** Whether storeStats are per-pool object store reports (absent before header version 2: false). */
  perPool: boolean;
}

function zeroSum(): ObjectStatSum {
  return Object.fromEntries(SUM_FIELDS.map(([name]) => [name, 0n])) as ObjectStatSum;
}

function zeroStatfs(): StoreStatfs {
  return Object.fromEntries(STATFS_FIELDS.map((f) => [f, 0n])) as unknown as StoreStatfs;
}

function decodeSum(r: Reader): ObjectStatSum {
  return r.struct('object_stat_sum_t', SUM_VERSION, (x, v) => {
    const sum = {} as ObjectStatSum;
    for (const [name, bits, since] of SUM_FIELDS) {
      sum[name] = v < since ? 0n : bits === 64 ? x.i64(`object_stat_sum_t.${name}`) : BigInt(x.i32(`object_stat_sum_t.${name}`));
    }
    return sum;
  });
}

function decodePoolStat(r: Reader): PoolStat {
  // v4 and older (pre-Firefly monitors, no OSDENC feature) had another layout; compat 5 since.
  return r.struct('pool_stat_t', 7, (x, v) => {
    if (v < 5) x.fail('pool_stat_t', `version ${v} predates the versioned encoding`);
    const sum = x.struct('object_stat_collection_t', 2, (c) => decodeSum(c));
    const logSize = x.i64('pool_stat_t.log_size');
    const ondiskLogSize = x.i64('pool_stat_t.ondisk_log_size');
    const up = v >= 6 ? x.i32('pool_stat_t.up') : 0;
    const acting = v >= 6 ? x.i32('pool_stat_t.acting') : 0;
    const storeStats = zeroStatfs();
    let numStoreStats = 0;
    if (v >= 7) {
      x.struct('store_statfs_t', 1, (s) => {
        for (const f of STATFS_FIELDS) storeStats[f] = s.i64(`store_statfs_t.${f}`);
      });
      numStoreStats = x.i32('pool_stat_t.num_store_stats');
    }
    return { sum, logSize, ondiskLogSize, up, acting, storeStats, numStoreStats };
  });
}

/** Decodes the front of an MGetPoolStatsReply; `headerVersion` is the message header's (per_pool since 2). */
export function decodeGetPoolStatsReply(front: Uint8Array, headerVersion: number): GetPoolStatsReply {
  const r = new Reader(front);
  const header = decodePaxosHeader(r);
  const fsid = decodeUuid(r, 'MGetPoolStatsReply.fsid');
  const poolStats = r.map('MGetPoolStatsReply.pool_stats', (x) => x.string('pool name'), decodePoolStat, 10);
  const perPool = headerVersion >= 2 ? r.bool('MGetPoolStatsReply.per_pool') : false;
  return { header, fsid, poolStats, perPool };
}

/** Encodes an MGetPoolStatsReply's front as a monitor does (header version 2; for tests and captures). */
export function encodeGetPoolStatsReply(m: GetPoolStatsReply): Uint8Array {
  const w = new Writer(256);
  encodePaxosHeader(w, m.header);
  encodeUuid(w, m.fsid);
  w.u32(m.poolStats.size);
  for (const [name, s] of m.poolStats) {
    w.string(name);
    w.struct(7, 5, (p) => {
      p.struct(2, 2, (c) => {
        c.struct(SUM_VERSION, 14, (x) => {
          for (const [field, bits] of SUM_FIELDS) {
            if (bits === 64) x.i64(s.sum[field]);
            else x.i32(Number(s.sum[field]));
          }
        });
        c.u32(0); // the long-gone per-category map, always empty
      });
      p.i64(s.logSize).i64(s.ondiskLogSize).i32(s.up).i32(s.acting);
      p.struct(1, 1, (x) => {
        for (const f of STATFS_FIELDS) x.i64(s.storeStats[f]);
      });
      p.i32(s.numStoreStats);
    });
  }
  w.bool(m.perPool);
  return w.finish();
}

/** A pool's usage as librados reports it (Python `Ioctx.get_stats`, rados_pool_stat_t). */
export interface PoolStats {
  /** Bytes the pool uses (allocated data and omap). */
  numBytes: bigint;
  /** `numBytes` in KiB, rounded up. */
  numKb: bigint;
  /** Objects in the pool. */
  numObjects: bigint;
  /** Object clones (snapshots). */
  numObjectClones: bigint;
  /** Object copies (objects times replicas). */
  numObjectCopies: bigint;
  /** Objects missing on their primary. */
  numObjectsMissingOnPrimary: bigint;
  /** Unfound objects. */
  numObjectsUnfound: bigint;
  /** Degraded objects (librados adds the misplaced ones). */
  numObjectsDegraded: bigint;
  /** Read operations. */
  numRd: bigint;
  /** KiB read. */
  numRdKb: bigint;
  /** Write operations. */
  numWr: bigint;
  /** KiB written. */
  numWrKb: bigint;
}

/**
 * A pool_stat_t as rados_ioctx_pool_stat reports it (src/librados/librados_c.cc): bytes are the
 * allocated data plus omap bytes — from the per-pool store reports when the reply says
 * per_pool, else from the PG sums (num_bytes + num_bytes_hit_set_archive, num_omap_bytes) — and
 * degraded counts the misplaced objects too.
 */
export function poolStatsOf(s: PoolStat | undefined, perPool: boolean): PoolStats {
  // A pool missing from the reply reads as zeros (librados indexes its result map, which adds one).
  if (s === undefined) s = { sum: zeroSum(), logSize: 0n, ondiskLogSize: 0n, up: 0, acting: 0, storeStats: zeroStatfs(), numStoreStats: 0 };
  const sum = s.sum;
  const data = perPool ? s.storeStats.allocated : sum.numBytes + sum.numBytesHitSetArchive;
  const omap = perPool ? s.storeStats.omapAllocated : sum.numOmapBytes;
  // uint64_t in librados: wrap as C does should a sum be negative.
  const numBytes = BigInt.asUintN(64, data + omap);
  return {
    numBytes,
    numKb: (numBytes + 1023n) >> 10n,
    numObjects: sum.numObjects,
    numObjectClones: sum.numObjectClones,
    numObjectCopies: sum.numObjectCopies,
    numObjectsMissingOnPrimary: sum.numObjectsMissingOnPrimary,
    numObjectsUnfound: sum.numObjectsUnfound,
    numObjectsDegraded: sum.numObjectsDegraded + sum.numObjectsMisplaced,
    numRd: sum.numRd,
    numRdKb: sum.numRdKb,
    numWr: sum.numWr,
    numWrKb: sum.numWrKb,
  };
}
