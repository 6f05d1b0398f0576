// Every TypeScript and JavaScript file is as Prettier (prettier.config.js) prints it;
// `npm run format` rewrites the ones listed on failure.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bin, ROOT } from './pack.ts';

describe('Prettier', () => {
  it('every source file is formatted', async () => {
    let output: string;
    let ok = true;
    try {
      const r = await promisify(execFile)(bin('prettier'), ['--check', '**/*.{ts,mts,js}'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        maxBuffer: 16 << 20,
      });
      output = r.stdout + r.stderr;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      output = `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message;
      ok = false;
    }
    expect(ok, `not formatted (npm run format):\n${output}`).toBe(true);
    expect(output).toContain('All matched files use Prettier code style!');
  }, 120_000);
});
