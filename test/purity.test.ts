// protocol/ and crush/ must run in Workers: the compiler rejects Node APIs there.
// Compile a probe file with each pure project's settings and expect the errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const probeDir = mkdtempSync(join(root, 'dist', 'purity-'));
afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

function compile(project: 'protocol' | 'crush', source: string): string {
  writeFileSync(join(probeDir, 'probe.ts'), source);
  writeFileSync(
    join(probeDir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, project, 'tsconfig.json'),
      compilerOptions: { noEmit: true, composite: false, incremental: false, rootDir: probeDir },
      include: ['probe.ts'],
      files: [join(root, 'protocol', 'web-platform.d.ts')],
      references: [],
    }),
  );
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', probeDir], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    return (e as { stdout: string }).stdout;
  }
}

describe('pure folders reject Node APIs at compile time', () => {
  for (const project of ['protocol', 'crush'] as const) {
    it(`${project}: node:net and Buffer do not compile`, () => {
      const out = compile(project, "import { connect } from 'node:net';\nexport const b = Buffer.from('x');\nexport const c = connect;\n");
      expect(out).toMatch(/Cannot find module 'node:net'/);
      expect(out).toMatch(/Cannot find name 'Buffer'/);
    });
    it(`${project}: Web Platform globals and plain TS do compile`, () => {
      expect(compile(project, "export const u = new TextEncoder().encode('x');\nexport const d = new DataView(u.buffer);\n")).toBe('');
    });
  }
});

// The layering protocol/ → crush/ → src/: pure code reaches only down (what moved into
// protocol/ took its types along and left nothing it needs in src/).
describe('pure folders import only from below', () => {
  const allowed = { protocol: ['protocol'], crush: ['crush', 'protocol'] } as const;
  for (const project of ['protocol', 'crush'] as const) {
    it(`${project}: every non-test file imports only from ${allowed[project].join(' and ')}`, () => {
      const files = (readdirSync(join(root, project), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      expect(files.length).toBeGreaterThan(10);
      const escapes: string[] = [];
      for (const f of files) {
        const path = join(root, project, f);
        for (const [, spec] of readFileSync(path, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
          // Packages (crc-32) are dependencies; node:* cannot compile here (above).
          if (!spec!.startsWith('.')) continue;
          const top = relative(root, resolve(dirname(path), spec!)).split(/[\\/]/)[0]!;
          if (!(allowed[project] as readonly string[]).includes(top)) escapes.push(`${project}/${f} → ${spec}`);
        }
      }
      expect(escapes).toEqual([]);
    });
  }
});
