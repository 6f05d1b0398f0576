// The same object workload under Node, Deno and Bun (the npm `deno` and `bun` binaries), one
// after the other against one cluster, through the built package entry, with `rados bench` on
// the same pool for scale: where each runtime stands (README, Performance).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startCluster } from '../test/cluster/cluster.ts';
import { fmt, table } from './measure.ts';

interface Row {
  test: string;
  opsPerSec: number;
  cpuUsPerOp: number;
}

const WORKER = resolve('dist/bench/runtime-io-worker.js');

function run(runtime: 'node' | 'deno' | 'bun', conf: string, pool: string): Row[] {
  const bin = runtime === 'node' ? process.execPath : resolve('node_modules/.bin', runtime);
  const args = runtime === 'deno' ? ['run', '--no-prompt', '--no-lock', '-A', WORKER, conf, pool] : [...(runtime === 'bun' ? ['run'] : []), WORKER, conf, pool];
  const out = execFileSync(bin, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 16 << 20 });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${runtime} printed no result:\n${out}`);
  return JSON.parse(line.slice(7)) as Row[];
}

function radosBench(conf: string, pool: string, args: string[]): number {
  const out = execFileSync('rados', ['-c', conf, '-p', pool, 'bench', '3', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return Number(/Average IOPS:\s+(\d+)/.exec(out)?.[1] ?? NaN);
}

export default async function bench(): Promise<void> {
  console.log('\n## The same object I/O under Node, Deno and Bun (qd16, 3 s each), beside rados bench');
  const cluster = await startCluster({ mgr: false, log: () => {} });
  try {
    execFileSync('ceph', ['-c', cluster.confPath, 'osd', 'pool', 'create', 'rt', '32'], { stdio: 'ignore' });
    // rados bench first: its writes wait for the new pool's PGs to peer, which would otherwise
    // fall into the first runtime's timing.
    const writes = radosBench(cluster.confPath, 'rt', ['write', '-b', '4096', '-t', '16', '--no-cleanup']);
    const reads = radosBench(cluster.confPath, 'rt', ['rand', '-t', '16']);
    const results = { node: run('node', cluster.confPath, 'rt'), deno: run('deno', cluster.confPath, 'rt'), bun: run('bun', cluster.confPath, 'rt') };
    const theirs: Record<string, number> = { '4 KiB write': writes, '4 KiB read': reads };
    const rows: Array<Array<string | number>> = [['test', 'runtime', 'ops/s', 'CPU µs/op', 'vs Node', 'vs rados bench']];
    for (const [i, r] of results.node.entries()) {
      for (const runtime of ['node', 'deno', 'bun'] as const) {
        const x = results[runtime][i]!;
        const them = theirs[r.test];
        rows.push([
          runtime === 'node' ? r.test : '',
          runtime,
          fmt(x.opsPerSec),
          fmt(x.cpuUsPerOp),
          `${(x.opsPerSec / r.opsPerSec).toFixed(2)}x`,
          them ? `${(x.opsPerSec / them).toFixed(2)}x` : '-',
        ]);
      }
    }
    table(rows);
  } finally {
    await cluster.stop();
  }
}
