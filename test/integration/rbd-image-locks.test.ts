// Lock control on RBD images (Image.lockAcquire … listLockers) against librbd: the same calls
// made through Ceph's python3-rbd (librbd-locks.py, one open image per helper process) and the
// `rbd lock` CLI, both ways, with errnos compared call for call.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { Errno, LockMode, Rados, RBD } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import type { ImageLockers } from '../../src/rbd/image-locks.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { rbdCli } from './rbd-cli.ts';

let cluster: Cluster;
let rados: RadosHandle;
let io: IoCtx;
const POOL = 'rbd';
const { rbd, rbdAsync, rbdJson } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, rados, io } = env));

/** What librbd-locks.py answers: the call's value, or the errno librbd raised. */
interface Answer {
  ok?: unknown;
  errno?: number;
  error?: string;
}

/** One librbd client with the image open (librbd-locks.py). */
interface Librbd {
  gid: bigint;
  call(op: string, ...args: unknown[]): Promise<Answer>;
  /** The call's value; throws with librbd's error if it raised one. */
  ok(op: string, ...args: unknown[]): Promise<unknown>;
  /** The errno the call raised (0 if none). */
  errno(op: string, ...args: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

async function librbd(image: string): Promise<Librbd> {
  const child = spawn('python3', [new URL('./librbd-locks.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, POOL, image], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  const early: string[] = [];
  lines.on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else early.push(l);
  });
  const next = (what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const got = early.shift();
      if (got !== undefined) {
        resolve(got);
        return;
      }
      const timer = setTimeout(() => reject(new Error(`librbd-locks.py: no answer to ${what} in 60 s: ${err.trim()}`)), 60_000);
      waiting.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
      void exited.then(() => reject(new Error(`librbd-locks.py exited (${child.exitCode}) before answering ${what}: ${err.trim()}`)));
    });
  const ready = JSON.parse(await next('start')) as { ready: number };
  let queue = Promise.resolve();
  const call = (op: string, ...args: unknown[]): Promise<Answer> => {
    const answer = queue.then(async () => {
      child.stdin.write(JSON.stringify({ op, args }) + '\n');
      return JSON.parse(await next(op)) as Answer;
    });
    queue = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  };
  return {
    gid: BigInt(ready.ready),
    call,
    ok: async (op, ...args) => {
      const a = await call(op, ...args);
      if (a.errno !== undefined) throw new Error(`librbd ${op}: errno ${a.errno} (${a.error})`);
      return a.ok;
    },
    errno: async (op, ...args) => (await call(op, ...args)).errno ?? 0,
    stop: async () => {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The errno a call of ours rejects with (0 if it resolves). */
async function errnoOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (e) {
    const n = (e as { errno?: unknown }).errno;
    if (typeof n !== 'number') throw e;
    return n;
  }
}

interface CliLocker {
  id: string;
  locker: string;
  address: string;
}

/** `rbd lock ls --format json`: a list in newer releases, an object keyed by cookie in older ones. */
function cliLockers(image: string): CliLocker[] {
  const j = rbdJson<CliLocker[] | Record<string, Omit<CliLocker, 'id'>>>(['lock', 'ls', image]);
  return Array.isArray(j) ? j : Object.entries(j).map(([id, v]) => ({ id, ...v }));
}

/** Python's list_lockers answer ([] without holders) in our shape. */
function pyLockers(a: unknown): ImageLockers {
  if (Array.isArray(a)) return { tag: '', exclusive: false, lockers: [] };
  const o = a as { tag: string; exclusive: boolean; lockers: Array<[string, string, string]> };
  return { tag: o.tag, exclusive: o.exclusive, lockers: o.lockers.map(([client, cookie, address]) => ({ client, cookie, address })) };
}

describe('advisory image locks (rbd lock add/rm/ls) against librbd', () => {
  it('our lockExclusive is what `rbd lock ls` and librbd list_lockers see; errnos of a second lock, another client, a missing cookie as librbd', async () => {
    await RBD.create(io, 'adv', 8 << 20);
    const img = await RBD.open(io, 'adv');
    const py = await librbd('adv');
    try {
      expect(await img.listLockers()).toEqual(pyLockers(await py.ok('list_lockers')));
      await img.lockExclusive('c1');
      const ours = await img.listLockers();
      expect(ours.exclusive).toBe(true);
      expect(ours.tag).toBe('');
      expect(ours.lockers).toHaveLength(1);
      expect(ours.lockers[0]!.client).toBe(`client.${rados.instanceId}`);
      expect(ours.lockers[0]!.cookie).toBe('c1');
      const cli = cliLockers('adv');
      expect(cli).toEqual([{ id: 'c1', locker: ours.lockers[0]!.client, address: ours.lockers[0]!.address }]);
      expect(pyLockers(await py.ok('list_lockers'))).toEqual(ours);

      // Errnos, each beside librbd's for the same situation.
      const oursAgain = await errnoOf(img.lockExclusive('c1'));
      const pyOther = await py.errno('lock_exclusive', 'c1');
      expect(pyOther).toBe(Errno.EBUSY);
      const oursMissing = await errnoOf(img.unlock('nope'));
      expect(oursMissing).toBe(await py.errno('unlock', 'nope'));
      expect(oursMissing).toBe(Errno.ENOENT);
      await img.unlock('c1');
      expect(cliLockers('adv')).toEqual([]);
      await py.ok('lock_exclusive', 'p1');
      expect(oursAgain).toBe(await py.errno('lock_exclusive', 'p1'));
      expect(oursAgain).toBe(Errno.EEXIST);
      expect(await errnoOf(img.lockExclusive('c2'))).toBe(pyOther);
      const sharedOverExclusive = await py.errno('lock_shared', 'p2', 't');
      expect(sharedOverExclusive).toBe(Errno.EBUSY);
      expect(await errnoOf(img.lockShared('c2', 't'))).toBe(sharedOverExclusive);

      // librbd's lock, seen by us as by `rbd lock ls`.
      const theirs = await img.listLockers();
      expect(theirs).toEqual(pyLockers(await py.ok('list_lockers')));
      expect(theirs.lockers.map((l) => ({ id: l.cookie, locker: l.client, address: l.address }))).toEqual(cliLockers('adv'));
      expect(theirs.lockers[0]!.client).toBe(`client.${py.gid}`);

      // Broken by us: librbd's break_lock blocklists the holder first, so its next call fails.
      expect(await errnoOf(img.breakLock(`client.${py.gid}`, 'wrong-cookie'))).toBe(Errno.ENOENT);
      await img.breakLock(`client.${py.gid}`, 'p1');
      expect(cliLockers('adv')).toEqual([]);
      expect(await py.errno('lock_exclusive', 'p3')).toBe(Errno.EBLOCKLISTED);
    } finally {
      await py.stop();
      await img.close();
    }
  }, 180_000);

  it('`rbd lock add` and librbd lock_shared are what our listLockers sees; `rbd lock rm` and our breakLock as librbd', async () => {
    await RBD.create(io, 'shr', 8 << 20);
    const img = await RBD.open(io, 'shr');
    rbd(['lock', 'add', '--shared', 'tagA', 'shr', 'cli-cookie']);
    const [cliHolder] = cliLockers('shr');
    expect(await img.listLockers()).toEqual({ tag: 'tagA', exclusive: false, lockers: [{ client: cliHolder!.locker, cookie: 'cli-cookie', address: cliHolder!.address }] });
    const py = await librbd('shr');
    const py2 = await librbd('shr');
    try {
      await py.ok('lock_shared', 'py-cookie', 'tagA');
      const ours = await img.listLockers();
      expect(ours.lockers).toHaveLength(2);
      expect(ours).toEqual(pyLockers(await py.ok('list_lockers')));
      expect(ours.lockers.map((l) => ({ id: l.cookie, locker: l.client, address: l.address }))).toEqual(cliLockers('shr'));

      // Another tag, or exclusive, while shared under tagA: as librbd.
      const otherTag = await py2.errno('lock_shared', 'py2', 'tagB');
      const exclusiveOverShared = await py2.errno('lock_exclusive', 'py2');
      expect([otherTag, exclusiveOverShared]).toEqual([Errno.EBUSY, Errno.EBUSY]);
      expect(await errnoOf(img.lockShared('ours', 'tagB'))).toBe(otherTag);
      expect(await errnoOf(img.lockExclusive('ours'))).toBe(exclusiveOverShared);
      await img.lockShared('ours', 'tagA');
      expect(cliLockers('shr').map((l) => l.id)).toContain('ours');
      expect(pyLockers(await py2.ok('list_lockers'))).toEqual(await img.listLockers());

      // `rbd lock rm` removes the CLI's lock for us too.
      await rbdAsync(['lock', 'rm', 'shr', 'cli-cookie', cliHolder!.locker]);
      expect((await img.listLockers()).lockers.map((l) => l.cookie).sort()).toEqual(['ours', 'py-cookie']);

      // break_lock's errnos: a client without a lock, a name that is no entity.
      const noLock = await py2.errno('break_lock', 'client.999999', 'x');
      const noEntity = await py2.errno('break_lock', 'nobody', 'x');
      expect([noLock, noEntity]).toEqual([Errno.ENOENT, Errno.EINVAL]);
      expect(await errnoOf(img.breakLock('client.999999', 'x'))).toBe(noLock);
      expect(await errnoOf(img.breakLock('nobody', 'x'))).toBe(noEntity);

      // librbd breaks ours: we are blocklisted, as librbd's own holder is.
      const other = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
      try {
        const oio = await other.openIoCtx(POOL);
        const oimg = await RBD.open(oio, 'shr');
        await oimg.lockShared('victim', 'tagA');
        await py2.ok('break_lock', `client.${other.instanceId}`, 'victim');
        expect((await img.listLockers()).lockers.map((l) => l.cookie).sort()).toEqual(['ours', 'py-cookie']);
        expect(await errnoOf(oimg.lockShared('again', 'tagA'))).toBe(Errno.EBLOCKLISTED);
        await oimg.close();
      } finally {
        await other.close();
      }

      // We break librbd's: it is blocklisted.
      await img.breakLock(`client.${py.gid}`, 'py-cookie');
      expect(await py.errno('list_lockers')).toBe(Errno.EBLOCKLISTED);
      expect(cliLockers('shr').map((l) => l.id)).toEqual(['ours']);
      await img.unlock('ours');
      expect(await img.listLockers()).toEqual(pyLockers(await py2.ok('list_lockers')));
    } finally {
      await py.stop();
      await py2.stop();
      await img.close();
    }
  }, 180_000);
});

describe('exclusive lock control (lock_acquire, lock_release, lock_get_owners, lock_break) against librbd', () => {
  it('librbd holding the lock by lock_acquire refuses it to a writer; ours does the same, and lockGetOwners/isExclusiveLockOwner agree with librbd', async () => {
    await RBD.create(io, 'exc', 8 << 20);
    const a = await librbd('exc');
    const b = await librbd('exc');
    const img = await RBD.open(io, 'exc');
    try {
      // Reference: librbd A holds the lock by lock_acquire; librbd B's write and lock_acquire fail.
      expect(await a.errno('lock_acquire', LockMode.EXCLUSIVE)).toBe(0);
      expect(await a.ok('is_exclusive_lock_owner')).toBe(true);
      const owners = (await b.ok('lock_get_owners')) as Array<{ mode: number; owner: string }>;
      expect(owners).toHaveLength(1);
      expect(await img.lockGetOwners()).toEqual(owners);
      const refusedWrite = await b.errno('write', 0, 4096);
      const refusedAcquire = await b.errno('lock_acquire', LockMode.EXCLUSIVE);
      expect(refusedWrite).toBe(Errno.EROFS);
      // Ours meets it the same way.
      expect(await errnoOf(img.write(new Uint8Array(4096), 0))).toBe(refusedWrite);
      expect(await errnoOf(img.lockAcquire(LockMode.EXCLUSIVE))).toBe(refusedAcquire);
      expect(await img.isExclusiveLockOwner()).toBe(false);
      // The shared mode and a release of a lock not held, as librbd.
      expect(await errnoOf(img.lockAcquire(LockMode.SHARED))).toBe(await b.errno('lock_acquire', LockMode.SHARED));
      expect(await errnoOf(img.lockRelease())).toBe(await b.errno('lock_release'));
      expect([await errnoOf(img.lockAcquire(LockMode.SHARED)), await errnoOf(img.lockRelease())]).toEqual([Errno.EOPNOTSUPP, Errno.EINVAL]);
      // After lock_release, librbd A no longer takes the lock for a write by itself.
      expect(await a.errno('lock_release')).toBe(0);
      const afterRelease = await a.errno('write', 0, 4096);
      expect([refusedAcquire, afterRelease]).toEqual([Errno.EROFS, Errno.EROFS]);

      // Now ours holds it by lockAcquire: librbd B's write and lock_acquire are refused as above.
      await img.lockAcquire(LockMode.EXCLUSIVE);
      expect(await img.isExclusiveLockOwner()).toBe(true);
      expect(await b.ok('is_exclusive_lock_owner')).toBe(false);
      expect(await img.lockGetOwners()).toEqual(await b.ok('lock_get_owners'));
      const ourAddress = (await img.lockGetOwners())[0]!.owner;
      expect(cliLockers('exc')).toEqual([{ id: expect.stringMatching(/^auto \d+$/) as unknown, locker: `client.${rados.instanceId}`, address: ourAddress }]);
      expect(await b.errno('write', 0, 4096)).toBe(refusedWrite);
      expect(await b.errno('lock_acquire', LockMode.EXCLUSIVE)).toBe(refusedAcquire);
      await img.write(new Uint8Array(4096).fill(7), 0);
      // Released, ours does not take it back for a write, as librbd A did not.
      await img.lockRelease();
      expect(await img.isExclusiveLockOwner()).toBe(false);
      expect(await img.lockGetOwners()).toEqual(await b.ok('lock_get_owners'));
      expect(await img.lockGetOwners()).toEqual([]);
      expect(await errnoOf(img.write(new Uint8Array(4096), 0))).toBe(afterRelease);
      // A librbd client that never called lock_acquire takes it now, for its write (B's
      // failed lock_acquire left it, too, no longer taking the lock by itself).
      expect(await b.errno('write', 0, 4096)).toBe(afterRelease);
      const c = await librbd('exc');
      try {
        expect(await c.errno('write', 0, 4096)).toBe(0);
        expect(await c.ok('is_exclusive_lock_owner')).toBe(true);
        expect(await img.lockGetOwners()).toEqual(await a.ok('lock_get_owners'));
        expect(await errnoOf(img.lockRelease())).toBe(await a.errno('lock_release'));
      } finally {
        await c.stop();
      }
    } finally {
      await a.stop();
      await b.stop();
      await img.close();
    }
  }, 180_000);

  it('lockBreak breaks librbd`s lock and blocklists it; librbd`s lock_break does the same to ours; errnos as librbd', async () => {
    await RBD.create(io, 'brk', 8 << 20);
    const holder = await librbd('brk');
    const peer = await librbd('brk');
    const img = await RBD.open(io, 'brk');
    try {
      // Unlocked: nothing to break.
      expect(await errnoOf(img.lockBreak(LockMode.EXCLUSIVE, '1.2.3.4:0/1'))).toBe(await peer.errno('lock_break', LockMode.EXCLUSIVE, '1.2.3.4:0/1'));
      expect(await errnoOf(img.lockBreak(LockMode.EXCLUSIVE, '1.2.3.4:0/1'))).toBe(Errno.ENOENT);
      expect(await holder.errno('write', 0, 4096)).toBe(0);
      const [{ owner }] = (await peer.ok('lock_get_owners')) as [{ mode: number; owner: string }];
      expect(await img.lockGetOwners()).toEqual([{ mode: LockMode.EXCLUSIVE, owner }]);
      // Not the owner's address; the shared mode.
      expect(await errnoOf(img.lockBreak(LockMode.EXCLUSIVE, '1.2.3.4:0/1'))).toBe(await peer.errno('lock_break', LockMode.EXCLUSIVE, '1.2.3.4:0/1'));
      expect(await errnoOf(img.lockBreak(LockMode.SHARED, owner))).toBe(await peer.errno('lock_break', LockMode.SHARED, owner));
      expect([await errnoOf(img.lockBreak(LockMode.EXCLUSIVE, '1.2.3.4:0/1')), await errnoOf(img.lockBreak(LockMode.SHARED, owner))]).toEqual([Errno.EBUSY, Errno.EOPNOTSUPP]);
      // The owner breaking its own lock: refused.
      const selfBreak = await holder.errno('lock_break', LockMode.EXCLUSIVE, owner);
      expect(selfBreak).toBe(Errno.EBUSY);

      await img.lockBreak(LockMode.EXCLUSIVE, owner);
      expect(await img.lockGetOwners()).toEqual([]);
      expect(await peer.ok('lock_get_owners')).toEqual([]);
      // The broken owner is blocklisted: what librbd says then.
      const brokenOwner = await holder.call('is_exclusive_lock_owner');
      const brokenWrite = await holder.errno('write', 0, 4096);
      expect(brokenOwner.errno).toBe(Errno.EBLOCKLISTED);
      expect(brokenWrite).toBe(Errno.EBLOCKLISTED);

      // librbd breaks ours (a second connection of ours, which gets blocklisted).
      const other = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
      try {
        const oimg = await RBD.open(await other.openIoCtx(POOL), 'brk');
        await oimg.lockAcquire(LockMode.EXCLUSIVE);
        const ours = (await oimg.lockGetOwners())[0]!.owner;
        expect(await peer.ok('lock_get_owners')).toEqual([{ mode: LockMode.EXCLUSIVE, owner: ours }]);
        expect(await errnoOf(oimg.lockBreak(LockMode.EXCLUSIVE, ours))).toBe(selfBreak);
        expect(await peer.errno('lock_break', LockMode.EXCLUSIVE, ours)).toBe(0);
        expect(await img.lockGetOwners()).toEqual([]);
        const mine = await oimg.isExclusiveLockOwner().then(
          (v) => ({ ok: v }),
          (e: unknown) => ({ errno: (e as { errno: number }).errno }),
        );
        expect(mine).toEqual(brokenOwner.errno !== undefined ? { errno: brokenOwner.errno } : { ok: brokenOwner.ok });
        expect(await errnoOf(oimg.write(new Uint8Array(4096), 0))).toBe(brokenWrite);
        await oimg.close();
      } finally {
        await other.close();
      }
    } finally {
      await holder.stop();
      await peer.stop();
      await img.close();
    }
  }, 180_000);
});
