// Runs crushtool for the differential tests and returns what it printed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function crushtool(args: string[]): string {
  return execFileSync('crushtool', args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `crushtool -i MAP --test --show-mappings ...`: the mapping lines. */
export function crushtoolMappings(map: string, extra: string[]): string[] {
  return crushtool(['-i', map, '--test', '--show-mappings', ...extra])
    .split('\n')
    .filter((l) => l.startsWith('CRUSH rule'));
}

export function readMap(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
