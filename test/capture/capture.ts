// Captures loopback traffic with tcpdump around an async action: into a pcap file, or straight
// into the TCP streams it holds.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../cluster/cluster.ts';
import { readPcap, type TcpStream } from './pcap.ts';

/**
 * A tcpdump filter for one cluster's monitor and OSD public ports only: other test files'
 * clusters share the loopback and the OSD port range.
 */
export async function clusterPortFilter(cluster: Pick<Cluster, 'ceph' | 'monAddrs'>): Promise<string> {
  const monPort = /v2:[^:]+:(\d+)/.exec(cluster.monAddrs[0]!)![1]!;
  const dump = JSON.parse(await cluster.ceph(['osd', 'dump', '--format', 'json'])) as { osds: Array<{ public_addrs: { addrvec: Array<{ addr: string }> } }> };
  const ports = [monPort, ...dump.osds.flatMap((o) => o.public_addrs.addrvec.map((a) => a.addr.replace(/.*:/, '')))];
  return `tcp and (${ports.map((p) => `port ${p}`).join(' or ')})`;
}

/** Runs `action` while tcpdump writes what matches `filter` on lo to `file` (pcap, whole packets). */
export async function captureToFile(file: string, filter: string, action: () => void | Promise<void>): Promise<void> {
  const td = spawn('tcpdump', ['-Z', 'root', '-i', 'lo', '--immediate-mode', '-B', '16384', '-U', '-s', '0', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    td.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) resolve();
    });
    td.once('exit', (code) => reject(new Error(`tcpdump exited (${code}): ${err}`)));
    td.once('error', reject);
  });
  try {
    await action();
    await new Promise((r) => setTimeout(r, 300)); // let the last packets land
  } finally {
    td.kill('SIGINT');
    await new Promise((r) => (td.exitCode !== null ? r(undefined) : td.once('exit', r)));
  }
  if (process.env['PCAP_DEBUG']) console.log('tcpdump', err);
}

/** The TCP streams `action` made on lo (matching `filter`). */
export async function captureLoopback(filter: string, action: () => void | Promise<void>): Promise<TcpStream[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rados-ts-pcap-'));
  const file = join(dir, 'capture.pcap');
  try {
    await captureToFile(file, filter, action);
    return readPcap(new Uint8Array(await readFile(file)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
