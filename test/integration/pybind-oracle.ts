// Calls through Ceph's own python3-rbd/python3-rados bindings (pybind-oracle.py, in the
// release's python3): what librbd/librados answer, call by call, for a test to expect of us.
// Run asynchronously: an image we hold open in this process must answer the notifications
// (HEADER_UPDATE, REQUEST_LOCK) librbd sends meanwhile.
import { execFile } from 'node:child_process';
import type { Cluster } from '../cluster/cluster.ts';

/** One call: `op` and its arguments (see pybind-oracle.py). */
export type PybindCall = Record<string, unknown> & { op: string };

/** What a call returned, or the errno it failed with. */
export type PybindOutcome = { ok: unknown } | { errno: number; error: string };

/** Runs `calls` in one python3 process (one cluster handle) and returns each call's outcome. */
export function pybind(cluster: Cluster, pool: string, calls: PybindCall[]): Promise<PybindOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'python3',
      [new URL('./pybind-oracle.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, pool],
      { timeout: 120_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`pybind-oracle.py failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as PybindOutcome[]);
      },
    );
    child.stdin!.end(JSON.stringify(calls));
  });
}

/** What our call did, in the same shape: its value, or its errno. */
export async function outcome(f: () => unknown): Promise<PybindOutcome> {
  try {
    const v = await f();
    return { ok: v === undefined ? null : v };
  } catch (e) {
    const n = (e as { errno?: unknown }).errno;
    if (typeof n !== 'number') throw e;
    return { errno: n, error: (e as Error).name };
  }
}

/** Only the errno or the value of each outcome (our error class names are not the binding's). */
export const answers = (os: PybindOutcome[]): unknown[] => os.map((o) => ('errno' in o ? { errno: o.errno } : { ok: o.ok }));
