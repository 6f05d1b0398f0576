// The core of the integration suite as one script that Deno and Bun run through the built
// package entry (dist/src/index.js): connect with cephx in crc and in secure mode, list and
// create pools, object I/O (write, read, stat, xattr, omap, remove), and RBD (create, write,
// snapshot, clone, read back, remove). It prints one JSON report (after REPORT_MARKER) that
// test/integration/runtimes.test.ts checks, step by step, and cross-checks with Ceph's CLI.
//
// Usage: <runtime> dist/test/runtimes/core-flow.js CEPH_CONF
// Only ceph.conf is passed: the keyring is the one it names, as librados reads it.
import process from 'node:process';
import { RBD, Rados } from '../../src/index.ts';
import type { FrameEvent, Image, IoCtx } from '../../src/index.ts';
import {
  BASE,
  GONE,
  HEAD_WRITE,
  IMAGE_SIZE,
  KID,
  KID_WRITE,
  MODES,
  OBJ,
  OMAP,
  REPORT_MARKER,
  SNAP,
  TMP,
  XATTR,
  baseData,
  expectedHead,
  expectedKid,
  objData,
  poolName,
  type FlowMode,
  type FlowReport,
  type StepReport,
} from './flow-data.ts';

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtime = g.Deno ? { name: 'deno', version: g.Deno.version.deno } : g.Bun ? { name: 'bun', version: g.Bun.version } : { name: 'node', version: process.versions.node };

const text = new TextEncoder();
const untext = new TextDecoder();

class StepFailed extends Error {}

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Throws with the first differing offset when two byte arrays differ. */
function checkBytes(what: string, actual: Uint8Array, expected: Uint8Array): void {
  let first = -1;
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) {
      first = i;
      break;
    }
  }
  check(actual.length === expected.length && first === -1, `${what}: ${actual.length} bytes read, ${expected.length} expected, first difference at ${first}`);
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const errno = (e as { errno?: number }).errno;
  const cause = e.cause instanceof Error ? ` (cause: ${e.cause.name}: ${e.cause.message})` : '';
  return `${e.name}${errno !== undefined ? ` [errno ${errno}]` : ''}: ${e.message}${cause}\n${e.stack ?? ''}`;
}

async function flow(confPath: string, mode: FlowMode): Promise<StepReport[]> {
  const steps: StepReport[] = [];
  const step = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      const detail = await fn();
      steps.push({ step: name, ok: true, ...(detail !== undefined ? { detail } : {}) });
      return detail;
    } catch (e) {
      steps.push({ step: name, ok: false, error: describeError(e) });
      throw new StepFailed(name);
    }
  };
  // The mode of every MESSAGE frame (those after the handshake), per peer: mons and OSDs alike.
  const wire = new Map<string, Set<string>>();
  const onFrame = (f: FrameEvent): void => {
    if (f.tagName !== 'MESSAGE') return;
    const s = wire.get(f.peer) ?? new Set<string>();
    s.add(f.mode);
    wire.set(f.peer, s);
  };
  const pool = poolName(runtime.name, mode);
  let rados: Awaited<ReturnType<typeof Rados.connect>> | undefined;
  const images: Image[] = [];
  try {
    await step('connect', async () => {
      rados = await Rados.connect({ conf: confPath, mode, timeoutMs: 30_000, onFrame });
      return { fsid: rados.fsid, epoch: rados.osdMap.epoch };
    });
    const r = rados!;
    await step('list-pools', async () => ({ pools: await r.listPools() }));
    let io!: IoCtx;
    await step('create-pool', async () => {
      const id = await r.createPool(pool, { pgNum: 8 });
      const pools = await r.listPools();
      check(pools.includes(pool), `listPools after createPool lacks ${pool}: ${pools.join(', ')}`);
      io = await r.openIoCtx(pool);
      return { id, pools };
    });

    await step('object-write-read', async () => {
      const data = objData();
      await io.writeFull(OBJ, data);
      checkBytes('read', await io.read(OBJ, data.length + 100), data);
    });
    await step('object-stat', async () => {
      const st = await io.stat(OBJ);
      check(st.size === objData().length, `stat size ${st.size}, expected ${objData().length}`);
      return { size: st.size, mtime: st.mtime.toISOString() };
    });
    await step('object-xattr', async () => {
      await io.setXattr(OBJ, XATTR.name, text.encode(XATTR.value));
      const v = untext.decode(await io.getXattr(OBJ, XATTR.name));
      check(v === XATTR.value, `getXattr returned ${JSON.stringify(v)}`);
      const all = await io.getXattrs(OBJ);
      check(all.has(XATTR.name), `getXattrs lacks ${XATTR.name}: ${[...all.keys()].join(', ')}`);
    });
    await step('object-omap', async () => {
      await io.setOmap(OBJ, Object.fromEntries(Object.entries(OMAP).map(([k, v]) => [k, text.encode(v)])));
      const { entries, more } = await io.getOmapVals(OBJ);
      const got = Object.fromEntries([...entries].map(([k, v]) => [k, untext.decode(v)]));
      check(!more && JSON.stringify(got) === JSON.stringify(OMAP), `getOmapVals returned ${JSON.stringify(got)} (more: ${more})`);
      const { keys } = await io.getOmapKeys(OBJ);
      check(JSON.stringify(keys) === JSON.stringify(Object.keys(OMAP).sort()), `getOmapKeys returned ${JSON.stringify(keys)}`);
    });
    await step('object-remove', async () => {
      await io.writeFull(GONE, text.encode('short-lived'));
      check((await io.stat(GONE)).size === 11, 'the object to remove was not written');
      await io.remove(GONE);
      const err = await io.stat(GONE).then(
        () => undefined,
        (e: unknown) => e as { errno?: number },
      );
      check(err?.errno === 2, `stat after remove: ${err ? `errno ${err.errno}` : 'the object is still there'}`);
    });

    await step('rbd-create-write', async () => {
      await RBD.create(io, BASE, IMAGE_SIZE);
      const base = await RBD.open(io, BASE);
      images.push(base);
      await base.write(baseData(), 0);
      checkBytes('base read', await base.read(0, IMAGE_SIZE), baseData());
      const info = await base.info();
      return { size: info.size, features: String(info.features) };
    });
    await step('rbd-snapshot', async () => {
      const base = images[0]!;
      await base.createSnap(SNAP);
      await base.protectSnap(SNAP);
      await base.write(HEAD_WRITE.data(), HEAD_WRITE.offset);
      const snaps = base.listSnaps().map((s) => ({ name: s.name, protected: s.protected, size: s.size }));
      check(
        snaps.some((s) => s.name === SNAP && s.protected),
        `listSnaps: ${JSON.stringify(snaps)}`,
      );
      checkBytes('base head after the snapshot', await base.read(0, IMAGE_SIZE), expectedHead());
      const atSnap = await RBD.open(io, BASE, { snapshot: SNAP });
      try {
        checkBytes(`base@${SNAP}`, await atSnap.read(0, IMAGE_SIZE), baseData());
      } finally {
        await atSnap.close();
      }
      return { snaps };
    });
    await step('rbd-clone', async () => {
      await RBD.clone(io, BASE, SNAP, io, KID);
      await RBD.clone(io, BASE, SNAP, io, TMP);
      const names = await RBD.list(io);
      check(
        [BASE, KID, TMP].every((n) => names.includes(n)),
        `RBD.list after clone: ${names.join(', ')}`,
      );
      const children = (await images[0]!.listChildren(SNAP)).map((c) => `${c.pool}/${c.image}`).sort();
      check(JSON.stringify(children) === JSON.stringify([`${pool}/${KID}`, `${pool}/${TMP}`]), `listChildren: ${children.join(', ')}`);
      return { images: names, children };
    });
    await step('rbd-clone-write-read', async () => {
      const kid = await RBD.open(io, KID);
      images.push(kid);
      checkBytes('clone before any write (read through the parent)', await kid.read(0, IMAGE_SIZE), baseData());
      await kid.write(KID_WRITE.data(), KID_WRITE.offset);
      checkBytes('clone after a copy-on-write write', await kid.read(0, IMAGE_SIZE), expectedKid());
      const tmp = await RBD.open(io, TMP, { readOnly: true });
      try {
        checkBytes('the other clone', await tmp.read(0, IMAGE_SIZE), baseData());
      } finally {
        await tmp.close();
      }
      const parent = kid.parentInfo();
      check(parent !== undefined && parent.overlap === IMAGE_SIZE, `parentInfo: ${JSON.stringify(parent, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
      return { parent: { poolId: parent.poolId, imageId: parent.imageId, snapId: String(parent.snapId), overlap: parent.overlap } };
    });
    await step('rbd-remove', async () => {
      await RBD.remove(io, TMP);
      const names = await RBD.list(io);
      check(!names.includes(TMP) && names.includes(KID) && names.includes(BASE), `RBD.list after remove: ${names.join(', ')}`);
      const children = (await images[0]!.listChildren(SNAP)).map((c) => `${c.pool}/${c.image}`);
      check(JSON.stringify(children) === JSON.stringify([`${pool}/${KID}`]), `listChildren after remove: ${children.join(', ')}`);
      return { images: names };
    });
    await step('wire-mode', () => {
      const peers = Object.fromEntries([...wire].map(([p, s]) => [p, [...s].sort()]));
      check(Object.keys(peers).length >= 2, `MESSAGE frames with fewer than two peers (a mon and an OSD): ${JSON.stringify(peers)}`);
      check(
        Object.values(peers).every((m) => m.length === 1 && m[0] === mode),
        `frames not all in ${mode} mode: ${JSON.stringify(peers)}`,
      );
      return { peers };
    });
    await step('close', async () => {
      for (const img of images.splice(0)) await img.close();
      await r.close();
      rados = undefined;
    });
  } catch (e) {
    if (!(e instanceof StepFailed)) steps.push({ step: 'flow', ok: false, error: describeError(e) });
  } finally {
    for (const img of images) await img.close().catch(() => {});
    await rados?.close().catch(() => {});
  }
  return steps;
}

const confPath = process.argv[2];
if (!confPath) {
  console.error('usage: core-flow.js CEPH_CONF');
  process.exit(2);
}
const report: FlowReport = { runtime, modes: { crc: [], secure: [] } };
for (const mode of MODES) report.modes[mode] = await flow(confPath, mode);
console.log(REPORT_MARKER + JSON.stringify(report));
