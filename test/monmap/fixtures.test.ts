// Offline: the monmaps captured in fixtures/monmap (see its README for how they were made).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMonMap, encodeMonMap } from '../../protocol/index.ts';
import { expectMatchesPrint } from './compare.ts';
import { parseMonmaptoolPrint } from './monmaptool.ts';

const dir = join(import.meta.dirname, '../../fixtures/monmap');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.monmap'))
  .map((f) => f.slice(0, -'.monmap'.length));

describe('MonMap fixtures', () => {
  it('has fixtures to check', () => expect(names.length).toBeGreaterThanOrEqual(6));
  for (const name of names) {
    it(name, () => {
      const bytes = new Uint8Array(readFileSync(join(dir, `${name}.monmap`)));
      const map = decodeMonMap(bytes);
      expectMatchesPrint(map, parseMonmaptoolPrint(readFileSync(join(dir, `${name}.print.txt`), 'utf8')));
      expect(encodeMonMap(map)).toEqual(bytes);
    });
  }
});
