// Three minutes of the thrasher (thrasher.ts) against this release: random faults under
// object, watch/notify and RBD workloads, then every acknowledged write checked. The seed is
// fixed per release so a failure here replays (`npm run thrash -- --seed S --minutes 3
// --release R`); `THRASH_SEED` picks another, and `npm run thrash` draws a new one each run.
import { describe, expect, it } from 'vitest';
import { currentRelease } from '../cluster/releases.ts';
import { formatReport, runThrash } from './thrasher.ts';

const SEEDS: Record<string, number> = { pacific: 1601, reef: 1802, tentacle: 2002 };

describe('the thrasher', () => {
  it('3 minutes of random faults lose no acknowledged write, no watch silently, no op past its bound', async () => {
    const release = currentRelease().name;
    const seed = process.env.THRASH_SEED ? Number(process.env.THRASH_SEED) : (SEEDS[release] ?? 1);
    const report = await runThrash({ minutes: Number(process.env.THRASH_MINUTES ?? 3), seed });
    console.log(formatReport(report));
    expect(report.failures).toEqual([]);
    // It thrashed and worked, not idled: several kinds of fault, and every workload did work.
    expect(Object.keys(report.faults).length).toBeGreaterThanOrEqual(5);
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    for (const c of [
      'object writes',
      'object reads',
      'listings',
      'rbd writes (ours)',
      'lock hand-overs to librbd and back',
      'snapshots',
      'notifies acked',
      'objects verified',
      'rbd exports checked',
    ]) {
      expect(report.counters[c] ?? 0, c).toBeGreaterThan(0);
    }
  });
});
