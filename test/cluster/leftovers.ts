// Processes a release's run left behind: a daemon of a cluster whose test forgot to stop it, a
// tcpdump, a librbd helper script. Left running they load the machine under the next release's
// tests, where they show up as timeouts far from their cause; the matrix names and ends them.
// A run is told apart by a variable in its environment, which every process it starts inherits
// (Ceph's daemons keep theirs when they daemonize): another run on the machine is left alone.
import { readFileSync, readdirSync } from 'node:fs';

/** The environment variable that marks a run's processes. */
export const RUN_VAR = 'RADOS_TS_RUN';

export interface Leftover {
  pid: number;
  command: string;
}

function read(pid: number, what: 'cmdline' | 'environ'): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/${what}`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** Processes other than this one whose environment carries `RADOS_TS_RUN=run`. */
export function findLeftovers(run: string): Leftover[] {
  const mark = `${RUN_VAR}=${run}`;
  const found: Leftover[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (!read(pid, 'environ')?.includes(mark)) continue;
    found.push({ pid, command: (read(pid, 'cmdline') ?? []).join(' ') });
  }
  return found;
}

/** Ends them (SIGKILL: they are past their test's cleanup). */
export function killLeftovers(list: readonly Leftover[]): void {
  for (const { pid } of list) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}
