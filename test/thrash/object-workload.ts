// Objects under thrashing: workers own disjoint objects in each pool and write them with
// compound ops (data, an xattr, omap where the pool has it), append, read back, remove and
// list, keeping a model of what each acknowledged op left. Any op that fails, any read or
// listing that disagrees with the model, is a finding; at the end every object is read back.
import { type IoCtx, RadosError, ReadOp, WriteOp } from '../../src/index.ts';
import { pattern } from '../integration/byte-pattern.ts';
import { firstDiff } from './first-diff.ts';
import { Prng } from './prng.ts';
import { sleep, type ThrashContext, tool } from './thrash-context.ts';

/** What an object holds after the acknowledged ops on it. */
interface ObjectState {
  data: Uint8Array;
  version: string;
  omap: Map<string, Uint8Array>;
}

/** The model of one pool: object → state (absent: removed or never written). */
export interface PoolModel {
  pool: string;
  io: IoCtx;
  /** Whether the pool takes omap (not an EC pool). */
  omap: boolean;
  objects: Map<string, ObjectState | undefined>;
  /** Objects with an op out now: a listing may or may not show them. */
  busy: Set<string>;
  /** Each listing under way: the objects an op started on since it began (however short the op). */
  touchedDuringListing: Set<Set<string>>;
  /** Every object ever written (a listing shows nothing else). */
  ever: Set<string>;
}

/** The object workers' names (`w<worker>-o<n>`). */
const WORKER_OID = /^w\d+-o\d+$/;

/** An op has no client timeout of its own under thrashing; past this it is a finding (a stall). */
export const OP_BOUND_MS = 150_000;

const te = new TextEncoder();
const td = new TextDecoder();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Reads `oid` and says how it differs from `want` (undefined: equal). */
export async function checkObject(m: PoolModel, oid: string, want: ObjectState | undefined, io: IoCtx = m.io): Promise<string | undefined> {
  const op = new ReadOp()
    .stat()
    .read(0, 1 << 20)
    .getXattr('v');
  if (m.omap) op.getOmapVals('', 100);
  let got: Awaited<ReturnType<IoCtx['operateReadOp']>>;
  try {
    got = await io.operateReadOp(op, oid, { timeoutMs: OP_BOUND_MS });
  } catch (e) {
    if (e instanceof RadosError && e.errno === 2) return want ? `${m.pool}/${oid}: ENOENT, expected ${want.data.length} bytes v${want.version}` : undefined;
    throw e;
  }
  if (!want) return `${m.pool}/${oid}: exists, expected it removed`;
  const data = got[1] as Uint8Array;
  const v = td.decode(got[2] as Uint8Array);
  if (firstDiff(data, want.data) >= 0) return `${m.pool}/${oid}: data differs (${data.length} bytes, expected ${want.data.length}, v${want.version})`;
  if (v !== want.version) return `${m.pool}/${oid}: xattr v=${v}, expected ${want.version}`;
  if (m.omap) {
    const entries = (got[3] as { entries: Map<string, Uint8Array> }).entries;
    const keys = [...entries.keys()].join(',');
    const wantKeys = [...want.omap.keys()].sort().join(',');
    if (keys !== wantKeys) return `${m.pool}/${oid}: omap keys ${keys}, expected ${wantKeys}`;
    for (const [k, val] of want.omap) if (firstDiff(entries.get(k)!, val) >= 0) return `${m.pool}/${oid}: omap ${k} differs`;
  }
  return undefined;
}

/** One worker: its own objects in one pool, one op at a time each. */
async function worker(ctx: ThrashContext, m: PoolModel, oids: string[], rng: Prng): Promise<void> {
  let seq = 0;
  while (Date.now() < ctx.stopAt) {
    const oid = rng.pick(oids);
    const cur = m.objects.get(oid);
    const roll = rng.next();
    const opts = { timeoutMs: OP_BOUND_MS };
    m.busy.add(oid);
    for (const t of m.touchedDuringListing) t.add(oid);
    try {
      if (roll < 0.5 || !cur) {
        const version = `${oid}#${++seq}`;
        const data = pattern(rng.int(0, 48 * 1024), rng.int(1, 0x7fffffff));
        const op = new WriteOp().writeFull(data).setXattr('v', te.encode(version));
        const omap = new Map<string, Uint8Array>();
        if (m.omap) {
          for (let i = rng.int(0, 4); i > 0; i--) omap.set(`k${rng.int(0, 9)}`, pattern(rng.int(1, 64), rng.int(1, 1e9)));
          op.clearOmap().setOmap(omap);
        }
        m.ever.add(oid);
        await m.io.operateWriteOp(op, oid, opts);
        m.objects.set(oid, { data, version, omap });
        ctx.count('object writes');
      } else if (roll < 0.62 && m.omap) {
        const version = `${oid}#${++seq}`;
        const extra = pattern(rng.int(1, 8192), rng.int(1, 0x7fffffff));
        await m.io.operateWriteOp(new WriteOp().append(extra).setXattr('v', te.encode(version)), oid, opts);
        m.objects.set(oid, { data: concat(cur.data, extra), version, omap: cur.omap });
        ctx.count('object appends');
      } else if (roll < 0.95) {
        const diff = await checkObject(m, oid, cur);
        if (diff) ctx.fail(`read during thrashing: ${diff}`);
        ctx.count('object reads');
      } else {
        await m.io.remove(oid, opts);
        m.objects.set(oid, undefined);
        ctx.count('object removes');
      }
    } catch (e) {
      ctx.fail(`${m.pool}/${oid}: op failed: ${(e as Error).name}: ${(e as Error).message}`);
      // The op's outcome is unknown now (it may still apply): the object leaves the model and
      // this worker's set, so one failure is reported once, not again at every later read.
      m.objects.delete(oid);
      oids.splice(oids.indexOf(oid), 1);
      if (oids.length === 0) return;
    } finally {
      m.busy.delete(oid);
    }
  }
}

/** Lists the pool now and then: every object that existed throughout shows, nothing unknown does. */
async function lister(ctx: ThrashContext, models: PoolModel[], rng: Prng): Promise<void> {
  while (Date.now() < ctx.stopAt) {
    await sleep(rng.int(6_000, 12_000));
    const m = rng.pick(models);
    const before = new Set([...m.objects].filter(([oid, s]) => s && !m.busy.has(oid)).map(([oid]) => oid));
    // Every object an op starts on meanwhile, also one removed and made again between two
    // looks (sampling m.busy on a timer missed those).
    const touched = new Set<string>();
    m.touchedDuringListing.add(touched);
    try {
      const listed = new Set<string>();
      for await (const o of m.io.listObjects({ timeoutMs: OP_BOUND_MS })) listed.add(o.name);
      for (const oid of before) if (!listed.has(oid) && !touched.has(oid) && m.objects.get(oid)) ctx.fail(`listing ${m.pool}: ${oid} missing`);
      // The pool also holds the RBD images' and the watched objects: only this workload's names count.
      for (const oid of listed) if (WORKER_OID.test(oid) && !m.ever.has(oid)) ctx.fail(`listing ${m.pool}: unknown object ${oid}`);
      ctx.count('listings');
    } catch (e) {
      ctx.fail(`listing ${m.pool} failed: ${(e as Error).message}`);
    } finally {
      m.touchedDuringListing.delete(touched);
    }
  }
}

/** Runs the object workers (4 per pool) and the lister until ctx.stopAt. */
export async function runObjectWorkload(ctx: ThrashContext, models: PoolModel[], rng: Prng): Promise<void> {
  const jobs: Array<Promise<void>> = [];
  for (const m of models) {
    for (let w = 0; w < 4; w++) {
      const oids = Array.from({ length: 12 }, (_, i) => `w${w}-o${i}`);
      jobs.push(worker(ctx, m, oids, rng.fork(jobs.length)));
    }
  }
  jobs.push(lister(ctx, models, rng.fork(99)));
  await Promise.all(jobs);
}

/**
 * The end check: every object as the model says, read through a fresh handle (`io`), and a
 * sample through Ceph's own `rados get` (Ceph agrees, not only we).
 */
export async function verifyObjects(ctx: ThrashContext, models: PoolModel[], ios: IoCtx[], rng: Prng): Promise<number> {
  let checked = 0;
  for (let i = 0; i < models.length; i++) {
    const m = models[i]!;
    for (const [oid, want] of m.objects) {
      const diff = await checkObject(m, oid, want, ios[i]).catch((e: unknown) => `${m.pool}/${oid}: read failed: ${(e as Error).message}`);
      if (diff) ctx.fail(`after thrashing: ${diff}`);
      checked++;
    }
    const present = [...m.objects].filter(([, s]) => s !== undefined);
    for (let k = 0; k < 5 && present.length > 0; k++) {
      const [oid, s] = rng.pick(present);
      try {
        const got = await tool('rados', ['-c', ctx.cluster.confPath, '-p', m.pool, 'get', oid, '-']);
        if (firstDiff(new Uint8Array(got), s!.data) >= 0) ctx.fail(`rados get ${m.pool}/${oid}: differs from the model`);
      } catch (e) {
        ctx.fail(`rados get ${m.pool}/${oid}: ${(e as Error).message}`);
      }
    }
  }
  return checked;
}
