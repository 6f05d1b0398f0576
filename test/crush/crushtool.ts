// Runs crushtool for the differential tests and returns what it printed. `tool` is the program
// to run: the host's crushtool by default, or a release's wrapper (releaseTool in
// test/cluster/releases.ts), e.g. Tentacle's for MSR rules.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function crushtool(args: string[], tool = 'crushtool', timeoutMs = 0): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
}

/** `crushtool -i MAP --test --show-mappings ...`: the mapping lines. */
export function crushtoolMappings(map: string, extra: string[], tool = 'crushtool', timeoutMs = 0): string[] {
  return crushtool(['-i', map, '--test', '--show-mappings', ...extra], tool, timeoutMs)
    .split('\n')
    .filter((l) => l.startsWith('CRUSH rule'));
}

export function readMap(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
