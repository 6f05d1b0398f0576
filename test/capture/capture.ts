// Captures loopback traffic with tcpdump around an action and returns the TCP streams.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPcap, type TcpStream } from './pcap.ts';

export async function captureLoopback(filter: string, action: () => void | Promise<void>): Promise<TcpStream[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rados-ts-pcap-'));
  const file = join(dir, 'capture.pcap');
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
  const raw = new Uint8Array(await readFile(file));
  if (process.env['PCAP_DEBUG']) console.log('pcap bytes', raw.length, err);
  const streams = readPcap(raw);
  await rm(dir, { recursive: true, force: true });
  return streams;
}
