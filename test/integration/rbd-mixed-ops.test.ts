// One random sequence of writes, discards, snapshot creations and removals and resizes, done
// through us on one image and through librbd (Ceph's python3-rbd, librbd-ops.py) on another
// with the same features and layout; then everything `rbd` derives from the object maps and the
// data must be the same for both: object-map check, du, diff (fast-diff, whole-object and
// exact) from every snapshot, and the bytes at the head and at every snapshot. MIXED_SEED=<n>
// replays another sequence (the default one is fixed, so a failure reproduces).
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { RBD } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectBytes, rbdCli } from './rbd-cli.ts';

let cluster: Cluster;
let io: IoCtx;
const POOL = 'rbd';
const { rbd, rbdJson, exported } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, io } = env));

type Op =
  | { op: 'write'; offset: number; length: number; seed: number }
  | { op: 'discard'; offset: number; length: number }
  | { op: 'snap'; name: string }
  | { op: 'rmsnap'; name: string }
  | { op: 'resize'; size: number };

/** The bytes librbd-ops.py writes for the same op. */
const fill = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (seed * 31 + i) & 0xff);

const KiB = 1024;
const MiB = 1 << 20;
const OBJECT = MiB; // order 20: many objects in a small image

/** A reproducible op list (mulberry32 from `seed`): every kind of change, snapshots among them. */
function randomOps(seed: number, count: number, startSize: number): Op[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const ops: Op[] = [];
  let size = startSize;
  const live: string[] = [];
  let made = 0;
  for (let i = 0; ops.length < count; i++) {
    const r = rnd();
    if (r < 0.45) {
      const offset = int(0, size - 1);
      ops.push({ op: 'write', offset, length: Math.min(int(1, 96 * KiB), size - offset), seed: i });
    } else if (r < 0.55) {
      // 64 KiB-aligned discards: partial, tails and whole objects.
      const offset = int(0, size / (64 * KiB) - 1) * 64 * KiB;
      ops.push({ op: 'discard', offset, length: Math.min(int(1, 40) * 64 * KiB, size - offset) });
    } else if (r < 0.62) {
      const offset = int(0, size / OBJECT - 1) * OBJECT;
      ops.push({ op: 'discard', offset, length: Math.min(int(1, 3) * OBJECT, size - offset) });
    } else if (r < 0.74) {
      if (live.length >= 5) continue;
      const name = `s${made++}`;
      live.push(name);
      ops.push({ op: 'snap', name });
    } else if (r < 0.83) {
      if (live.length === 0) continue;
      const [name] = live.splice(int(0, live.length - 1), 1);
      ops.push({ op: 'rmsnap', name: name! });
    } else {
      size = int(8, 48) * 512 * KiB;
      ops.push({ op: 'resize', size });
    }
  }
  return ops;
}

describe('a random mix of operations, through us and through librbd', () => {
  it('leaves object maps, du, diff and data exactly as librbd leaves its own image', async () => {
    const start = 16 * MiB;
    const ops = randomOps(Number(process.env.MIXED_SEED ?? 20261125), 70, start);
    expect(new Set(ops.map((o) => o.op)).size).toBe(5);
    await RBD.create(io, 'mixo', start, { order: 20 });
    rbd(['create', '--size', `${start}B`, '--object-size', `${OBJECT}B`, 'mixt']);
    expect(rbdJson<{ features: string[] }>(['info', 'mixo']).features).toEqual(rbdJson<{ features: string[] }>(['info', 'mixt']).features);

    const img = await RBD.open(io, 'mixo');
    for (const o of ops) {
      if (o.op === 'write') await img.write(fill(o.length, o.seed), o.offset);
      else if (o.op === 'discard') await img.discard(o.offset, o.length);
      else if (o.op === 'snap') await img.createSnap(o.name);
      else if (o.op === 'rmsnap') await img.removeSnap(o.name);
      else await img.resize(o.size);
    }
    await img.close();
    execFileSync('python3', [new URL('./librbd-ops.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, POOL, 'mixt'], {
      input: JSON.stringify(ops),
      stdio: ['pipe', 'pipe', 'pipe'], // its stderr goes into the error a failure throws
      timeout: 120_000,
    });

    const snaps = rbdJson<Array<{ name: string }>>(['snap', 'ls', 'mixt']).map((s) => s.name);
    expect(rbdJson<Array<{ name: string }>>(['snap', 'ls', 'mixo']).map((s) => s.name)).toEqual(snaps);
    expect(snaps.length).toBeGreaterThan(0);
    expect(rbdJson<{ flags: string[] }>(['info', 'mixo']).flags).toEqual([]);
    for (const at of ['', ...snaps.map((s) => `@${s}`)]) {
      expect(rbd(['object-map', 'check', `mixo${at}`])).not.toMatch(/invalid|error/i);
      expectBytes(exported(`mixo${at}`), exported(`mixt${at}`));
    }
    // rbd du: per snapshot and at the head, from the object maps (fast-diff).
    const du = (name: string): unknown =>
      rbdJson<{ images: Array<{ snapshot?: string; provisioned_size: number; used_size: number }> }>(['du', name]).images.map(({ snapshot, provisioned_size, used_size }) => ({
        snapshot,
        provisioned_size,
        used_size,
      }));
    expect(du('mixo')).toEqual(du('mixt'));
    // rbd diff from the start and from every snapshot, whole objects (fast-diff) and exact extents.
    for (const from of [undefined, ...snaps]) {
      for (const whole of [true, false]) {
        const args = (name: string): string[] => ['diff', ...(from ? ['--from-snap', from] : []), ...(whole ? ['--whole-object'] : []), name];
        expect({ from, whole, diff: rbdJson<unknown[]>(args('mixo')) }).toEqual({ from, whole, diff: rbdJson<unknown[]>(args('mixt')) });
      }
    }
    // Between consecutive snapshots, too.
    for (let i = 1; i < snaps.length; i++) {
      const args = (name: string): string[] => ['diff', '--whole-object', '--from-snap', snaps[i - 1]!, `${name}@${snaps[i]}`];
      expect(rbdJson<unknown[]>(args('mixo'))).toEqual(rbdJson<unknown[]>(args('mixt')));
    }
  }, 300_000);
});
