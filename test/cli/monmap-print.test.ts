// `rados-ts monmap print` prints what `monmaptool --print` prints, for every fixture map.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'fixtures/monmap');

describe('rados-ts monmap print', () => {
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.monmap'))) {
    it(f, () => {
      const ours = execFileSync('node', [join(root, 'dist/src/cli/main.js'), 'monmap', 'print', join(dir, f)], { encoding: 'utf8' });
      // monmaptool's first line names the file it read: not part of the map.
      const theirs = readFileSync(join(dir, f.replace('.monmap', '.print.txt')), 'utf8')
        .split('\n')
        .slice(1)
        .join('\n');
      expect(ours).toBe(theirs);
    });
  }
});
