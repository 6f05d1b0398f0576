// The published shape of the package: publint lints package.json against the packed files, and
// Are The Types Wrong (attw, esm-only profile: no CommonJS consumers) resolves every `exports`
// entry's types as Node16-ESM and bundler consumers would. Either one reporting an error fails.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, type Packed, packPackage, ROOT } from './pack.ts';

let packed: Packed;
beforeAll(() => {
  packed = packPackage();
}, 120_000);
afterAll(() => rmSync(packed.dir, { recursive: true, force: true }));

/** Runs a tool; its output is the failure message when it exits non-zero. */
function run(tool: string, args: string[]): { ok: boolean; output: string } {
  try {
    const output = execFileSync(bin(tool), args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    return { ok: true, output };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
  }
}

describe('package gates', () => {
  it('publint finds no error or warning in the packed tarball', () => {
    const r = run('publint', ['run', packed.tarball, '--strict']);
    expect(r.output).toContain('All good');
    expect(r.ok, r.output).toBe(true);
  });

  it('attw (--profile esm-only) finds no problem in any entry point', () => {
    const r = run('attw', [packed.tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color', '--no-emoji']);
    expect(r.ok, r.output).toBe(true);
    for (const entry of ['"rados-ts"', '"rados-ts/crush"', '"rados-ts/protocol"']) expect(r.output).toContain(entry);
  });
});
