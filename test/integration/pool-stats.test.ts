// IoCtx.getStats beside librados' Python `Ioctx.get_stats` on one cluster: the MGetPoolStats
// librados sends, byte for byte; the monitor's MGetPoolStatsReply decoded and encoded back to
// the same bytes; the counters librados derives from it; ours equal to theirs as objects are
// written and read; and the errno for a pool deleted under an IoCtx.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeGetPoolStatsReply, encodeGetPoolStats, encodeGetPoolStatsReply, MGET_POOL_STATS, type PoolStats, poolStatsOf } from '../../protocol/messages/pool-stats.ts';
import { frameToMessage } from '../../protocol/msgr2/message-frame.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { captureToFile } from '../capture/capture.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { errnoOf, pyEval } from './pybind-eval.ts';

const POOL = 'pstats';
const GONE = 'pstats-gone';
// A manager, so the monitors hold pool stats (the PGMap digest) at all.
const env = usePoolCluster([POOL], { mgr: true });

type PyStats = Record<string, number>;

/** Our PoolStats as Python's get_stats dict. */
function asPython(s: PoolStats): PyStats {
  return {
    num_bytes: Number(s.numBytes),
    num_kb: Number(s.numKb),
    num_objects: Number(s.numObjects),
    num_object_clones: Number(s.numObjectClones),
    num_object_copies: Number(s.numObjectCopies),
    num_objects_missing_on_primary: Number(s.numObjectsMissingOnPrimary),
    num_objects_unfound: Number(s.numObjectsUnfound),
    num_objects_degraded: Number(s.numObjectsDegraded),
    num_rd: Number(s.numRd),
    num_rd_kb: Number(s.numRdKb),
    num_wr: Number(s.numWr),
    num_wr_kb: Number(s.numWrKb),
  };
}

const theirStats = (): PyStats => pyEval<PyStats>(env.cluster, POOL, 'result = io.get_stats()').result!;

/** Ours equals what librados read just before or just after it (the manager reports every few seconds). */
async function expectSameAsLibrados(): Promise<PyStats> {
  let last: { ours: PyStats; before: PyStats; after: PyStats } | undefined;
  for (let i = 0; i < 8; i++) {
    const before = theirStats();
    const ours = asPython(await env.io.getStats());
    const after = theirStats();
    if (JSON.stringify(ours) === JSON.stringify(before) || JSON.stringify(ours) === JSON.stringify(after)) return ours;
    last = { ours, before, after };
  }
  expect(last!.ours).toEqual(last!.after);
  return last!.ours;
}

describe('IoCtx.getStats', () => {
  it('counts objects, bytes, reads and writes as librados does, as they change', async () => {
    const { io } = env;
    const payload = new Uint8Array(5000).fill(7);
    for (let i = 0; i < 4; i++) await io.writeFull(`obj${i}`, payload);
    for (let i = 0; i < 4; i++) await io.read(`obj${i}`);
    // The counters reach the monitors through the manager's reports: wait until librados sees them.
    for (let i = 0; i < 60 && theirStats()['num_objects'] !== 4; i++) await new Promise((r) => setTimeout(r, 500));
    const seen = await expectSameAsLibrados();
    expect(seen['num_objects']).toBe(4);
    expect(seen['num_wr']).toBeGreaterThanOrEqual(4);
    expect(seen['num_bytes']).toBeGreaterThan(0);
  });

  it('sends MGetPoolStats byte for byte as librados and reads the reply into what Python get_stats gives', async () => {
    const { cluster, rados } = env;
    const file = join(cluster.dir, 'poolstats.pcap');
    const monPort = /v2:[^:]+:(\d+)/.exec(cluster.monAddrs[0]!)![1]!;
    let py: PyStats | undefined;
    await captureToFile(file, `tcp port ${monPort}`, () => {
      py = pyEval<PyStats[]>(cluster, POOL, 'result = [io.get_stats(), io.get_stats()]').result![0];
    });
    const trace = await decodeCapture(readFileSync(file), { keyring: parseKeyring(readFileSync(cluster.keyringPath, 'utf8')) });
    const messages = trace.sessions.flatMap((s) => s.frames.filter((f) => f.tag === Tag.MESSAGE).map((f) => frameToMessage(f)));
    const request = messages.find((m) => m.header.type === MsgType.GETPOOLSTATS);
    const reply = messages.find((m) => m.header.type === MsgType.GETPOOLSTATSREPLY);
    expect(request, 'librados sent no MGetPoolStats (was its mon session decrypted?)').toBeDefined();
    expect(reply).toBeDefined();
    expect(request!.header.version).toBe(MGET_POOL_STATS.version);
    expect(request!.header.compatVersion).toBe(MGET_POOL_STATS.compatVersion);
    // A fresh librados handle has seen no pgmap version yet.
    expect(encodeGetPoolStats({ fsid: rados.fsid, pools: [POOL], version: 0n })).toEqual(request!.front);
    expect(reply!.header.tid).toBe(request!.header.tid);
    const theirs = decodeGetPoolStatsReply(reply!.front, reply!.header.version);
    expect(encodeGetPoolStatsReply(theirs)).toEqual(reply!.front);
    expect(theirs.fsid).toBe(rados.fsid);
    // The objects the test before wrote are in it: a pool the monitors already report.
    expect([...theirs.poolStats.keys()]).toEqual([POOL]);
    expect(theirs.poolStats.get(POOL)!.sum.numObjects).toBe(4n);
    expect(asPython(poolStatsOf(theirs.poolStats.get(POOL), theirs.perPool))).toEqual(py);
    // The second asks from the pgmap version the first reply carried (last_seen_pgmap_version).
    const second = messages.filter((m) => m.header.type === MsgType.GETPOOLSTATS)[1];
    expect(second).toBeDefined();
    expect(theirs.header.version).toBeGreaterThan(0n);
    expect(encodeGetPoolStats({ fsid: rados.fsid, pools: [POOL], version: theirs.header.version })).toEqual(second!.front);
  });

  it('ENOENT for a pool deleted under the IoCtx, as librados', async () => {
    const { cluster, rados } = env;
    await rados.createPool(GONE, { pgNum: 8 });
    const gone = await rados.openIoCtx(GONE);
    await rados.deletePool(GONE);
    const ours = await errnoOf(gone.getStats());
    const py = pyEval(cluster, POOL, `cluster.create_pool('${GONE}')\ngone = cluster.open_ioctx('${GONE}')\ncluster.delete_pool('${GONE}')\nresult = gone.get_stats()`);
    expect(py.errno).toBeGreaterThan(0);
    expect(ours).toBe(py.errno);
  });
});
