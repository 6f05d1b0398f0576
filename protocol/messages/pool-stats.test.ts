// MGetPoolStats and MGetPoolStatsReply bytes, laid out by hand from src/messages/MGetPoolStats*.h
// and src/osd/osd_types.{h,cc} (the live captures are in test/integration/pool-stats.test.ts):
// the request, a reply with pool_stat_t v7 / object_stat_sum_t v20, an older pool_stat_t v6 /
// sum v19 from a header v1 reply, and the counters librados derives in both per_pool modes.
import { describe, expect, it } from 'vitest';
import { Writer } from '../encoding/writer.ts';
import { decodeGetPoolStats, decodeGetPoolStatsReply, encodeGetPoolStats, encodeGetPoolStatsReply, poolStatsOf } from './pool-stats.ts';

const FSID = '01234567-89ab-cdef-0011-223344556677';
const FSID_BYTES = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];

/** object_stat_sum_t's body: 28 le64, 4 le32, then le64s up to the version's last field; field i (0-based) holds i + 1. */
function sumBody(w: Writer, version: number): void {
  let n = 1;
  for (let i = 0; i < 28; i++) w.i64(n++);
  for (let i = 0; i < 4; i++) w.i32(n++);
  const tail = { 19: 7, 20: 8 }[version]!;
  for (let i = 0; i < tail; i++) w.i64(n++);
}

/** One pool_stat_t, versioned as given, with the monitor's store stats 100..109. */
function poolStat(w: Writer, version: number, sumVersion: number): void {
  w.struct(version, 5, (p) => {
    p.struct(2, 2, (c) => {
      c.struct(sumVersion, 14, (s) => sumBody(s, sumVersion));
      c.u32(0);
    });
    p.i64(1000).i64(2000);
    if (version >= 6) p.i32(3).i32(4);
    if (version >= 7) {
      p.struct(1, 1, (s) => {
        for (let i = 0; i < 10; i++) s.i64(100 + i);
      });
      p.i32(5);
    }
  });
}

function paxos(w: Writer, version: bigint): Writer {
  return w.u64(version).i16(-1).u64(0n);
}

describe('MGetPoolStats', () => {
  it('paxos header with the last seen pgmap version, fsid, list<string> pools', () => {
    const front = encodeGetPoolStats({ fsid: FSID, pools: ['a', 'bc'], version: 42n });
    const expected = paxos(new Writer(), 42n).bytes(new Uint8Array(FSID_BYTES)).u32(2).u32(1).u8(0x61).u32(2).u8(0x62).u8(0x63).finish();
    expect(front).toEqual(expected);
    expect(decodeGetPoolStats(front)).toEqual({ fsid: FSID, pools: ['a', 'bc'], version: 42n });
  });
});

describe('MGetPoolStatsReply', () => {
  it('header v2: pool_stat_t v7 with store stats, sum v20, per_pool; encodes back to the same bytes', () => {
    const w = paxos(new Writer(), 9n).bytes(new Uint8Array(FSID_BYTES)).u32(1).string('rbd');
    poolStat(w, 7, 20);
    const front = w.bool(true).finish();
    const r = decodeGetPoolStatsReply(front, 2);
    expect(r.header.version).toBe(9n);
    expect(r.fsid).toBe(FSID);
    expect(r.perPool).toBe(true);
    const s = r.poolStats.get('rbd')!;
    expect([s.sum.numBytes, s.sum.numObjects, s.sum.numWrKb, s.sum.numObjectsMisplaced, s.sum.numBytesHitSetArchive]).toEqual([1n, 2n, 11n, 22n, 23n]);
    expect([s.sum.numFlushModeHigh, s.sum.numEvictModeFull, s.sum.numObjectsPinned]).toEqual([29n, 32n, 33n]);
    expect([s.sum.numOmapBytes, s.sum.numOmapKeys, s.sum.numObjectsRepaired]).toEqual([38n, 39n, 40n]);
    expect([s.logSize, s.ondiskLogSize, s.up, s.acting, s.numStoreStats]).toEqual([1000n, 2000n, 3, 4, 5]);
    expect([s.storeStats.total, s.storeStats.allocated, s.storeStats.omapAllocated, s.storeStats.internalMetadata]).toEqual([100n, 103n, 108n, 109n]);
    expect(encodeGetPoolStatsReply(r)).toEqual(front);
  });

  it('header v1: no per_pool byte; pool_stat_t v6 (no store stats) and sum v19 read with zeros for what they lack', () => {
    const w = paxos(new Writer(), 3n).bytes(new Uint8Array(FSID_BYTES)).u32(1).string('p');
    poolStat(w, 6, 19);
    const r = decodeGetPoolStatsReply(w.finish(), 1);
    expect(r.perPool).toBe(false);
    const s = r.poolStats.get('p')!;
    expect([s.sum.numOmapKeys, s.sum.numObjectsRepaired, s.numStoreStats, s.storeStats.allocated]).toEqual([39n, 0n, 0, 0n]);
  });

  it('librados counts: allocated store bytes when per_pool, else PG sums; degraded includes misplaced; KiB rounded up', () => {
    const w = paxos(new Writer(), 1n).bytes(new Uint8Array(FSID_BYTES)).u32(1).string('p');
    poolStat(w, 7, 20);
    const s = decodeGetPoolStatsReply(w.bool(false).finish(), 2).poolStats.get('p')!;
    // per_pool: allocated 103 + omap_allocated 108.
    expect(poolStatsOf(s, true)).toMatchObject({ numBytes: 211n, numKb: 1n, numObjectsDegraded: 6n + 22n, numRd: 8n, numWrKb: 11n });
    // legacy: num_bytes 1 + num_bytes_hit_set_archive 23 + num_omap_bytes 38.
    expect(poolStatsOf(s, false)).toMatchObject({ numBytes: 62n, numKb: 1n, numObjects: 2n, numObjectClones: 3n, numObjectCopies: 4n });
    expect(poolStatsOf({ ...s, storeStats: { ...s.storeStats, allocated: 2048n, omapAllocated: 0n } }, true).numKb).toBe(2n);
    // A pool the reply leaves out: zeros.
    expect(Object.values(poolStatsOf(undefined, true)).every((v) => v === 0n)).toBe(true);
  });
});
