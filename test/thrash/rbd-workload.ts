// RBD under thrashing: two images with default features (exclusive-lock, object-map,
// fast-diff, deep-flatten) written by us and by librbd (Ceph's python3-rbd) in turn, so the
// exclusive lock changes hands under faults; snapshots taken as we go; a clone of a snapshot
// flattened and checked, then removed. A byte model per image and snapshot is the oracle; at
// the end `rbd export` must equal it, and `rbd object-map check` must leave no invalid flag.
import { join } from 'node:path';
import { callCls, Errno, type Image, type IoCtx, RadosError, RBD } from '../../src/index.ts';
import { decodeObjectMap, objectMapLoad } from '../../protocol/cls/cls-rbd-object-map.ts';
import { objectMapName } from '../../src/rbd/object-names.ts';
import { pattern } from '../integration/byte-pattern.ts';
import type { Prng } from './prng.ts';
import { firstDiff } from './first-diff.ts';
import { OP_BOUND_MS } from './object-workload.ts';
import { sleep, tool, type ThrashContext } from './thrash-context.ts';

const IMAGE_SIZE = 32 << 20;
const ORDER = 20; // 1 MiB objects: 32 per image, so writes spread over many objects and PGs
// The source file, also when this runs compiled from dist/ (npm run thrash).
const HERE = new URL('.', import.meta.url).pathname;
const LIBRBD_OPS = join(HERE, ...(HERE.includes('/dist/') ? ['..', '..', '..'] : ['..', '..']), 'test', 'integration', 'librbd-ops.py');

interface ImageModel {
  name: string;
  bytes: Uint8Array;
  /** Snapshot name → the image's bytes when it was taken. */
  snaps: Map<string, Uint8Array>;
  nextSnap: number;
  /** What was done to it, in order (for a finding's diagnosis). */
  history: Array<{ what: string; offset?: number; length?: number }>;
}

/** The bytes librbd-ops.py writes for (length, seed). */
function fill(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 31 + i) & 0xff;
  return out;
}

export interface RbdWorkload {
  run(): Promise<void>;
  /** After healing (our images closed): `rbd export` and `rbd object-map check` per image and snapshot. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

export async function startRbdWorkload(ctx: ThrashContext, io: IoCtx, root: Prng): Promise<RbdWorkload> {
  const pool = ctx.pools.rep3;
  const models: ImageModel[] = [];
  const images: Image[] = [];
  for (const name of ['thrash-a', 'thrash-b']) {
    await RBD.create(io, name, IMAGE_SIZE, { order: ORDER });
    models.push({ name, bytes: new Uint8Array(IMAGE_SIZE), snaps: new Map(), nextSnap: 0, history: [] });
    images.push(await RBD.open(io, name));
  }
  let clones = 0;

  const ourWrites = async (img: Image, m: ImageModel, rng: Prng): Promise<void> => {
    for (let k = rng.int(3, 12); k > 0 && Date.now() < ctx.stopAt; k--) {
      const len = rng.int(1, 64) * 2048;
      const off = rng.int(0, (IMAGE_SIZE - len) / 512) * 512;
      const data = pattern(len, rng.int(1, 0x7fffffff));
      await img.write(data, off, { timeoutMs: OP_BOUND_MS });
      m.bytes.set(data, off);
      // Read your write: a write lost at once is told apart from one lost later.
      const back = await img.read(off, len, { timeoutMs: OP_BOUND_MS });
      const at = firstDiff(back, data);
      if (at >= 0) ctx.fail(`rbd ${m.name}: our write ${off}+${len} read back differs at +${at} (object ${Math.floor((off + at) / (1 << ORDER))}) at ${new Date().toISOString()}`);
      // The head's object map on the OSD must say every object written exists (1 EXISTS; 3, EXISTS_CLEAN, is stale after a write).
      const states = decodeObjectMap(await callCls(io, objectMapName(img.id), objectMapLoad, undefined, { timeoutMs: OP_BOUND_MS }));
      for (let o = Math.floor(off / (1 << ORDER)); o <= Math.floor((off + len - 1) / (1 << ORDER)); o++) {
        if (states[o] !== 1)
          ctx.fail(
            `rbd ${m.name}: after our write ${off}+${len}, the object map on the OSD says object ${o} is ${states[o]} (history: ${m.history
              .slice(-6)
              .map((h) => h.what)
              .join(', ')})`,
          );
      }
      m.history.push({ what: 'our write', offset: off, length: len });
      ctx.count('rbd writes (ours)');
    }
  };

  const librbdWrites = async (m: ImageModel, rng: Prng): Promise<void> => {
    const ops = Array.from({ length: rng.int(2, 8) }, () => {
      const length = rng.int(1, 32) * 4096;
      return { op: 'write', offset: rng.int(0, (IMAGE_SIZE - length) / 4096) * 4096, length, seed: rng.int(1, 1000) };
    });
    // librbd asks our open handle for the lock, writes, and releases it as it closes.
    await tool('python3', [LIBRBD_OPS, ctx.cluster.confPath, ctx.cluster.keyringPath, pool, m.name], { input: JSON.stringify(ops), timeoutMs: OP_BOUND_MS });
    for (const o of ops) {
      m.bytes.set(fill(o.length, o.seed), o.offset);
      m.history.push({ what: 'librbd write', offset: o.offset, length: o.length });
    }
    ctx.count('lock hand-overs to librbd and back');
  };

  const snapshot = async (img: Image, m: ImageModel): Promise<void> => {
    const name = `s${m.nextSnap++}`;
    await img.createSnap(name, { timeoutMs: OP_BOUND_MS });
    m.snaps.set(name, m.bytes.slice());
    m.history.push({ what: `snapshot ${name}` });
    ctx.count('snapshots');
    if (m.snaps.size > 2) {
      const oldest = [...m.snaps.keys()][0]!;
      await img.removeSnap(oldest, { timeoutMs: OP_BOUND_MS });
      m.snaps.delete(oldest);
      ctx.count('snapshots removed');
    }
  };

  const cloneAndFlatten = async (img: Image, m: ImageModel): Promise<void> => {
    const snap = [...m.snaps.keys()].at(-1);
    if (!snap) return;
    const want = m.snaps.get(snap)!;
    const child = `${m.name}-clone-${clones++}`;
    await img.protectSnap(snap, { timeoutMs: OP_BOUND_MS });
    try {
      await RBD.clone(io, m.name, snap, io, child, { timeoutMs: OP_BOUND_MS });
      const c = await RBD.open(io, child);
      try {
        await c.flatten({ timeoutMs: OP_BOUND_MS });
        const got = await c.read(0, IMAGE_SIZE, { timeoutMs: OP_BOUND_MS });
        const at = firstDiff(got, want);
        if (at >= 0) {
          const again = await c.read(0, IMAGE_SIZE, { timeoutMs: OP_BOUND_MS });
          const cli = new Uint8Array(await tool('rbd', ['-c', ctx.cluster.confPath, 'export', `${pool}/${child}`, '-', '--no-progress']));
          const covering = m.history
            .filter((h) => h.offset !== undefined && h.offset <= at && at < h.offset + h.length!)
            .slice(-4)
            .map((h) => (h.offset === undefined ? h.what : `${h.what} ${h.offset}+${h.length}`))
            .join(', ');
          ctx.fail(
            `clone ${child} of ${m.name}@${snap}, flattened: ${await diagnose(m.name, snap, got, want, at)}; read again ${firstDiff(again, want) < 0 ? 'equals the model' : `differs at ${firstDiff(again, want)}`}; rbd export of the clone ${firstDiff(cli, want) < 0 ? 'equals the model' : `differs at ${firstDiff(cli, want)}`}; last at that byte: ${covering}`,
          );
        }
      } finally {
        await c.close();
      }
      await removeOnceUnwatched(child);
      ctx.count('clones flattened and removed');
    } finally {
      await img.unprotectSnap(snap, { timeoutMs: OP_BOUND_MS });
    }
  };

  /**
   * RBD.remove, again while it fails with EBUSY for a while: when the close's unwatch could not
   * reach the OSD (a partition, cut connections), our own closed handle's watch stays until the
   * OSD times it out, and removal refuses a watched image as librbd's does.
   */
  const removeOnceUnwatched = async (name: string): Promise<void> => {
    const until = Date.now() + 3 * ctx.watchTimeoutSec * 1000 + 20_000;
    for (;;) {
      try {
        await RBD.remove(io, name, { timeoutMs: OP_BOUND_MS });
        return;
      } catch (e) {
        if (!(e instanceof RadosError && e.errno === Errno.EBUSY) || Date.now() > until) throw e;
        ctx.count('clone removals retried (a stale watch of ours)');
        await sleep(1000);
      }
    }
  };

  /** Where a clone's difference comes from: the parent snapshot as we and as `rbd export` read it. */
  const diagnose = async (name: string, snap: string, got: Uint8Array, want: Uint8Array, at: number): Promise<string> => {
    let end = at;
    while (end < got.length && got[end] !== want[end]) end++;
    const zeros = got.subarray(at, end).every((b) => b === 0);
    const parts = [`differs at byte ${at} (object ${Math.floor(at / (1 << ORDER))}) for ${end - at} bytes, ours ${zeros ? 'zeros' : 'non-zero'}`];
    try {
      const p = await RBD.open(io, name, { readOnly: true });
      try {
        await p.setSnap(snap);
        const ours = await p.read(0, IMAGE_SIZE);
        parts.push(`the parent snapshot read by us ${firstDiff(ours, want) < 0 ? 'equals the model' : `differs at ${firstDiff(ours, want)}`}`);
      } finally {
        await p.close();
      }
      const theirs = new Uint8Array(await tool('rbd', ['-c', ctx.cluster.confPath, 'export', `${pool}/${name}@${snap}`, '-', '--no-progress']));
      parts.push(`rbd export of it ${firstDiff(theirs, want) < 0 ? 'equals the model' : `differs at ${firstDiff(theirs, want)}`}`);
    } catch (e) {
      parts.push(`(diagnosis failed: ${(e as Error).message})`);
    }
    return parts.join('; ');
  };

  const loop = async (i: number): Promise<void> => {
    const rng = root.fork(i);
    const m = models[i]!;
    const img = images[i]!;
    while (Date.now() < ctx.stopAt) {
      const step = rng.next();
      const what = step < 0.5 ? 'our writes' : step < 0.75 ? 'librbd writes' : step < 0.9 ? 'snapshot' : 'clone';
      try {
        if (what === 'our writes') await ourWrites(img, m, rng);
        else if (what === 'librbd writes') await librbdWrites(m, rng);
        else if (what === 'snapshot') await snapshot(img, m);
        else await cloneAndFlatten(img, m);
      } catch (e) {
        ctx.fail(`rbd ${m.name}, ${what}: ${(e as Error).name}: ${(e as Error).message}`);
        return; // the model no longer knows the image: stop writing it
      }
    }
  };

  return {
    async run() {
      await Promise.all(models.map((_, i) => loop(i)));
    },
    async close() {
      for (const img of images.splice(0)) await img.close();
    },
    async verify() {
      for (const m of models) {
        const targets: Array<[string, Uint8Array]> = [[m.name, m.bytes], ...[...m.snaps].map(([s, b]): [string, Uint8Array] => [`${m.name}@${s}`, b])];
        for (const [spec, want] of targets) {
          await checkExport(spec, want).catch((e: unknown) => ctx.fail(`rbd ${spec}: ${(e as Error).message}`));
        }
      }
    },
  };

  /** `rbd export` of an image or snapshot equals the model; `rbd object-map check` leaves no flag. */
  async function checkExport(spec: string, want: Uint8Array): Promise<void> {
    const got = new Uint8Array(await tool('rbd', ['-c', ctx.cluster.confPath, 'export', `${pool}/${spec}`, '-', '--no-progress']));
    const at = firstDiff(got, want);
    if (at >= 0) ctx.fail(`rbd export ${spec}: differs from the model at byte ${at}`);
    await tool('rbd', ['-c', ctx.cluster.confPath, 'object-map', 'check', `${pool}/${spec}`, '--no-progress']);
    const info = JSON.parse((await tool('rbd', ['-c', ctx.cluster.confPath, 'info', `${pool}/${spec}`, '--format', 'json'])).toString()) as { flags: string[] };
    if (info.flags.length > 0) ctx.fail(`rbd info ${spec} after object-map check: flags ${info.flags.join(', ')}`);
    ctx.count('rbd exports checked');
  }
}
