// What the thrasher's parts share: the cluster, the client-side fault switches our handles'
// transports read, the findings, and the counters the report prints.
import { execFile } from 'node:child_process';
import type { Cluster } from '../cluster/cluster.ts';

/** The pools the workloads use (created by the thrasher). */
export interface ThrashPools {
  /** Replicated, size 2 (min_size 2). */
  rep2: string;
  /** Replicated, size 3 (min_size 2); also holds the RBD images and the watched objects. */
  rep3: string;
  /** Erasure-coded, k=2 m=1 (no omap: its objects carry data and xattrs). */
  ec: string;
}

/** Client-side faults: read by the transports of every rados-ts handle the thrasher opens. */
export interface ClientFaults {
  /** Connections are cut after a random number of bytes. */
  cutting: boolean;
  /** Ports of OSDs we are partitioned from (new connections fail, open ones close). */
  partitionedPorts: Set<number>;
  /** Each write waits up to this long (0: no delay). */
  maxDelayMs: number;
}

export interface ThrashCounters {
  [name: string]: number;
}

export interface ThrashContext {
  cluster: Cluster;
  pools: ThrashPools;
  faults: ClientFaults;
  /** The release can pin primaries (`ceph osd pg-upmap-primary`, Reef+). */
  readBalancer: boolean;
  /** Workloads start no new work after this (ms since the epoch). */
  stopAt: number;
  /** Watch timeout of our handles (s): partitions last longer. */
  watchTimeoutSec: number;
  log: (line: string) => void;
  /** A finding: data that did not read back, an op that failed, a watch lost silently… */
  fail: (what: string) => void;
  count: (name: string, n?: number) => void;
  counters: ThrashCounters;
  failures: string[];
}

/** Runs a Ceph tool of the cluster's release (PATH has its wrappers); rejects on a non-zero exit. */
export function tool(cmd: string, args: string[], opts: { input?: string | Uint8Array; timeoutMs?: number; encoding?: 'buffer' } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { encoding: 'buffer', maxBuffer: 1 << 30, timeout: opts.timeoutMs ?? 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message.split('\n')[0]} ${stderr.toString().trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(stdout);
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** A `ceph … --format json` reply. */
export async function cephJson<T>(ctx: { cluster: Cluster }, args: string[]): Promise<T> {
  return JSON.parse(await ctx.cluster.ceph([...args, '--format', 'json'])) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
