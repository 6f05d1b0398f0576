// MonMap against monmaptool, generated in this run: every shape monmaptool writes
// decodes to what --print says and encodes back to the same bytes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMonMap, encodeMonMap } from '../../protocol/index.ts';
import { expectMatchesPrint } from './compare.ts';
import { MONMAP_CASES, monmaptool, parseMonmaptoolPrint } from './monmaptool.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-monmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MonMap vs monmaptool (generated now)', () => {
  for (const [name, args] of Object.entries(MONMAP_CASES)) {
    it(name, () => {
      const file = join(dir, `${name}.monmap`);
      monmaptool(['--create', '--clobber', '--fsid', crypto.randomUUID(), ...args, file]);
      const bytes = new Uint8Array(readFileSync(file));
      const map = decodeMonMap(bytes);
      expectMatchesPrint(map, parseMonmaptoolPrint(monmaptool(['--print', file])));
      expect(encodeMonMap(map)).toEqual(bytes);
    });
  }

  it('an edited map (epoch bumped, mon removed) as monmaptool --rm writes it', () => {
    const file = join(dir, 'edited.monmap');
    monmaptool(['--create', '--clobber', '--fsid', crypto.randomUUID(), '--add', 'a', '127.0.0.1:6789', '--add', 'b', '127.0.0.2:6789', file]);
    monmaptool(['--rm', 'a', file]);
    const bytes = new Uint8Array(readFileSync(file));
    const map = decodeMonMap(bytes);
    expectMatchesPrint(map, parseMonmaptoolPrint(monmaptool(['--print', file])));
    expect(map.ranks).toEqual(['b']);
    expect(encodeMonMap(map)).toEqual(bytes);
  });
});
