// RBD images with Ceph's default features (exclusive-lock, object-map, fast-diff, deep-flatten)
// written through us beside librbd: the lock taken and handed over as librbd does, the object
// map kept so `rbd object-map check`, `rbd du` and `rbd diff` agree with what we wrote.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rados, RBD } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import { decodeImageNotify, NotifyOp } from '../../protocol/rbd/image-notify.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { type LibrbdLockOwner, startLibrbdLockOwner } from './librbd-lock-owner.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectBytes, pattern, rbdCli } from './rbd-cli.ts';
import { partitioningTransport } from './fault-transport.ts';
import { answers, outcome, pybind } from './pybind-oracle.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';

let cluster: Cluster;
let rados: RadosHandle;
let io: IoCtx;
const POOL = 'rbd';
const { rbd, rbdAsync, rbdJson, exported } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, rados, io } = env));

type Locker = { id: string; locker: string; address: string };

/** An 8 MiB image we wrote `data` to at 0, whose object map object then holds garbage. */
async function writtenWithCorruptMap(name: string, data: Uint8Array): Promise<void> {
  await RBD.create(io, name, 8 << 20);
  const img = await RBD.open(io, name);
  await img.write(data, 0);
  const id = img.id;
  await img.close();
  execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'put', `rbd_object_map.${id}`, '/etc/hostname']);
}

describe('exclusive-lock and object-map against librbd', () => {
  it('an image we create has the default features; our writes keep its object map clean for `rbd object-map check`', async () => {
    await RBD.create(io, 'deflt', 24 << 20);
    expect(rbdJson<{ features: string[] }>(['info', 'deflt']).features).toEqual(['layering', 'exclusive-lock', 'object-map', 'fast-diff', 'deep-flatten']);
    const img = await RBD.open(io, 'deflt');
    const ref = new Uint8Array(24 << 20);
    for (const [off, len, seed] of [
      [100, 5000, 1],
      [(8 << 20) - 10, 30, 2],
      [20 << 20, 4 << 20, 3],
    ] as const) {
      const d = pattern(len, seed);
      await img.write(d, off);
      ref.set(d, off);
    }
    // While we write, the lock is ours, with librbd's cookie format.
    const lockers = rbdJson<Record<string, Locker> | Locker[]>(['lock', 'ls', 'deflt']);
    expect(JSON.stringify(lockers)).toMatch(/auto \d+/);
    await img.discard(20 << 20, 4 << 20);
    ref.fill(0, 20 << 20);
    await img.close();
    expectBytes(exported('deflt'), ref);
    expect(rbd(['object-map', 'check', 'deflt'])).not.toMatch(/invalid|error/i);
    expect(rbdJson<{ flags: string[] }>(['info', 'deflt']).flags).toEqual([]);
    // Objects 0, 1 and 2 exist (the second write straddles 1 and 2); object 5 was discarded whole.
    const du = rbdJson<{ images: Array<{ used_size: number }> }>(['du', 'deflt']).images;
    expect(du.at(-1)!.used_size).toBe(3 * (4 << 20));
  }, 120_000);

  it('snapshots, resize and rollback keep the object maps as librbd does (check clean, diff and du agree)', async () => {
    const img = await RBD.open(io, 'deflt');
    await img.createSnap('a');
    await img.write(pattern(4096, 4), 13 << 20); // object 3, new since the snapshot
    await img.resize(40 << 20);
    await img.write(pattern(4096, 5), 37 << 20); // object 9
    const diff = rbdJson<Array<{ offset: number; length: number; exists: string }>>(['diff', '--from-snap', 'a', '--whole-object', 'deflt']);
    expect(diff.map((d) => d.offset)).toEqual([12 << 20, 36 << 20]);
    await img.resize(16 << 20);
    await img.close();
    expect(rbd(['object-map', 'check', 'deflt'])).not.toMatch(/invalid|error/i);
    expect(rbd(['object-map', 'check', 'deflt@a'])).not.toMatch(/invalid|error/i);
    const atSnap = exported('deflt@a');
    const img2 = await RBD.open(io, 'deflt');
    await img2.rollbackToSnap('a');
    await img2.removeSnap('a');
    await img2.close();
    expectBytes(exported('deflt'), atSnap);
    expect(rbd(['object-map', 'check', 'deflt'])).not.toMatch(/invalid|error/i);
    expect(rbdJson<{ flags: string[] }>(['info', 'deflt']).flags).toEqual([]);
  }, 120_000);

  it('librbd asks us for the lock (REQUEST_LOCK) and we hand it over; then we take it back', async () => {
    const img = await RBD.open(io, 'deflt');
    const seen: number[] = [];
    const w = await io.watch(`rbd_header.${img.id}`, (_i, _g, payload) => {
      try {
        seen.push(decodeImageNotify(payload).op);
      } catch {
        seen.push(-1);
      }
      return undefined;
    });
    await img.write(pattern(100, 6), 0); // we own the lock now
    await rbdAsync(['bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '409600', '--io-pattern', 'rand', 'deflt']);
    expect(seen).toContain(NotifyOp.REQUEST_LOCK);
    expect(seen).toContain(NotifyOp.RELEASED_LOCK);
    await img.write(pattern(100, 7), 4096); // takes it back from librbd (or finds it free)
    await w.close();
    await img.close();
    expect(rbd(['object-map', 'check', 'deflt'])).not.toMatch(/invalid|error/i);
  }, 120_000);

  it("our writer and `rbd bench` on one image at once both progress through lock hand-overs; every block holds one writer's data, ours our last write there", async () => {
    await RBD.create(io, 'shared', 16 << 20);
    const img = await RBD.open(io, 'shared');
    const requests: bigint[] = [];
    const spy = await io.watch(`rbd_header.${img.id}`, (_i, _g, payload) => {
      const n = decodeImageNotify(payload);
      if (n.op === NotifyOp.REQUEST_LOCK && n.clientId) requests.push(n.clientId.gid);
      return undefined;
    });
    // What we last wrote to each byte of our half: every round writes different data, so the
    // final image shows whether our writes landed in the order we made them.
    const ours = new Uint8Array(8 << 20);
    // Aborted once librbd is done (a plain `let stop = false` reads as always false to TypeScript inside the async IIFE).
    const librbdDone = new AbortController();
    let writes = 0;
    const writer = (async () => {
      // Our half: the upper 8 MiB, 64 KiB at a time, round and round until librbd is done.
      for (let round = 0; !librbdDone.signal.aborted || round < 1; round++) {
        for (let off = 0; off < ours.length; off += 64 << 10) {
          const data = pattern(64 << 10, 1 + round * 1000 + off / (64 << 10));
          await img.write(data, (8 << 20) + off);
          ours.set(data, off);
          writes++;
        }
      }
    })();
    // librbd: 2,048 sequential 4 KiB writes, while we keep asking for the lock. Its write-back
    // cache is off: with it, rbd bench absorbs all 2,048 writes in ~25 ms of holding the lock,
    // and whether we ask within that window is timing luck (CI once lost it); uncached, each
    // write waits for the OSDs and the lock changes hands hundreds of times.
    await rbdAsync(['bench', '--io-type', 'write', '--io-size', '4096', '--io-threads', '4', '--io-total', String(8 << 20), '--io-pattern', 'seq', '--rbd-cache=false', 'shared']);
    librbdDone.abort();
    await writer;
    await img.close();
    expect(writes).toBeGreaterThanOrEqual(128);
    const all = exported('shared');
    // Per 4 KiB block, the last writer wins whole: a block is ours (our last write there) or
    // librbd's, never a mix. rbd bench fills every block of a run with one byte value: Pacific always 103 (glibc's first
    // rand() & 0xff), Reef a value that changes from run to run (seen on 18.2.7). Our data is never
    // one value repeated, so a uniform non-zero block is librbd's, and a run has one such value.
    const benchBytes = new Set<number>();
    let oursLeft = 0;
    let theirs = 0;
    let untouchedBlocks = 0;
    for (let off = 0; off < all.length; off += 4096) {
      const block = all.subarray(off, off + 4096);
      const mine = off >= 8 << 20 && block.every((b, k) => b === ours[off - (8 << 20) + k]);
      const bench = block[0] !== 0 && block.every((b) => b === block[0]);
      if (bench) benchBytes.add(block[0]!);
      const untouched = off < 8 << 20 && block.every((b) => b === 0);
      if (!(mine || bench || untouched)) {
        // Say what the block holds: how many byte values, and whether it matches our last write in part.
        const values = new Set(block);
        const oursMatch = off >= 8 << 20 ? block.filter((b, k) => b === ours[off - (8 << 20) + k]).length : 0;
        expect({ off, values: values.size, first: [...block.subarray(0, 8)], oursMatch }).toEqual({ off, kind: 'one writer whole' });
      }
      if (mine) oursLeft++;
      if (bench) theirs++;
      if (untouched) untouchedBlocks++;
    }
    expect(theirs).toBeGreaterThan(0);
    expect(benchBytes.size).toBe(1);
    expect(oursLeft).toBeGreaterThan(0);
    // rbd bench's 2,048 blocks all landed somewhere (ours may have overwritten some since).
    expect(4096 - untouchedBlocks).toBeGreaterThanOrEqual(2048);
    // The lock went back and forth: each side asked the other for it.
    const askers = new Set(requests.map((c) => c.toString()));
    expect(askers.has(rados.instanceId.toString())).toBe(true);
    expect(askers.size).toBeGreaterThanOrEqual(2);
    await spy.close();
    expect(rbd(['object-map', 'check', 'shared'])).not.toMatch(/invalid|error/i);
  }, 180_000);

  it('a corrupt object map is reported and the image stays read-only; reads still work', async () => {
    await writtenWithCorruptMap('broken', pattern(1000, 9));
    const again = await RBD.open(io, 'broken');
    await expect(again.write(pattern(10, 1), 5000)).rejects.toMatchObject({ errno: 30, message: expect.stringContaining('object map') as string });
    expectBytes(await again.read(0, 1000), pattern(1000, 9));
    await expect(again.write(pattern(10, 1), 5000)).rejects.toMatchObject({ errno: 30 });
    await again.close();
    // Removal does not need a map it can trust (librbd's TrimRequest then removes every object):
    // the image goes whole.
    const prefix = `rbd_data.${again.id}`;
    await RBD.remove(io, 'broken');
    expect(rbdJson<string[]>(['ls'])).not.toContain('broken');
    const left = execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'ls'], { encoding: 'utf8' });
    expect(left).not.toContain(prefix);
    expect(left).not.toContain(`rbd_object_map.${again.id}`);
  }, 60_000);

  it('an object map librbd flagged invalid keeps us read-only (reads still work); after `rbd object-map rebuild` we write again', async () => {
    await writtenWithCorruptMap('flagged', pattern(4096, 41));
    // librbd finds the map it loads corrupt and flags it (and fast-diff) invalid in the header.
    await rbdAsync(['bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '65536', 'flagged']);
    expect(rbdJson<{ flags: string[] }>(['info', 'flagged']).flags).toEqual(['object map invalid', 'fast diff invalid']);
    const again = await RBD.open(io, 'flagged');
    await expect(again.write(pattern(10, 1), 5000)).rejects.toMatchObject({ errno: 30, message: expect.stringContaining('flagged invalid') as string });
    expectBytes(await again.read(0, 8 << 20), exported('flagged'));
    // librbd mends it (and notifies the header's watchers): our next write goes through.
    await rbdAsync(['object-map', 'rebuild', 'flagged']);
    expect(rbdJson<{ flags: string[] }>(['info', 'flagged']).flags).toEqual([]);
    const later = pattern(4096, 42);
    await again.write(later, 6 << 20);
    await again.close();
    expect(rbd(['object-map', 'check', 'flagged'])).not.toMatch(/invalid|error/i);
    expectBytes(exported('flagged').subarray(6 << 20, (6 << 20) + 4096), later);
  }, 60_000);

  it('a killed lock owner (our process) is blocklisted by librbd, which takes the lock and writes', async () => {
    await RBD.create(io, 'orphan', 8 << 20);
    const child = spawn(process.execPath, ['dist/test/integration/lock-holder.js', cluster.confPath, cluster.keyringPath, POOL, 'orphan'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    expect(line.toString()).toMatch(/^locked \d+/);
    expect(rbd(['lock', 'ls', 'orphan'])).toMatch(/auto \d+/);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const started = Date.now();
    await rbdAsync(['bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '65536', 'orphan']);
    expect(Date.now() - started).toBeLessThan(30_000); // our 6 s watch timeout, not a 30 s default
    expect(rbd(['object-map', 'check', 'orphan'])).not.toMatch(/invalid|error/i);
    const blocklist = execFileSync('ceph', ['-c', cluster.confPath, 'osd', 'blocklist', 'ls'], { encoding: 'utf8' });
    expect(blocklist.split('\n').length).toBeGreaterThan(1);
  }, 120_000);

  it('a header watch lost for good (a partition outlasting its timeout) is set up again; the lock moves to the new cookie; nobody is blocklisted', async () => {
    let partitioned = false;
    const transport = partitioningTransport(nodeTransport, { ports: (p) => p >= 6800, partitioned: () => partitioned });
    const r2 = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, transport, watchTimeoutSec: 6 });
    try {
      const io2 = await r2.openIoCtx(POOL);
      await RBD.create(io2, 'rewatch', 8 << 20);
      const img = await RBD.open(io2, 'rewatch');
      const first = pattern(4096, 31);
      await img.write(first, 4 << 20);
      const header = `rbd_header.${img.id}`;
      const lockOf = (): Locker => Object.values(rbdJson<Record<string, Locker> | Locker[]>(['lock', 'ls', 'rewatch']))[0]!;
      const watchCookies = (): string[] =>
        [...execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'listwatchers', header], { encoding: 'utf8' }).matchAll(/cookie=(\d+)/g)].map((m) => m[1]!);
      const before = lockOf();
      expect(watchCookies()).toEqual([before.id.replace('auto ', '')]);
      // Cut off from the OSDs for longer than our ping timeout (4 x 2 s) and the OSD's 6 s watch timeout.
      partitioned = true;
      await new Promise((r) => setTimeout(r, 14_000));
      partitioned = false;
      const deadline = Date.now() + 30_000;
      while (!watchCookies().some((c) => `auto ${c}` !== before.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const [cookie] = watchCookies();
      expect(cookie).toBeDefined();
      expect(`auto ${cookie}`).not.toBe(before.id);
      // We take the lock back under the new watch's cookie at once (cls_lock set_cookie), with
      // no write asking for it: nobody may find it under a cookie without a watch.
      while (lockOf().id !== `auto ${cookie}` && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const after = lockOf();
      expect(after.id).toBe(`auto ${cookie}`);
      expect(after.locker).toBe(before.locker);
      const second = pattern(4096, 32);
      await img.write(second, (4 << 20) + 4096, { timeoutMs: 30_000 });
      expect(lockOf().id).toBe(`auto ${cookie}`);
      // Nothing acknowledged was lost on the way (exported before rbd bench writes its own blocks).
      expectBytes(exported('rewatch').subarray(4 << 20, (4 << 20) + 8192), new Uint8Array([...first, ...second]));
      // Reachable again: librbd asks for the lock and gets it, without fencing us.
      const started = Date.now();
      await rbdAsync(['bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '65536', 'rewatch']);
      expect(Date.now() - started).toBeLessThan(15_000);
      const blocklist = execFileSync('ceph', ['-c', cluster.confPath, 'osd', 'blocklist', 'ls'], { encoding: 'utf8' });
      expect(blocklist).not.toContain(before.address);
      await img.close();
      expect(rbd(['object-map', 'check', 'rewatch'])).not.toMatch(/invalid|error/i);
    } finally {
      await r2.close().catch(() => {});
    }
  }, 120_000);

  it('losing the lock mid-run (`rbd lock rm` breaks and blocklists us) stops our writes with EBLOCKLISTED; what was acknowledged stays', async () => {
    await RBD.create(io, 'stolen', 8 << 20);
    const r2 = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    try {
      const img = await RBD.open(await r2.openIoCtx(POOL), 'stolen');
      const first = pattern(1 << 20, 10);
      await img.write(first, 0);
      const ls = rbd(['lock', 'ls', 'stolen']);
      const m = /(client\.\d+)\s+(auto \d+)/.exec(ls);
      expect(m).not.toBeNull();
      rbd(['lock', 'rm', 'stolen', m![2]!, m![1]!]);
      await expect(img.write(pattern(4096, 11), 2 << 20, { timeoutMs: 30_000 })).rejects.toMatchObject({ errno: 108 });
      await img.close().catch(() => {});
      const after = exported('stolen');
      expectBytes(after.subarray(0, 1 << 20), first);
      expectBytes(after.subarray(2 << 20, (2 << 20) + 4096), new Uint8Array(4096));
    } finally {
      await r2.close().catch(() => {});
    }
  }, 120_000);
});

describe('removal takes the exclusive lock first, as librbd (PreRemoveRequest)', () => {
  it('while librbd owns the lock, removal asks for it (REQUEST_LOCK), gets it, and then fails with EBUSY (still open) as `rbd rm` does; once librbd closes the image it goes', async () => {
    await RBD.create(io, 'rm-locked', 8 << 20);
    const probe = await RBD.open(io, 'rm-locked', { readOnly: true });
    const id = probe.id;
    await probe.close();
    const owner = await librbdLockOwner('rm-locked');
    try {
      const lockedBy = (): string => JSON.stringify(rbdJson<unknown>(['lock', 'ls', 'rm-locked']));
      expect(lockedBy()).toContain(`client.${owner.gid}`);
      const seen: Array<{ op: number; gid: bigint }> = [];
      const spy = await io.watch(`rbd_header.${id}`, (_i, _g, payload) => {
        const n = decodeImageNotify(payload);
        if (n.clientId) seen.push({ op: n.op, gid: n.clientId.gid });
        return undefined;
      });
      await expect(RBD.remove(io, 'rm-locked')).rejects.toMatchObject({ errno: 16, message: expect.stringContaining('still open') as string });
      // We asked librbd for the lock, it let go, we took it: the checks ran under it; then it was let go again.
      expect(seen.some((n) => n.op === NotifyOp.REQUEST_LOCK && n.gid === io.instanceId)).toBe(true);
      expect(seen.some((n) => n.op === NotifyOp.ACQUIRED_LOCK && n.gid === io.instanceId)).toBe(true);
      expect(lockedBy()).not.toContain(`client.${io.instanceId}`);
      await expect(rbdAsync(['rm', 'rm-locked'])).rejects.toMatchObject({ code: 16, stderr: expect.stringContaining('watchers') as string });
      expect(rbdJson<string[]>(['ls'])).toContain('rm-locked');
      expectBytes(exported('rm-locked').subarray(0, 4096), new Uint8Array(4096).fill(0xcd));
      await spy.close();
    } finally {
      await owner.stop();
    }
    await RBD.remove(io, 'rm-locked');
    expect(rbdJson<string[]>(['ls'])).not.toContain('rm-locked');
    const left = execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'ls'], { encoding: 'utf8' });
    expect(left).not.toContain(id);
  }, 120_000);
});

/** librbd holding `image`'s exclusive lock (librbd-lock-owner.ts). */
const librbdLockOwner = (image: string): Promise<LibrbdLockOwner> => startLibrbdLockOwner(cluster, POOL, image);

describe('which operations take the exclusive lock, as librbd (Operations.cc, Pacific and newer)', () => {
  it('while librbd owns the lock: snapshot rename/protect/unprotect run without it (no journaling); metadata set/remove ask for it (REQUEST_LOCK) and get it', async () => {
    await RBD.create(io, 'oplock', 8 << 20);
    const setup = await RBD.open(io, 'oplock');
    await setup.createSnap('s1');
    await setup.close();
    const owner = await librbdLockOwner('oplock');
    try {
      const librbdGid = owner.gid;
      const lockedBy = (): string => JSON.stringify(rbdJson<unknown>(['lock', 'ls', 'oplock']));
      expect(lockedBy()).toContain(`client.${librbdGid}`);

      const img = await RBD.open(io, 'oplock');
      const seen: Array<{ op: number; gid: bigint }> = [];
      const spy = await io.watch(`rbd_header.${img.id}`, (_i, _g, payload) => {
        const n = decodeImageNotify(payload);
        if (n.clientId) seen.push({ op: n.op, gid: n.clientId.gid });
        return undefined;
      });
      const ours = io.instanceId;
      const asked = (): boolean => seen.some((n) => n.op === NotifyOp.REQUEST_LOCK && n.gid === ours);

      // librbd runs these without the lock on images without journaling: no REQUEST_LOCK from
      // us, and librbd keeps the lock.
      await img.protectSnap('s1');
      await img.renameSnap('s1', 's2');
      await img.unprotectSnap('s2');
      expect(asked()).toBe(false);
      expect(lockedBy()).toContain(`client.${librbdGid}`);
      expect(rbdJson<Array<{ name: string; protected: string }>>(['snap', 'ls', 'oplock']).map((s) => [s.name, s.protected])).toEqual([['s2', 'false']]);

      // librbd proxies the operation to the lock owner (METADATA_UPDATE) and takes the lock when
      // the owner declines; we do not proxy, we always ask for the lock (REQUEST_LOCK), which a
      // librbd owner releases.
      await img.metadataSet('lock-test', 'y');
      expect(asked()).toBe(true);
      expect(seen.some((n) => n.op === NotifyOp.RELEASED_LOCK && n.gid === librbdGid)).toBe(true);
      expect(lockedBy()).toContain(`client.${ours}`);
      expect(rbd(['image-meta', 'get', 'oplock', 'lock-test']).trim()).toBe('y');
      // Having taken the lock we say so (ACQUIRED_LOCK, sent without holding up the write, as librbd does).
      await expect.poll(() => seen.some((n) => n.op === NotifyOp.ACQUIRED_LOCK && n.gid === ours)).toBe(true);
      await img.metadataRemove('lock-test');
      expect(await img.metadataList()).toEqual(new Map());
      await spy.close();
      await img.close();
    } finally {
      await owner.stop();
    }
  }, 120_000);

  it('while librbd owns the lock of an image without fast-diff: snapshot remove runs without it (Operations::snap_remove proxies only with fast-diff or journaling)', async () => {
    await RBD.create(io, 'oplock-nofd', 8 << 20, { features: 1n | 4n }); // layering, exclusive-lock
    const setup = await RBD.open(io, 'oplock-nofd');
    await setup.createSnap('s1');
    await setup.close();
    const owner = await librbdLockOwner('oplock-nofd');
    try {
      const librbdGid = owner.gid;
      const lockedBy = (): string => JSON.stringify(rbdJson<unknown>(['lock', 'ls', 'oplock-nofd']));
      expect(lockedBy()).toContain(`client.${librbdGid}`);

      const img = await RBD.open(io, 'oplock-nofd');
      const seen: Array<{ op: number; gid: bigint }> = [];
      const spy = await io.watch(`rbd_header.${img.id}`, (_i, _g, payload) => {
        const n = decodeImageNotify(payload);
        if (n.clientId) seen.push({ op: n.op, gid: n.clientId.gid });
        return undefined;
      });
      await img.removeSnap('s1');
      expect(seen.some((n) => n.op === NotifyOp.REQUEST_LOCK && n.gid === io.instanceId)).toBe(false);
      expect(lockedBy()).toContain(`client.${librbdGid}`);
      expect(rbdJson<unknown[]>(['snap', 'ls', 'oplock-nofd'])).toEqual([]);
      await spy.close();
      await img.close();
    } finally {
      await owner.stop();
    }
  }, 120_000);

  it('while librbd owns the lock: a rollback only tries it (prepare_image_update without request_lock) and fails with EROFS, as librbd', async () => {
    await RBD.create(io, 'rblock', 8 << 20);
    const setup = await RBD.open(io, 'rblock');
    await setup.createSnap('s1');
    await setup.close();
    const owner = await librbdLockOwner('rblock');
    try {
      const lockedBy = (): string => JSON.stringify(rbdJson<unknown>(['lock', 'ls', 'rblock']));
      expect(lockedBy()).toContain(`client.${owner.gid}`);
      const theirs = await pybind(cluster, POOL, [
        { op: 'open', name: 'rblock' },
        { op: 'rollback', name: 's1' },
        { op: 'rollback', name: 'nosuch' },
      ]);
      const img = await RBD.open(io, 'rblock');
      const seen: number[] = [];
      const spy = await io.watch(`rbd_header.${img.id}`, (_i, _g, payload) => {
        const n = decodeImageNotify(payload);
        if (n.clientId?.gid === io.instanceId) seen.push(n.op);
        return undefined;
      });
      const ours = [{ ok: null }, await outcome(() => img.rollbackToSnap('s1')), await outcome(() => img.rollbackToSnap('nosuch'))];
      expect(answers(ours)).toEqual(answers(theirs));
      expect(answers(theirs)[1]).toEqual({ errno: 30 });
      // Not asked: the owner keeps the lock.
      expect(seen).not.toContain(NotifyOp.REQUEST_LOCK);
      expect(lockedBy()).toContain(`client.${owner.gid}`);
      await spy.close();
      await img.close();
    } finally {
      await owner.stop();
    }
  }, 120_000);
});
