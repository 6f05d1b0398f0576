// CRUSH and OSDMap placement, ours beside crushtool and osdmaptool in the same run:
// a 1,000-OSD 3-level straw2 map at num-rep 3 over 100,000 x; and --test-map-pgs-dump of a
// 1,000-OSD map with 16,000 PGs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCrushMap } from '../crush/decode-crush-map.ts';
import { crushTestLines } from '../crush/tester.ts';
import { osdmapCommand } from '../src/cli/osdmap-commands.ts';
import { fmt, table } from './measure.ts';

function timeProcess(cmd: string, args: string[]): number {
  const t = performance.now();
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
  return performance.now() - t;
}

const best = (n: number, f: () => number): number => Math.min(...Array.from({ length: n }, f));

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rados-ts-bench-'));
  try {
    console.log('\n## CRUSH: 1,000 OSDs, host/rack/root straw2, num-rep 3, x = 0..99,999 (mappings/s, higher is better)');
    const map = join(dir, 'c1000');
    execFileSync('crushtool', ['--build', '--num_osds', '1000', '-o', map, 'host', 'straw2', '10', 'rack', 'straw2', '10', 'root', 'straw2', '0'], { stdio: 'ignore' });
    const N = 100_000;
    const args = (max: number): string[] => ['-i', map, '--test', '--show-mappings', '--rule', '0', '--num-rep', '3', '--min-x', '0', '--max-x', String(max - 1)];
    const startup = best(3, () => timeProcess('crushtool', args(1)));
    const theirsMs = best(3, () => timeProcess('crushtool', args(N))) - startup;
    const crush = decodeCrushMap(new Uint8Array(readFileSync(map)));
    const oursMs = best(3, () => {
      const t = performance.now();
      let n = 0;
      for (const line of crushTestLines(crush, { rule: 0, minRep: 3, maxRep: 3, minX: 0, maxX: N - 1 })) n += line.length;
      // The text is the work being timed; an empty result would make the figure meaningless.
      if (n === 0) throw new Error('crushTestLines produced no lines');
      return performance.now() - t;
    });
    const ours = (N / oursMs) * 1000;
    const theirs = (N / theirsMs) * 1000;
    table([
      ['', 'mappings/s', 'ms'],
      ['rados-ts (mappings + the same text lines)', fmt(ours), fmt(oursMs)],
      [`crushtool --test --show-mappings (minus ${fmt(startup)} ms startup)`, fmt(theirs), fmt(theirsMs)],
      ['ratio ours/crushtool', `${(ours / theirs).toFixed(2)}x`, 'target >= 1.0x'],
    ]);

    console.log('\n## OSDMap: --test-map-pgs-dump, 1,000 OSDs, 16,000 PGs (ms, lower is better)');
    const om = join(dir, 'om1000');
    execFileSync('osdmaptool', ['--createsimple', '1000', '--with-default-pool', '--pg_bits', '4', '--pgp_bits', '4', '--clobber', om], { stdio: 'ignore' });
    const toolMs = best(3, () => timeProcess('osdmaptool', [om, '--mark-up-in', '--test-map-pgs-dump']));
    // osdmapCommand is async (file read): time it properly.
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await osdmapCommand(['test-map-pgs-dump', '--osdmap', om, '--mark-up-in'], () => {});
      runs.push(performance.now() - t);
    }
    const mine = Math.min(...runs);
    table([
      ['', 'ms'],
      ['rados-ts osdmap test-map-pgs-dump (in-process)', fmt(mine)],
      ['osdmaptool --test-map-pgs-dump (process)', fmt(toolMs)],
      ['ratio osdmaptool/ours (speed-up)', `${(toolMs / mine).toFixed(2)}x`],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
