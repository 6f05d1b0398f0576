// Placement against osdmaptool, generated and compared in this run: `osdmaptool --createsimple`
// maps of several sizes, with crush maps built by crushtool and compiled from text (device
// classes, per-pool choose_args), marked up/in and out; `--test-map-pgs-dump` byte for byte and
// `--test-map-object` for many names.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import { textMap } from '../crush/text-map.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-osdmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });

async function ours(args: string[]): Promise<string> {
  let s = '';
  await osdmapCommand(args, (x) => (s += x));
  return s;
}

function createSimple(osds: number, pgBits: number, crush?: string): string {
  const f = join(dir, `om${n++}`);
  run('osdmaptool', ['--createsimple', String(osds), '--with-default-pool', '--pg_bits', String(pgBits), '--pgp_bits', String(Math.max(1, pgBits - 1)), '--clobber', f]);
  if (crush) run('osdmaptool', [f, '--import-crush', crush]);
  return f;
}

function buildCrush(osds: number, layers: string[]): string {
  const f = join(dir, `cm${n++}`);
  run('crushtool', ['--build', '--num_osds', String(osds), '-o', f, ...layers]);
  return f;
}

async function sameDump(map: string, marks: string[]): Promise<void> {
  const theirs = run('osdmaptool', [map, ...marks, '--test-map-pgs-dump']);
  const mine = await ours(['test-map-pgs-dump', '--osdmap', map, ...marks]);
  expect(mine).toBe(theirs);
}

const MARKS = [[], ['--mark-up-in'], ['--mark-up-in', '--mark-out', '2'], ['--mark-up-in', '--pool', '1']];

describe('osdmaptool differential', () => {
  it('createsimple maps of 1 to 64 OSDs, default crush', async () => {
    for (const [osds, bits] of [
      [1, 3],
      [5, 4],
      [12, 5],
      [64, 3],
    ] as const) {
      const m = createSimple(osds, bits);
      for (const marks of MARKS) await sameDump(m, osds > 2 ? marks : marks.filter((x) => x !== '2' && x !== '--mark-out'));
    }
  });

  it('imported crush maps: every bucket algorithm, 2 and 3 levels', async () => {
    for (const alg of ['uniform', 'list', 'tree', 'straw', 'straw2']) {
      const crush = buildCrush(24, ['host', alg, '4', 'rack', 'straw2', '2', 'root', 'straw2', '0']);
      const m = createSimple(24, 4, crush);
      for (const marks of MARKS) await sameDump(m, marks);
    }
  });

  it('device classes and per-pool choose_args (weight sets and id remaps for pool 1)', async () => {
    const txt = join(dir, `t${n++}.txt`);
    writeFileSync(
      txt,
      textMap({
        alg: 'straw2',
        tunables: { choose_local_tries: 0, choose_local_fallback_tries: 0, choose_total_tries: 50, chooseleaf_descend_once: 1, chooseleaf_vary_r: 1, chooseleaf_stable: 1 },
        hosts: 8,
        osdsPerHost: 3,
        racks: 2,
        classes: true,
        poolArgsIndex: 1,
        weight: (i) => 0.5 + (i % 4) * 0.75,
      }),
    );
    const crush = join(dir, `tc${n++}`);
    run('crushtool', ['-c', txt, '-o', crush]);
    const m = createSimple(24, 4, crush);
    for (const marks of MARKS) await sameDump(m, marks);
  });

  it('maps carrying pg_upmap_items from osdmaptool --upmap --upmap-deviation --save', async () => {
    for (const [osds, dev] of [
      [23, '1'],
      [30, '2'],
    ] as const) {
      const m = createSimple(osds, 2, buildCrush(osds, ['host', 'straw2', '4', 'root', 'straw2', '0']));
      run('osdmaptool', [m, '--mark-up-in', '--upmap', `${m}.upmap`, '--upmap-max', '20', '--upmap-deviation', dev, '--save']);
      const withUpmaps = JSON.parse(run('osdmaptool', [m, '--dump', 'json']).slice(run('osdmaptool', [m, '--dump', 'json']).indexOf('{'))) as { pg_upmap_items: unknown[] };
      expect(withUpmaps.pg_upmap_items.length).toBeGreaterThan(0);
      for (const marks of MARKS) await sameDump(m, marks);
    }
  });

  it('--test-map-object for many names equals map-object', async () => {
    const m = createSimple(16, 4, buildCrush(16, ['host', 'straw2', '4', 'root', 'straw2', '0']));
    const names = Array.from({ length: 120 }, (_, i) =>
      i % 3 === 0 ? `rbd_data.${(i * 2654435761) >>> 0}.${i.toString(16).padStart(16, '0')}` : `obj-${i}-${'x'.repeat(i % 17)}`,
    );
    for (const name of names) {
      const theirs = run('osdmaptool', [m, '--mark-up-in', '--test-map-object', name, '--pool', '1'])
        .split('\n')
        .find((l) => l.startsWith(' object'))!;
      expect(await ours(['map-object', '--osdmap', m, '--mark-up-in', '--pool', '1', name])).toBe(`${theirs}\n`);
    }
  });
});
