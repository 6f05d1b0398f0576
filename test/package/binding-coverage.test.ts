// The README's coverage table against Ceph's Python bindings stays true: it lists every public
// method of python3-rados/python3-rbd 16.2.15 (fixtures/pybind/methods.json) once; each member of
// ours it names exists in the build's declarations; and no row says "—" where we now have the
// member (so adding a method means adding it to the table).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesRoot } from '../fixtures/fixtures-root.ts';
import { END, START, bindingMethods, coverageRows, ourMembers } from './binding-coverage.ts';

interface TableRow {
  python: string;
  ours: string | undefined;
}

function readmeRows(): TableRow[] {
  const readme = readFileSync(join(fixturesRoot, '..', 'README.md'), 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  expect(start, 'README has the binding-coverage markers').toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const rows: TableRow[] = [];
  for (const line of readme.slice(start, end).split('\n')) {
    const m = /^\| `([\w.]+)` \| (?:`([\w.]+)`|—) \|/.exec(line);
    if (m) rows.push({ python: m[1]!, ours: m[2] });
  }
  return rows;
}

describe('README coverage table against the Python bindings', () => {
  it('lists each binding method once, and names only members we have', () => {
    const rows = readmeRows();
    const expected = Object.entries(bindingMethods()).flatMap(([cls, ms]) => ms.map((m) => `${cls}.${m}`));
    expect(expected.length).toBe(323);
    expect(rows.map((r) => r.python).sort()).toEqual([...expected].sort());
    for (const r of rows) {
      if (!r.ours) continue;
      const [cls, member] = r.ours.split('.') as [string, string];
      expect(ourMembers(cls).has(member), `${r.python} → ${r.ours}: no such member`).toBe(true);
    }
  });

  it('is what the build has now: a row says "—" only where we have no counterpart', () => {
    const now = new Map(coverageRows().map((r) => [r.python, r.ours]));
    for (const r of readmeRows()) expect(r.ours, r.python).toBe(now.get(r.python));
  });
});
