// `npm run fuzz -- [--minutes N] [--seed S] [--target NAME]... [--iteration I]`: runs every decoder
// fuzz target (decoder-targets.ts) round-robin from its real inputs for N minutes (default 1), then
// prints per target its iterations, inputs that decoded, typed rejections and failures, each with
// the command that replays it; exits 1 on any failure. The unit suite runs the same targets briefly
// (fuzz-targets.test.ts). The fuzzing runs in a worker thread so that a decoder stuck in a loop
// is seen (its input stops changing) and stopped, and reported like any other failure.
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fuzzTargetNamed, fuzzTargets } from './decoder-targets.ts';
import { emptyStats, formatFailure, inputAt, type FuzzFailure, type LoadedTarget, replayCommand, runInput, runSlice, type TargetStats } from './fuzz-engine.ts';

/** What the main thread hands the worker. */
interface WorkerInput {
  seed: number;
  targets: string[];
  ms: number;
  /** [target index, iteration] of the input being decoded; written before each one. */
  beat: SharedArrayBuffer;
}

/** What the worker reports. */
type WorkerReport = { kind: 'loaded'; samples: number[] } | { kind: 'stats'; stats: TargetStats[]; done: boolean };

/** Each target's share of a round before the next one's turn (ms). */
const SLICE_MS = 250;
/** A target stops being fuzzed after this many failures (they are likely the same bug). */
const MAX_FAILURES = 5;
/** An input that has not finished after this long is a hang. */
const HANG_MS = 30_000;

async function load(names: string[]): Promise<LoadedTarget[]> {
  const out: LoadedTarget[] = [];
  for (const n of names) {
    const target = fuzzTargetNamed(n)!;
    out.push({ target, samples: await target.load() });
  }
  return out;
}

async function workerMain(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const beat = new Int32Array(input.beat);
  const targets = await load(input.targets);
  port.postMessage({ kind: 'loaded', samples: targets.map((t) => t.samples.length) } satisfies WorkerReport);
  const stats = targets.map((t) => emptyStats(t.target.name));
  const next = targets.map(() => 0);
  const deadline = performance.now() + input.ms;
  while (performance.now() < deadline) {
    let active = 0;
    for (let k = 0; k < targets.length && performance.now() < deadline; k++) {
      if (stats[k]!.failures.length >= MAX_FAILURES || targets[k]!.samples.length === 0) continue;
      active++;
      next[k] = await runSlice(targets[k]!, input.seed, next[k]!, stats[k]!, {
        until: Math.min(deadline, performance.now() + SLICE_MS),
        maxFailures: MAX_FAILURES,
        beforeEach: (i) => {
          Atomics.store(beat, 0, k);
          Atomics.store(beat, 1, i);
          Atomics.add(beat, 2, 1);
        },
      });
    }
    port.postMessage({ kind: 'stats', stats, done: false } satisfies WorkerReport);
    if (active === 0) break;
  }
  port.postMessage({ kind: 'stats', stats, done: true } satisfies WorkerReport);
}

/** Runs the worker; resolves with the stats and any hang the watch saw. */
function runWorker(input: Omit<WorkerInput, 'beat'>, onLoaded: (samples: number[]) => void): Promise<{ stats: TargetStats[]; hang?: FuzzFailure }> {
  const beat = new SharedArrayBuffer(12);
  const view = new Int32Array(beat);
  const worker = new Worker(new URL(import.meta.url), { workerData: { ...input, beat } satisfies WorkerInput });
  let stats: TargetStats[] = input.targets.map(emptyStats);
  return new Promise((resolve, reject) => {
    let finished = false;
    let lastCount = -1;
    let lastChange = performance.now();
    let loaded = false;
    const hangAt = (why: string): FuzzFailure => {
      const name = input.targets[Atomics.load(view, 0)]!;
      return { target: name, seed: input.seed, iteration: Atomics.load(view, 1), sample: '(see the replay)', kind: 'hang', detail: why };
    };
    const watch = setInterval(() => {
      const count = Atomics.load(view, 2);
      if (count !== lastCount) {
        lastCount = count;
        lastChange = performance.now();
      } else if (loaded && performance.now() - lastChange > HANG_MS) {
        finished = true;
        clearInterval(watch);
        const hang = hangAt(`no progress for ${HANG_MS / 1000} s on this input`);
        void worker.terminate().then(() => resolve({ stats, hang }));
      }
    }, 1_000);
    worker.on('message', (m: WorkerReport) => {
      if (m.kind === 'loaded') {
        loaded = true;
        lastChange = performance.now();
        onLoaded(m.samples);
        return;
      }
      stats = m.stats;
      if (m.done) {
        finished = true;
        clearInterval(watch);
        void worker.terminate().then(() => resolve({ stats }));
      }
    });
    worker.on('error', (e) => {
      clearInterval(watch);
      if (!finished) reject(e);
    });
    worker.on('exit', () => {
      clearInterval(watch);
      // The event loop ran dry mid-decode: a promise of the decoder never settled.
      if (!finished) resolve({ stats, hang: hangAt('the decode returned a promise that never settled') });
    });
  });
}

function table(stats: TargetStats[], samples: number[]): string {
  const rows = [['target', 'samples', 'iterations', 'per s', 'decoded', 'typed rejections', 'failures']];
  stats.forEach((s, i) =>
    rows.push([
      s.name,
      String(samples[i] ?? '?'),
      String(s.iterations),
      s.ms > 0 ? String(Math.round((s.iterations / s.ms) * 1000)) : '-',
      String(s.decoded),
      String(s.rejected),
      String(s.failures.length),
    ]),
  );
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

async function replayOne(names: string[], seed: number, iteration: number): Promise<number> {
  let failed = 0;
  for (const t of await load(names)) {
    const { sample, input } = inputAt(t, seed, iteration);
    const r = await runInput(t, seed, iteration);
    console.log(`${t.target.name} iteration ${iteration} (seed ${seed}): ${input.length} bytes mutated from ${sample.label}: ${r.outcome}`);
    if (r.outcome === 'failure') {
      failed++;
      console.log(formatFailure(r.failure));
    }
  }
  return failed > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '1' },
      seed: { type: 'string' },
      target: { type: 'string', multiple: true },
      iteration: { type: 'string' },
      list: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.list) {
    for (const t of fuzzTargets) console.log(`${t.name}: ${t.about}`);
    return 0;
  }
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, not ${values.minutes}`);
  const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  const names = values.target ?? fuzzTargets.map((t) => t.name);
  const unknown = names.filter((n) => !fuzzTargetNamed(n));
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; known: ${fuzzTargets.map((t) => t.name).join(', ')}`);
  if (values.iteration !== undefined) return replayOne(names, seed, Number(values.iteration));

  console.log(`fuzzing ${names.length} targets for ${minutes} min, seed ${seed} (replay with --seed ${seed})`);
  let samples: number[] = [];
  const started = performance.now();
  const { stats, hang } = await runWorker({ seed, targets: names, ms: minutes * 60_000 }, (s) => {
    samples = s;
    console.log(`loaded ${s.reduce((a, b) => a + b, 0)} real samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  console.log(table(stats, samples));
  const total = stats.reduce((a, s) => a + s.iterations, 0);
  const ms = stats.reduce((a, s) => a + s.ms, 0);
  console.log(`total: ${total} inputs in ${(ms / 1000).toFixed(1)} s (${Math.round((total / ms) * 1000)}/s), seed ${seed}`);
  const failures = stats.flatMap((s) => s.failures);
  if (hang) failures.push(hang);
  for (const f of failures) console.log(formatFailure(f));
  if (hang) console.log(`(a hang's iteration is the one it stopped on: ${replayCommand(hang)})`);
  return failures.length > 0 ? 1 : 0;
}

if (isMainThread) {
  process.exitCode = await main();
} else {
  await workerMain(workerData as WorkerInput);
}
