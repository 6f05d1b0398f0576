// librbd (Ceph's python3-rbd, librbd-lock-owner.py, in the release's python3) holding an
// image's exclusive lock with the image open, as an application would: the owner an operation
// that needs the lock must ask, and a watcher of the header while it runs.
import { spawn } from 'node:child_process';
import type { ClusterInfo } from '../cluster/cluster.ts';

/** A running librbd-lock-owner.py. */
export interface LibrbdLockOwner {
  /** Its client's global id (`client.<gid>` in `rbd lock ls`). */
  gid: bigint;
  /** Closes the image and waits for the helper to end. */
  stop(): Promise<void>;
}

/**
 * librbd holding an image's exclusive lock (librbd-lock-owner.py, in the release's python3):
 * resolves with its client gid once it owns the lock; a helper that exits or stays silent fails
 * with what it wrote to stderr. `stop()` lets it close the image and waits for it to end.
 */
export async function startLibrbdLockOwner(cluster: ClusterInfo, pool: string, image: string): Promise<LibrbdLockOwner> {
  const owner = spawn('python3', [new URL('./librbd-lock-owner.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, pool, image], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  owner.stdout.on('data', (d: Buffer) => (out += d.toString()));
  owner.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => owner.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    owner.stdin.end('\n');
    const killer = setTimeout(() => owner.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  };
  // Its first line, whole (a pipe may cut a line anywhere).
  const deadline = Date.now() + 60_000;
  while (!out.includes('\n') && owner.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const line = out.slice(0, out.indexOf('\n'));
  if (!/^locked \d+$/.test(line)) {
    owner.kill('SIGKILL');
    await exited;
    throw new Error(`librbd-lock-owner.py did not take the lock of ${image} (exit ${owner.exitCode}, stdout ${JSON.stringify(out)}): ${err.trim()}`);
  }
  return { gid: BigInt(line.split(' ')[1]!), stop };
}
