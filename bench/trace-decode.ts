// `rados-ts trace decode` speed beside `tshark -r` on the same capture: loopback traffic of
// `rados bench` (4 KiB writes then reads, qd16, crc mode) against a throwaway cluster, captured
// with tcpdump. Prints MB of capture per second for each and the ratio. (tshark 4.0 dissects
// msgr2 only as "Ceph UNKNOWN"; it is the yardstick for reading and dissecting a capture.)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCapture } from '../protocol/trace/decode-capture.ts';
import { captureToFile, clusterPortFilter } from '../test/capture/capture.ts';
import { startCluster } from '../test/cluster/cluster.ts';
import { fmt, table } from './measure.ts';

/** Best of `n` wall times, in milliseconds. */
async function best(n: number, fn: () => void | Promise<void>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export default async function main(): Promise<void> {
  console.log('\n## trace decode (MB of capture per second, best of 3)\n');
  const dir = mkdtempSync(join(tmpdir(), 'rados-ts-bench-trace-'));
  const cluster = await startCluster({ osds: 1, mgr: false });
  try {
    await cluster.ceph(['osd', 'pool', 'create', 'bench', '8']);
    const file = join(dir, 'bench.pcap');
    const rados = (...a: string[]): void => void execFileSync('rados', ['-c', cluster.confPath, '--ms_client_mode=crc', '-p', 'bench', ...a], { stdio: 'ignore' });
    await captureToFile(file, await clusterPortFilter(cluster), () => {
      rados('bench', '3', 'write', '-b', '4096', '-t', '16', '--no-cleanup');
      rados('bench', '3', 'seq', '-t', '16');
    });
    const bytes = new Uint8Array(readFileSync(file));
    const mb = statSync(file).size / (1 << 20);
    let frames = 0;
    const oursMs = await best(3, async () => {
      frames = (await decodeCapture(bytes)).events.length;
    });
    const tsharkMs = await best(3, () => {
      const r = spawnSync('tshark', ['-r', file], { stdio: ['ignore', 'ignore', 'ignore'] });
      if (r.status !== 0) throw new Error(`tshark -r exited ${r.status}`);
    });
    table([
      ['capture', 'MB', 'frames', 'rados-ts MB/s', 'tshark -r MB/s', 'ratio'],
      ['rados bench 4 KiB write+seq', fmt(mb), frames, fmt(mb / (oursMs / 1000)), fmt(mb / (tsharkMs / 1000)), `${fmt(tsharkMs / oursMs, 2)}×`],
    ]);
  } finally {
    await cluster.stop();
    if (process.env['BENCH_KEEP']) console.log(`capture kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
