// What the RBD interop tests share: the `rbd` CLI against a test cluster's pool, exports read
// back as bytes, reproducible data, and byte comparisons that report where they differ.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
export { pattern } from './byte-pattern.ts';

export interface RbdCli {
  rbd: (args: string[]) => string;
  /** For commands that notify the image's watchers: our event loop must stay free to answer. */
  rbdAsync: (args: string[]) => Promise<string>;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- JSON of a known command: the caller names the shape it reads (an unchecked cast, as JSON.parse's own `any` would be)
  rbdJson: <T>(args: string[]) => T;
  /** `rbd export spec` as bytes. */
  exported: (spec: string) => Uint8Array;
}

export function rbdCli(cluster: () => { confPath: string; dir: string }, pool: string): RbdCli {
  const base = (args: string[]): string[] => ['-c', cluster().confPath, '-p', pool, ...args];
  const rbd = (args: string[]): string => execFileSync('rbd', base(args), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 256 << 20 });
  return {
    rbd,
    rbdAsync: async (args) => (await promisify(execFile)('rbd', base(args), { encoding: 'utf8', timeout: 120_000 })).stdout,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- JSON of a known command: the caller names the shape it reads (an unchecked cast, as JSON.parse's own `any` would be)
    rbdJson: <T>(args: string[]): T => JSON.parse(rbd([...args, '--format', 'json'])) as T,
    exported: (spec) => {
      const file = join(cluster().dir, `export-${Math.random().toString(36).slice(2)}`);
      rbd(['export', spec, file]);
      return new Uint8Array(readFileSync(file));
    },
  };
}

/** Byte equality without a 20-million-element diff: the first differing offset and the lengths. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  let first = -1;
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      first = i;
      break;
    }
  }
  expect({ length: actual.length, firstDifference: first }).toEqual({ length: expected.length, firstDifference: -1 });
}
