// Every fuzz target of `npm run fuzz` (decoder-targets.ts), briefly: its real samples load and
// decode as they are, then a few hundred mutations of them (fixed seed) keep the contract. And the
// engine's verdicts: an untyped throw, a slow input and a huge allocation are failures that name
// the seed and iteration that replay them.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../protocol/encoding/decode-error.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { fuzzTargets } from './decoder-targets.ts';
import { emptyStats, formatFailure, inputAt, type LoadedTarget, runInput, runSlice } from './fuzz-engine.ts';

const SEED = 0x5eed;
const ITERATIONS = 300;

describe('fuzz targets', () => {
  it('covers each decoder family the issue names', () => {
    expect(fuzzTargets.map((t) => t.name)).toEqual(
      expect.arrayContaining(['msgr2-stream', 'msgr2-frame-payloads', 'cephx', 'messages', 'osdmap-full', 'osdmap-incremental', 'monmap', 'cls-replies']),
    );
  });

  for (const target of fuzzTargets) {
    it(`${target.name}: real samples decode, and ${ITERATIONS} mutations of them decode or throw a typed error`, async () => {
      const samples = await target.load();
      expect(samples.length).toBeGreaterThan(0);
      for (const s of samples) {
        await Promise.resolve(target.decode(s.bytes, s)).catch((e: unknown) => {
          throw new Error(`${s.label} does not decode as captured`, { cause: e });
        });
      }
      const stats = emptyStats(target.name);
      await runSlice({ target, samples }, SEED, 0, stats, { count: ITERATIONS });
      expect(stats.failures.map(formatFailure)).toEqual([]);
      expect(stats.iterations).toBe(ITERATIONS);
      expect(stats.decoded + stats.rejected).toBe(ITERATIONS);
    });
  }
});

describe('fuzz engine', () => {
  const sample = { label: 'a u32 and a string', bytes: new Uint8Array([1, 0, 0, 0, 3, 0, 0, 0, 0x61, 0x62, 0x63]) };
  const decode = (b: Uint8Array): unknown => {
    const r = new Reader(b);
    return [r.u32('n'), r.string('s')];
  };
  const loaded = (d: (b: Uint8Array) => unknown): LoadedTarget => ({
    target: { name: 'test', about: '', load: () => Promise.resolve([sample]), decode: d, typed: [DecodeError] },
    samples: [sample],
  });

  it('a decoder that keeps the contract: decoded and typed rejections, no failure', async () => {
    const stats = emptyStats('test');
    await runSlice(loaded(decode), SEED, 0, stats, { count: 500 });
    expect(stats.failures).toEqual([]);
    expect(stats.decoded).toBeGreaterThan(0);
    expect(stats.rejected).toBeGreaterThan(0);
  });

  it('a TypeError is a failure naming the seed and iteration, and that pair replays the same input', async () => {
    // Broken on purpose: any input not of the sample's length ends in a TypeError, not a DecodeError.
    const broken = (b: Uint8Array): unknown => {
      if (b.length !== sample.bytes.length) throw new TypeError(`cannot read ${b.length} bytes`);
      return decode(b);
    };
    const stats = emptyStats('test');
    await runSlice(loaded(broken), 42, 0, stats, { count: 200, maxFailures: 3 });
    expect(stats.failures).toHaveLength(3);
    const f = stats.failures[0]!;
    expect(f).toMatchObject({ target: 'test', seed: 42, kind: 'untyped-throw', sample: sample.label });
    expect(f.detail).toMatch(/^TypeError: cannot read/);
    expect(formatFailure(f)).toContain(`npm run fuzz -- --seed 42 --target test --iteration ${f.iteration}`);
    const again = await runInput(loaded(broken), 42, f.iteration);
    expect(again).toMatchObject({ outcome: 'failure', failure: { ...f, detail: expect.stringContaining(f.detail.split('\n')[0]!) as unknown } });
    expect(inputAt(loaded(broken), 42, f.iteration).input).toEqual(inputAt(loaded(decode), 42, f.iteration).input);
    expect(inputAt(loaded(broken), 43, f.iteration).input).not.toEqual(inputAt(loaded(broken), 42, f.iteration).input);
  });

  it('a huge allocation and a slow input are failures', async () => {
    const hog = (): unknown => new Uint8Array(64 * 2 ** 20);
    const r = await runInput(loaded(hog), 1, 0, { slowMs: 60_000, maxGrowth: 2 ** 20 });
    expect(r).toMatchObject({ outcome: 'failure', failure: { kind: 'memory' } });
    const slow = (): unknown => {
      const end = performance.now() + 50;
      while (performance.now() < end);
      return undefined;
    };
    const s = await runInput(loaded(slow), 1, 0, { slowMs: 1, maxGrowth: 2 ** 30 });
    expect(s).toMatchObject({ outcome: 'failure', failure: { kind: 'slow' } });
  });
});
