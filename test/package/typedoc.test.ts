// The API reference (`npm run docs`, typedoc.json) builds, and TypeDoc's validation passes as
// errors: every type a public signature names is exported from its entry (notExported), and
// every link resolves. Written to a temporary folder, not dist/docs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, ROOT } from './pack.ts';

const out = mkdtempSync(join(tmpdir(), 'rados-ts-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('TypeDoc', () => {
  it('builds the API reference with no validation warning', async () => {
    let output: string;
    try {
      const r = await promisify(execFile)(bin('typedoc'), ['--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        maxBuffer: 16 << 20,
      });
      output = r.stdout + r.stderr;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      output = `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message;
      expect.fail(output);
    }
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(output).toContain('html generated');
  }, 120_000);
});
