// The fuzz loop shared by `npm run fuzz` (run-fuzz.ts) and the unit suite (fuzz-targets.test.ts):
// mutated real inputs go to a target's decoder; each must decode or throw one of the target's typed
// errors, within a time and memory bound. Input i of a target under seed S depends on S, the
// target's name and i only, so any failure is replayed by its (seed, target, iteration).
import { getHeapStatistics } from 'node:v8';
import { mutate, prng } from './mutate.ts';

/** One real input: bytes a Ceph daemon or client produced, and what a decoder needs beside them. */
export interface FuzzSample {
  /** Where the bytes came from (fixture file, frame or message), for failure reports. */
  label: string;
  /** The bytes the mutator works on. */
  bytes: Uint8Array;
}

/** An error class a decoder may throw for bad input. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** One decoder family under fuzz: where its real inputs come from and how they are decoded. */
export interface FuzzTarget<S extends FuzzSample = FuzzSample> {
  /** Short name for --target (e.g. "osdmap-full"). */
  name: string;
  /** What is decoded, from which fixtures. */
  about: string;
  /** The real samples, read from fixtures/. */
  load(): Promise<S[]>;
  /** Decodes one (mutated) input of a sample's kind; may be async (crypto, frame codecs). */
  decode(input: Uint8Array, sample: S): unknown;
  /** The error classes a bad input may end in; anything else is a failure. */
  typed: readonly ErrorClass[];
}

/** A target with its samples read. */
export interface LoadedTarget {
  target: FuzzTarget;
  samples: FuzzSample[];
}

/** Limits one input must stay within. */
export interface FuzzLimits {
  /** An input whose decode takes longer than this (ms) is a failure ("slow"). */
  slowMs: number;
  /** An input whose decode grows the ArrayBuffer or JS heap by more than this (bytes) is a failure. */
  maxGrowth: number;
}

/** Default limits: a decode of a few KiB of input has no reason to take 2 s or 64 MiB. */
export const DEFAULT_LIMITS: FuzzLimits = { slowMs: 2_000, maxGrowth: 64 * 1024 * 1024 };

/** An input that broke the contract, with what replays it. */
export interface FuzzFailure {
  target: string;
  seed: number;
  iteration: number;
  /** The sample the input was mutated from. */
  sample: string;
  kind: 'untyped-throw' | 'slow' | 'memory' | 'hang';
  detail: string;
}

/** Per target totals. */
export interface TargetStats {
  name: string;
  iterations: number;
  /** Inputs that decoded (returned a value). */
  decoded: number;
  /** Inputs rejected with one of the target's typed errors. */
  rejected: number;
  failures: FuzzFailure[];
  /** Wall time spent in this target's inputs (ms). */
  ms: number;
}

/** fmix32 of MurmurHash3: spreads (seed, target, iteration) over the PRNG's state. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const INTERESTING_U32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/**
 * mutate.ts's edits (truncation, bit flips, random bytes, 0xff runs) plus what they miss: a
 * length-like le32 written anywhere, bytes inserted or cut out of the middle, a run repeated.
 */
export function mutateInput(src: Uint8Array, rnd: () => number): Uint8Array {
  const kind = rnd() % 8;
  if (kind < 4 || src.length < 4) return mutate(src.length === 0 ? new Uint8Array(1) : src, rnd);
  const at = rnd() % src.length;
  if (kind === 4) {
    const b = src.slice();
    const v = rnd() % 2 === 0 ? INTERESTING_U32[rnd() % INTERESTING_U32.length]! : rnd() % (2 * src.length + 1);
    const pos = Math.min(at, b.length - 4);
    new DataView(b.buffer).setUint32(pos, v >>> 0, true);
    return b;
  }
  const n = 1 + (rnd() % 16);
  if (kind === 5) {
    const b = new Uint8Array(src.length + n);
    b.set(src.subarray(0, at));
    for (let i = 0; i < n; i++) b[at + i] = rnd() & 0xff;
    b.set(src.subarray(at), at + n);
    return b;
  }
  if (kind === 6) {
    const end = Math.min(src.length, at + n);
    const b = new Uint8Array(src.length - (end - at));
    b.set(src.subarray(0, at));
    b.set(src.subarray(end), at);
    return b;
  }
  const run = src.subarray(at, Math.min(src.length, at + n));
  const b = new Uint8Array(src.length + run.length);
  b.set(src.subarray(0, at + run.length));
  b.set(run, at + run.length);
  b.set(src.subarray(at + run.length), at + 2 * run.length);
  return b;
}

/** Input `iteration` of `target` under `seed`: its sample and the mutated bytes. */
export function inputAt(t: LoadedTarget, seed: number, iteration: number): { sample: FuzzSample; input: Uint8Array } {
  const sample = t.samples[iteration % t.samples.length]!;
  const rnd = prng(fmix32((seed ^ nameHash(t.target.name)) + Math.imul(iteration, 0x9e3779b9)) || 1);
  return { sample, input: mutateInput(sample.bytes, rnd) };
}

const heapNow = (): { external: number; heap: number } => {
  const s = getHeapStatistics();
  return { external: s.external_memory, heap: s.used_heap_size };
};

/** Runs input `iteration` of a target and sorts its outcome; a failure comes back described. */
export async function runInput(
  t: LoadedTarget,
  seed: number,
  iteration: number,
  limits: FuzzLimits = DEFAULT_LIMITS,
): Promise<{ outcome: 'decoded' | 'rejected' } | { outcome: 'failure'; failure: FuzzFailure }> {
  const { sample, input } = inputAt(t, seed, iteration);
  const fail = (kind: FuzzFailure['kind'], detail: string): { outcome: 'failure'; failure: FuzzFailure } => ({
    outcome: 'failure',
    failure: { target: t.target.name, seed, iteration, sample: sample.label, kind, detail },
  });
  const before = heapNow();
  const start = performance.now();
  let outcome: 'decoded' | 'rejected' = 'decoded';
  try {
    await t.target.decode(input, sample);
  } catch (e) {
    if (!t.target.typed.some((c) => e instanceof c)) {
      const err = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n') ?? ''}` : `non-Error thrown: ${String(e)}`;
      return fail('untyped-throw', err);
    }
    outcome = 'rejected';
  }
  const ms = performance.now() - start;
  if (ms > limits.slowMs) return fail('slow', `${ms.toFixed(0)} ms for ${input.length} bytes`);
  const after = heapNow();
  const grew = Math.max(after.external - before.external, after.heap - before.heap);
  if (grew > limits.maxGrowth) return fail('memory', `${(grew / 2 ** 20).toFixed(0)} MiB allocated for ${input.length} bytes`);
  return { outcome };
}

/** Fresh totals for a target. */
export const emptyStats = (name: string): TargetStats => ({ name, iterations: 0, decoded: 0, rejected: 0, failures: [], ms: 0 });

/**
 * Runs inputs `from`, `from + 1`, … of a target into `stats` until `count` are done or `until`
 * (a performance.now() time) passes or the target has `maxFailures`; `beforeEach` sees each iteration first (the runner's hang watch).
 * Returns the next iteration.
 */
export async function runSlice(
  t: LoadedTarget,
  seed: number,
  from: number,
  stats: TargetStats,
  opts: { count?: number; until?: number; limits?: FuzzLimits; maxFailures?: number; beforeEach?: (iteration: number) => void },
): Promise<number> {
  const start = performance.now();
  let i = from;
  const more = (): boolean =>
    (opts.count === undefined || i < from + opts.count) &&
    (opts.until === undefined || performance.now() < opts.until) &&
    (opts.maxFailures === undefined || stats.failures.length < opts.maxFailures);
  for (; more(); i++) {
    opts.beforeEach?.(i);
    const r = await runInput(t, seed, i, opts.limits);
    stats.iterations++;
    if (r.outcome === 'failure') stats.failures.push(r.failure);
    else stats[r.outcome]++;
  }
  stats.ms += performance.now() - start;
  return i;
}

/** The command line that replays a failure. */
export const replayCommand = (f: Pick<FuzzFailure, 'seed' | 'target' | 'iteration'>): string => `npm run fuzz -- --seed ${f.seed} --target ${f.target} --iteration ${f.iteration}`;

/** A failure as the runner prints it. */
export const formatFailure = (f: FuzzFailure): string =>
  `FAIL ${f.target} (${f.kind}) at iteration ${f.iteration}, seed ${f.seed}, from ${f.sample}:\n  ${f.detail.replaceAll('\n', '\n  ')}\n  replay: ${replayCommand(f)}`;
