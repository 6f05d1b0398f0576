// What the CLI comparison tests share: running a tool with its output as text (latin1, so bytes
// survive), and comparing bytes without vitest's element-by-element diff.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** One run of a command: exit status, stdout and stderr. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runTool(cmd: string, args: string[], input?: Uint8Array): Run {
  const r = spawnSync(cmd, args, { input, encoding: 'latin1', timeout: 120_000, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `rados-ts SUBCOMMAND ...` from the build. */
export const runOurs = (subcommand: string, args: string[], input?: Uint8Array): Run => runTool(process.execPath, ['dist/src/cli/main.js', subcommand, ...args], input);

/** Byte equality through Buffer.equals: vitest's toEqual walks a 6 MiB array for most of a minute. */
export function expectSameBytes(got: string | Uint8Array, want: Uint8Array): void {
  const g = typeof got === 'string' ? Buffer.from(got, 'latin1') : Buffer.from(got);
  expect(g.equals(Buffer.from(want)), `${g.length} bytes vs ${want.length}`).toBe(true);
}

/**
 * stderr without librbd's own log lines ("2026-12-02T00:46:57.425+0000 7fde9cda96c0 -1 librbd::…":
 * timestamped, thread-stamped; ours has none), the rest compared as words. librbd's log thread
 * can write between the pieces of rbd's own message (rbd writes through std::cerr one `<<` at a
 * time), anywhere in it and with its newline on either side: cut the log lines wherever they
 * start, then collapse line breaks and blank lines to spaces.
 */
export const withoutLibrbdLog = (r: Run): Run => ({
  ...r,
  stderr: r.stderr
    .replace(/\d{4}-\d\d-\d\dT\S+ [0-9a-f]+ +-?\d+ [^\n]*\n/g, '')
    .replace(/\s+/g, ' ')
    .trim(),
});
