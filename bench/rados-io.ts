// Object I/O beside `rados bench` (librados) on the same cluster, same pool settings, same run:
// 4 KiB writes at qd16, 4 KiB random reads at qd16, 4 MiB writes at qd16. Prints IOPS, MB/s,
// p50/p99 latency, client CPU per op, and our/their ratio.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rados } from '../src/index.ts';
import { startCluster } from '../test/cluster/cluster.ts';
import { table } from './measure.ts';

interface Result {
  iops: number;
  mbps: number;
  p50: number;
  p99: number;
  cpuUsPerOp: number;
}

const SECONDS = 5;

function radosBench(conf: string, pool: string, args: string[]): Result {
  // bash's `times` prints the children's user and system CPU time after the run.
  const out = execFileSync('bash', ['-c', `rados -c ${conf} -p ${pool} bench ${SECONDS} ${args.join(' ')} 2>&1; times`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  const ops = num(/Total (?:writes|reads) made:\s+(\d+)/);
  const times = out.trim().split('\n').at(-1)!.split(/\s+/);
  const sec = (s: string): number => {
    const m = /(\d+)m([\d.]+)s/.exec(s)!;
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const cpu = sec(times[0]!) + sec(times[1]!);
  return {
    iops: num(/Average IOPS:\s+(\d+)/),
    mbps: num(/Bandwidth \(MB\/sec\):\s+([\d.]+)/),
    p50: num(/Average Latency\(s\):\s+([\d.]+)/) * 1000, // rados bench prints the mean, not p50
    p99: num(/Max latency\(s\):\s+([\d.]+)/) * 1000, // …and the max, not p99
    cpuUsPerOp: (cpu * 1e6) / ops,
  };
}

async function ours(run: (i: number) => Promise<unknown>, size: number, seconds = SECONDS): Promise<Result> {
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await run(i++);
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  return {
    iops: lat.length / secs,
    mbps: (lat.length * size) / secs / (1 << 20),
    p50: lat[Math.floor(lat.length * 0.5)]!,
    p99: lat[Math.floor(lat.length * 0.99)]!,
    cpuUsPerOp: (cpu.user + cpu.system) / lat.length,
  };
}

export default async function bench(): Promise<void> {
  console.log(`\n## Object I/O vs rados bench (librados), qd16, ${SECONDS} s each, 3 memstore OSDs on this machine`);
  const cluster = await startCluster({ mgr: false, log: () => {} });
  try {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    await rados.createPool('bench-them', { pgNum: 32 });
    await rados.createPool('bench-us', { pgNum: 32 });
    const io = await rados.openIoCtx('bench-us');
    const rows: Array<Array<string | number>> = [['test', 'who', 'IOPS', 'MB/s', 'p50 ms', 'p99 ms', 'CPU µs/op', 'ours/theirs']];
    const add = (name: string, us: Result, them: Result, key: 'iops' | 'mbps'): void => {
      rows.push([
        name,
        'rados-ts',
        us.iops.toFixed(0),
        us.mbps.toFixed(1),
        us.p50.toFixed(2),
        us.p99.toFixed(2),
        us.cpuUsPerOp.toFixed(0),
        `${(us[key] / them[key]).toFixed(2)}x ${key}`,
      ]);
      rows.push([
        '',
        'rados bench',
        them.iops.toFixed(0),
        them.mbps.toFixed(1),
        `${them.p50.toFixed(2)} (mean)`,
        `${them.p99.toFixed(2)} (max)`,
        them.cpuUsPerOp.toFixed(0),
        `CPU ${(us.cpuUsPerOp / them.cpuUsPerOp).toFixed(2)}x`,
      ]);
    };
    const small = new Uint8Array(4096).fill(1);
    // Warm up (JIT, PG peering on the fresh pool, sessions to every OSD) outside the measurement:
    // rados bench's own start-up is inside its numbers, but it is a few ms of a 5 s run.
    await ours((i) => io.writeFull(`warm${i}`, small), 4096, 1);
    const w4 = await ours((i) => io.writeFull(`o${i}`, small), 4096);
    const t4 = radosBench(cluster.confPath, 'bench-them', ['write', '-b', '4096', '-t', '16', '--no-cleanup']);
    add('4 KiB write', w4, t4, 'iops');
    const written = Math.floor(w4.iops * SECONDS * 0.9);
    const r4 = await ours(() => io.read(`o${Math.floor(Math.random() * written)}`, 4096), 4096);
    const tr4 = radosBench(cluster.confPath, 'bench-them', ['rand', '-t', '16']);
    add('4 KiB rand read', r4, tr4, 'iops');
    const big = new Uint8Array(4 << 20).fill(2);
    const w4m = await ours((i) => io.writeFull(`b${i % 64}`, big), 4 << 20);
    const t4m = radosBench(cluster.confPath, 'bench-them', ['write', '-b', String(4 << 20), '-t', '16']);
    add('4 MiB write', w4m, t4m, 'mbps');
    table(rows);
    console.log('targets: IOPS >= 1.0x, 4 MiB throughput >= 0.95x, CPU per op <= 1.5x librados');
    await rados.close();
    // What recording every frame to a trace file costs ([H]: "cheap enough to leave on"): the
    // same 4 KiB writes from a client connected with `trace`, beside one without, in turn.
    const dir = mkdtempSync(join(tmpdir(), 'rados-ts-bench-trace-'));
    try {
      const plain = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
      const traced = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, trace: join(dir, 'bench.rtt') });
      const pio = await plain.openIoCtx('bench-us');
      const tio = await traced.openIoCtx('bench-us');
      await ours((i) => tio.writeFull(`warm${i}`, small), 4096, 1);
      const off = await ours((i) => pio.writeFull(`o${i}`, small), 4096);
      const on = await ours((i) => tio.writeFull(`o${i}`, small), 4096);
      await plain.close();
      await traced.close();
      const mb = statSync(join(dir, 'bench.rtt')).size / (1 << 20);
      table([
        ['4 KiB write, qd16', 'IOPS', 'CPU µs/op', 'trace file'],
        ['untraced', off.iops.toFixed(0), off.cpuUsPerOp.toFixed(0), '-'],
        ['traced', on.iops.toFixed(0), on.cpuUsPerOp.toFixed(0), `${mb.toFixed(1)} MB`],
        ['cost', `${(on.iops / off.iops).toFixed(2)}x`, `+${(on.cpuUsPerOp - off.cpuUsPerOp).toFixed(0)} µs`, ''],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await cluster.stop();
  }
}
