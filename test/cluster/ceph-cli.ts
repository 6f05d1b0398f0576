import { execFileSync } from 'node:child_process';
import type { ClusterInfo } from './cluster.ts';

/** Runs the `ceph` CLI against a test cluster and returns stdout (throws on a non-zero exit). */
export function ceph(cluster: Pick<ClusterInfo, 'confPath'>, args: string[], input?: string): string {
  return execFileSync('ceph', ['-c', cluster.confPath, '--connect-timeout', '30', ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 256 << 20,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** `ceph ... --format json`, parsed. */
export function cephJson<T = unknown>(cluster: Pick<ClusterInfo, 'confPath'>, args: string[]): T {
  return JSON.parse(ceph(cluster, [...args, '--format', 'json'])) as T;
}
