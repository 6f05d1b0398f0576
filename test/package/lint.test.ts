// ESLint (eslint.config.js: typescript-eslint's strict type-checked rules) over the whole tree
// finds no problem, warnings included; the rules the project leans on are on as errors.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bin, ROOT } from './pack.ts';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

async function eslint(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(bin('eslint'), args, { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 << 20 });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
  }
}

describe('ESLint', () => {
  it('the promise and switch rules are errors for the library and the tests', async () => {
    for (const file of ['src/rados.ts', 'test/cluster/cluster.ts']) {
      const r = await eslint(['--print-config', file]);
      expect(r.ok, r.output).toBe(true);
      const { rules } = JSON.parse(r.output) as { rules: Record<string, unknown[]> };
      for (const rule of ['no-floating-promises', 'no-misused-promises', 'switch-exhaustiveness-check'])
        expect(rules[`@typescript-eslint/${rule}`]?.[0], `${file}: ${rule}`).toBe(2);
    }
  });

  // Type-aware linting of every file: about a minute of CPU.
  it('finds no problem in the tree', async () => {
    const r = await eslint(['.', '--max-warnings', '0']);
    expect(r.output.trim(), 'eslint reported problems').toBe('');
    expect(r.ok, r.output).toBe(true);
  }, 600_000);
});
