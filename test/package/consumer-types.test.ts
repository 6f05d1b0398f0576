// A consumer's view of the declarations: test/package/consumer/ imports `rados-ts`,
// `rados-ts/crush` and `rados-ts/protocol` from the packed tarball (installed into a temporary
// node_modules) and names every public option/result type. It must type-check with
// skipLibCheck off, under NodeNext and bundler resolution and the `workerd` condition, with
// the oldest TypeScript we support (the consumer project's own `typescript`, 5.2: the first
// with lib esnext.disposable, which Symbol.asyncDispose needs) and with the repository's.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTarball, type Packed, packPackage, ROOT } from './pack.ts';

const CONSUMER = join(ROOT, 'test/package/consumer');
const COMPILERS = {
  minimum: join(CONSUMER, 'node_modules/typescript'),
  repository: join(ROOT, 'node_modules/typescript'),
} as const;
const CONFIGS = ['nodenext', 'bundler', 'workerd'] as const;

let packed: Packed;
let dir: string;
beforeAll(() => {
  packed = packPackage();
  dir = join(packed.dir, 'consumer');
  mkdirSync(dir);
  for (const f of readdirSync(CONSUMER)) if (f.endsWith('.mts') || f.startsWith('tsconfig.')) cpSync(join(CONSUMER, f), join(dir, f));
  installTarball(packed, dir);
  // Node's types for the NodeNext consumer (the bundler ones use `types: []`).
  symlinkSync(join(ROOT, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
}, 120_000);
afterAll(() => rmSync(packed.dir, { recursive: true, force: true }));

const versionOf = (ts: string): string => (JSON.parse(readFileSync(join(ts, 'package.json'), 'utf8')) as { version: string }).version;

async function tsc(ts: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ts, 'bin/tsc'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 16 << 20 });
    return { ok: true, output: stdout };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
  }
}

// Concurrent: each check is a separate tsc process.
describe.concurrent('consumer type-check of the packed declarations', () => {
  it('the minimum TypeScript is 5.2.x', () => {
    expect(versionOf(COMPILERS.minimum)).toMatch(/^5\.2\./);
  });

  for (const [which, ts] of Object.entries(COMPILERS)) {
    for (const config of CONFIGS) {
      it(`${which} TypeScript, tsconfig.${config}.json`, async () => {
        const r = await tsc(ts, ['-p', `tsconfig.${config}.json`]);
        expect(r.ok, `TypeScript ${versionOf(ts)}:\n${r.output}`).toBe(true);
      });
    }
  }

  // TypeScript takes the first matching condition: `workerd` must come before `types`, or the
  // Workers entry's declarations are never seen.
  it('the workerd condition resolves to the Workers entry declarations', async () => {
    const rootExport = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, unknown>> }).exports['.'] ?? {};
    expect(Object.keys(rootExport)[0]).toBe('workerd');
    const r = await tsc(COMPILERS.repository, ['-p', 'tsconfig.workerd.json', '--listFiles']);
    expect(r.ok, r.output).toBe(true);
    expect(r.output).toContain('rados-ts/dist/src/index.workerd.d.ts');
    expect(r.output).not.toContain('rados-ts/dist/src/index.d.ts');
  });
});
