// Nothing lost under faults: thousands of 4 KiB writes at queue depth 16 while the OSD that is
// primary for many of them is stopped and restarted, an OSD is marked out and back in, the
// pool's pg_num grows, the monitor is restarted, and our OSD connections are cut mid-stream; OSDs send MOSDBackoff while
// PGs peer (osd_backoff_on_peering) and we must hold and resend. Afterwards every write we
// reported done reads back identical, every failure was reported, and nothing hung.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rados } from '../../src/index.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';
import { cuttingTransport } from './fault-transport.ts';
import { radosInternals } from '../../src/rados.ts';
import { sleep } from '../../src/abort.ts';
import type { FrameEvent } from '../../src/msgr2/frame-trace.ts';
import { decodeMessageHeader } from '../../protocol/msgr2/message-frame.ts';
import { MOSD_BACKOFF } from '../../protocol/messages/osd-backoff.ts';
import { MOSD_OP } from '../../protocol/messages/osd-op.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({
    osds: 3,
    mgr: false,
    poolSize: 2,
    extraConf: ['osd_pool_default_pg_autoscale_mode = off', 'osd_backoff_on_peering = true', 'osd_backoff_on_degraded = true'],
  });
}, 180_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

/** A read that timed out (a stall) rethrown with what the cluster says of it: where the object maps, whether the OSD holds our op, the PG's state. */
async function stalled(e: unknown, client: Rados, oid: string): Promise<never> {
  // Bounded: a cluster that stalls our op may stall the CLI too.
  const ask = (args: string[]): Promise<string> =>
    Promise.race([cluster.ceph(args), sleep(20_000).then(() => '(no answer in 20 s)')]).catch((err: unknown) => `(failed: ${(err as Error).message})`);
  const where = await ask(['osd', 'map', 'faults', oid, '--format', 'json']);
  const m = /tid (\d+).* pg (\S+) on osd\.(\d+)/.exec((e as Error).message);
  const osdOps = m ? await ask(['tell', `osd.${m[3]}`, 'dump_ops_in_flight']) : '';
  const query = m ? await ask(['pg', m[2]!, 'query']) : '';
  throw new Error(`${(e as Error).message}; our osdmap epoch ${client.osdMap.epoch}; ceph osd map: ${where}; the OSD's ops: ${osdOps}; pg query: ${query}`, { cause: e });
}

const payload = (i: number): Uint8Array => Uint8Array.from({ length: 4096 }, (_, j) => (i * 7 + j * 13) & 0xff);

describe('Objecter under faults', () => {
  it('loses no acknowledged write and reports every failure', async () => {
    let cutting = false;
    const transport = cuttingTransport(nodeTransport, { minBytes: 64 << 10, maxBytes: 512 << 10, enabled: () => cutting, ports: (p) => p >= 6800 });
    // The priority of each message type we send: a backoff ACK must go at our ops' priority.
    const priorities = new Map<number, Set<number>>();
    const onFrame = (e: FrameEvent): void => {
      if (e.direction !== 'tx' || e.tagName !== 'MESSAGE') return;
      const h = decodeMessageHeader(e.segments[0]!);
      priorities.set(h.type, (priorities.get(h.type) ?? new Set()).add(h.priority));
    };
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, transport, onFrame });
    const verifier = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    try {
      await rados.createPool('faults', { pgNum: 16 });
      const io = await rados.openIoCtx('faults');
      let total = 20_000; // writers stop early once every fault has happened and 500 more writes went out
      const done = new Set<number>();
      const failed = new Map<number, Error>();
      let next = 0;
      const events: Array<[number, () => unknown]> = [
        [200, () => (cutting = true)],
        [300, () => cluster.stopDaemon('osd.1')],
        [600, () => cluster.startOsd(1)],
        [800, () => cluster.ceph(['osd', 'out', '2'])],
        [1000, () => cluster.ceph(['osd', 'in', '2'])],
        [1100, () => cluster.ceph(['osd', 'pool', 'set', 'faults', 'pg_num', '32'])],
        [1200, () => cluster.stopDaemon('mon.a')],
        [1300, () => cluster.startMon('a')],
        [1400, () => (cutting = false)],
      ];
      let eventsFinishedAt = -1;
      // Events run one after another, each when enough writes have finished.
      let chain: Promise<unknown> = Promise.resolve();
      const worker = async (): Promise<void> => {
        for (;;) {
          if (next >= total) return;
          const i = next++;
          while (events.length > 0 && done.size + failed.size >= events[0]![0]) {
            const run = events.shift()![1];
            chain = chain.then(run).then(() => {
              if (events.length === 0 && eventsFinishedAt < 0) {
                eventsFinishedAt = done.size + failed.size;
                total = Math.min(total, next + 500);
              }
            });
          }
          try {
            await io.writeFull(`f-${i}`, payload(i), { timeoutMs: 120_000 });
            done.add(i);
          } catch (e) {
            failed.set(i, e as Error);
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      await chain;
      expect(done.size + failed.size).toBe(total);
      // The faults happened while writes were in flight, not after them.
      expect(eventsFinishedAt).toBeGreaterThan(0);
      expect(eventsFinishedAt).toBeLessThan(total);
      for (const e of failed.values()) expect(e).toBeInstanceOf(Error);
      expect(transport.cuts).toBeGreaterThan(0);
      // The faults really moved ops: some were sent again (after a map change, a cut or a backoff).
      expect(radosInternals(rados).objecter.stats.resent).toBeGreaterThan(0);
      // Backoffs came (a PG peered under our writes), and each ACK went at MOSDOp's priority:
      // one above it is overtaken in the OSD's op queue by the op resent on UNBLOCK, which the
      // then "deleting" backoff drops without a reply (the 60 s stall of objecter-faults, Pacific).
      expect(radosInternals(rados).objecter.stats.backoffs).toBeGreaterThan(0);
      expect(priorities.get(MOSD_BACKOFF.type)).toEqual(priorities.get(MOSD_OP.type));
      console.log(`faults: ${done.size} writes, ${transport.cuts} connection cuts, ${JSON.stringify(radosInternals(rados).objecter.stats)}`);
      // Every acknowledged write reads back identically through a client that saw no faults.
      const check = await verifier.openIoCtx('faults');
      const bad: number[] = [];
      for (const i of done) {
        const got = await check.read(`f-${i}`, 4096, 0, { timeoutMs: 60_000 }).catch((e: unknown) => stalled(e, verifier, `f-${i}`));
        const want = payload(i);
        if (got.length !== want.length || got.some((b, j) => b !== want[j])) bad.push(i);
      }
      expect(bad).toEqual([]);
      expect(failed.size).toBe(0);
      // The mon client found the restarted monitor again.
      expect((await rados.monCommand({ prefix: 'mon dump', format: 'json' }, undefined, { timeoutMs: 30_000 })).code).toBe(0);
    } finally {
      await rados.close();
      await verifier.close();
    }
  }, 300_000);
});
