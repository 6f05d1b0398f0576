// The layering of src/rbd: the image context (image-ctx.ts) is what io/ and operation/ work on,
// so it must not import them (an operation it needs, as the parent reads or DetachChildRequest,
// lives with the operations and is called from there); and no module of src/rbd imports itself
// round a cycle, types included.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return modules(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The src/rbd modules a module imports (`import` and `import type`), as paths. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s[^;]*?\sfrom\s'(\.[^']+)';/gms)].map((m) => resolve(dirname(file), m[1]!)).filter((p) => p.startsWith(root));
}

describe('src/rbd layering', () => {
  it('image-ctx.ts imports no io/ or operation/ module', () => {
    const bad = imports(join(root, 'image-ctx.ts'))
      .map((p) => relative(root, p))
      .filter((p) => p.startsWith('io/') || p.startsWith('operation/'));
    expect(bad).toEqual([]);
  });

  it('no import cycles', () => {
    const graph = new Map(modules(root).map((f) => [f, imports(f)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) {
        if (state.get(g) === 'open') cycles.push([...path.slice(path.indexOf(g)), g].map((p) => relative(root, p)).join(' -> '));
        else if (!state.has(g)) visit(g, [...path, g]);
      }
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f, [f]);
    expect(cycles).toEqual([]);
  });
});
