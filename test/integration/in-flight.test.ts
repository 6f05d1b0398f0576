// `Rados.inFlight()`: what the Objecter waits for, as `objecter_requests` shows it for librados.
// An op whose primary we are cut from stays listed with that OSD, its PG (both as `ceph osd map`
// names them), its attempts and why it was last resent, and leaves the list once answered;
// a watch is listed with the cookie and OSD the cluster reports for it.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Rados } from '../../src/index.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { ceph, cephJson } from '../cluster/ceph-cli.ts';
import { partitioningTransport } from './fault-transport.ts';

const cluster = inject('cluster');
const POOL = 'in-flight';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  ceph(cluster, ['osd', 'pool', 'create', POOL, '8']);
});
afterAll(() => {
  ceph(cluster, ['osd', 'pool', 'delete', POOL, POOL, '--yes-i-really-really-mean-it']);
});

interface OsdMapOut {
  pgid: string;
  acting_primary: number;
}
interface OsdDump {
  osds: Array<{ osd: number; public_addrs: { addrvec: Array<{ type: string; addr: string }> } }>;
}

function v2Port(osd: number): number {
  const o = cephJson<OsdDump>(cluster, ['osd', 'dump']).osds.find((x) => x.osd === osd)!;
  return Number(o.public_addrs.addrvec.find((a) => a.type === 'v2')!.addr.split(':')[1]);
}

describe('Rados.inFlight', () => {
  it('lists an op cut from its primary with the OSD and PG Ceph maps it to, why it was resent, and drops it once answered', async () => {
    const where = cephJson<OsdMapOut>(cluster, ['osd', 'map', POOL, 'cut-off']);
    const port = v2Port(where.acting_primary);
    let partitioned = false;
    const debug: string[] = [];
    const logger = { debug: (m: string) => debug.push(m), info() {}, warn() {}, error() {} };
    const transport = partitioningTransport(nodeTransport, { ports: (p) => p === port, partitioned: () => partitioned });
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, transport, logger });
    try {
      const io = await rados.openIoCtx(POOL);
      expect(rados.inFlight().ops).toEqual([]);
      partitioned = true;
      const data = new TextEncoder().encode('written while cut off');
      const write = io.writeFull('cut-off', data);
      await sleep(1800);
      const { ops } = rados.inFlight();
      expect(ops).toHaveLength(1);
      const op = ops[0]!;
      expect({ oid: op.oid, pool: op.pool, pg: op.pg, osd: op.osd, ops: op.ops, write: op.write, waitingFor: op.waitingFor }).toEqual({
        oid: 'cut-off',
        pool: io.poolId,
        pg: where.pgid,
        osd: where.acting_primary,
        ops: ['writefull'],
        write: true,
        waitingFor: 'session',
      });
      expect(op.attempts).toBeGreaterThanOrEqual(2); // retried every 500 ms while unreachable
      expect(op.ageMs).toBeGreaterThanOrEqual(1500);
      expect(op.lastResend).toBe(`osd.${where.acting_primary} was unreachable`);
      expect(debug).toContain(`objecter: resending tid ${op.tid} (cut-off): osd.${where.acting_primary} was unreachable`);

      partitioned = false;
      await write;
      expect(rados.inFlight().ops).toEqual([]);
      expect(execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'get', 'cut-off', '-'])).toEqual(Buffer.from(data));
    } finally {
      partitioned = false;
      await rados.close();
    }
  });

  it('lists a watch with the cookie `rados listwatchers` shows and the OSD `ceph osd map` names', async () => {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    try {
      const io = await rados.openIoCtx(POOL);
      await io.writeFull('watched', new Uint8Array(1));
      const w = await io.watch(
        'watched',
        () => undefined,
        () => undefined,
      );
      try {
        const { watches } = rados.inFlight();
        expect(watches).toHaveLength(1);
        const listed = execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'listwatchers', 'watched'], { encoding: 'utf8' });
        expect(listed).toContain(`cookie=${watches[0]!.cookie}`);
        expect(watches[0]!.oid).toBe('watched');
        expect(watches[0]!.osd).toBe(cephJson<OsdMapOut>(cluster, ['osd', 'map', POOL, 'watched']).acting_primary);
        expect(watches[0]!.lastConfirmedAgoMs).toBeLessThan(watches[0]!.ageMs + 1);
      } finally {
        await w.close();
      }
      expect(rados.inFlight().watches).toEqual([]);
    } finally {
      await rados.close();
    }
  });
});
