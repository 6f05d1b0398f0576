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
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- JSON of a known command: the caller names the shape it reads (an unchecked cast, as JSON.parse's own `any` would be)
export function cephJson<T = unknown>(cluster: Pick<ClusterInfo, 'confPath'>, args: string[]): T {
  return JSON.parse(ceph(cluster, [...args, '--format', 'json'])) as T;
}
