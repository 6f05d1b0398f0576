// Cold start on loopback: connect + authenticate (cephx) + monmap + first OSDMap, in-process,
// median of 20, beside `ceph mon dump` run as a process against the same cluster (what a
// script pays today). Secure mode is measured too.
import { execFileSync } from 'node:child_process';
import { Rados } from '../src/index.ts';
import { startCluster } from '../test/cluster/cluster.ts';
import { table } from './measure.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<void> {
  console.log('\n## Cold start: connect + cephx + monmap + first osdmap (ms, median of 20, lower is better)');
  const cluster = await startCluster({ osds: 1, mgr: false });
  try {
    const rows: Array<Array<string | number>> = [['what', 'median ms', 'min ms']];
    for (const mode of ['crc', 'secure'] as const) {
      const times: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        const r = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode });
        const ms = performance.now() - t;
        await r.close();
        if (i > 0) times.push(ms); // the first run pays module loading
      }
      rows.push([`rados-ts Rados.connect (${mode})`, median(times).toFixed(1), Math.min(...times).toFixed(1)]);
    }
    const cli: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      execFileSync('ceph', ['-c', cluster.confPath, 'mon', 'dump', '--format', 'json'], { stdio: 'ignore' });
      cli.push(performance.now() - t);
    }
    rows.push(['ceph mon dump (process)', median(cli).toFixed(1), Math.min(...cli).toFixed(1)]);
    table(rows);
    console.log('target: rados-ts < 50 ms');
  } finally {
    await cluster.stop();
  }
}
