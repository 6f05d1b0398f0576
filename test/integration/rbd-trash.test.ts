// The RBD image trash through us beside librbd, both ways: what we move there the `rbd` CLI
// lists, restores and removes; what `rbd trash mv` and the python binding (librbd-trash.py,
// rbd.RBD().trash_*) move there we list, get, restore, remove and purge with the same fields;
// errnos compared with the binding's; and what a move does to an image in use (open with a live
// lock owner, a clone parent, in a group) as librbd's api/Trash.cc does it.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { Image, RBD, type TrashImageInfo } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import { callCls } from '../../src/cls-call.ts';
import { trashGet } from '../../protocol/cls/cls-rbd-trash.ts';
import { encodeTrashImageAdded, encodeTrashImageRemoved } from '../../protocol/rbd/trash-notify.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { startLibrbdLockOwner } from './librbd-lock-owner.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectBytes, pattern, rbdCli } from './rbd-cli.ts';

let cluster: Cluster;
let io: IoCtx;
const POOL = 'rbd';
const { rbd, rbdAsync, rbdJson } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, io } = env));

/** `rbd trash ls --long --format json` (tools/rbd/action/Trash.cc): times in ctime() form, local time. */
interface CliTrashEntry {
  id: string;
  name: string;
  source: string;
  deleted_at: string;
  status: string;
}
/** librbd-trash.py's form of a trash entry: the binding's dict, times in seconds. */
interface PyTrashInfo {
  id: string;
  name: string;
  source: string;
  deletion_time: number;
  deferment_end_time: number;
}
type PyResult = { ok: unknown } | { errno: number };

/** Runs trash operations through the python binding (librbd); one result per operation. */
function librbd(ops: Array<Record<string, unknown>>): PyResult[] {
  const out = execFileSync('python3', [new URL('./librbd-trash.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, POOL], {
    input: JSON.stringify(ops),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(out) as PyResult[];
}
const librbdOne = (op: Record<string, unknown>): PyResult => librbd([op])[0]!;
/** The errno librbd's binding raised for one operation (undefined if it succeeded). */
const librbdErrno = (op: Record<string, unknown>): number | undefined => {
  const r = librbdOne(op);
  return 'errno' in r ? r.errno : undefined;
};
/** Our errno for a call that must fail. */
async function ourErrno(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { errno?: number }).errno;
  }
}
/** The `rbd` CLI's exit code (librbd's errno) for a command that must fail. */
async function rbdExit(args: string[]): Promise<number | undefined> {
  try {
    await rbdAsync(args);
    return undefined;
  } catch (e) {
    return (e as { code?: number }).code;
  }
}

const ourList = async (): Promise<TrashImageInfo[]> => {
  const all: TrashImageInfo[] = [];
  for await (const t of RBD.trashList(io)) all.push(t);
  return all;
};
/** Ours in the binding's form (seconds). */
const asPy = (t: TrashImageInfo): PyTrashInfo => ({
  id: t.id,
  name: t.name,
  source: t.source,
  deletion_time: t.deletionTime.getTime() / 1000,
  deferment_end_time: t.defermentEndTime.getTime() / 1000,
});
/** ctime(3) as `rbd trash ls --long` prints it (the test cluster's tools run in UTC): `Wed Dec  2 13:52:32 2026`. */
function ctime(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]!;
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]!;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
/** Ours as `rbd trash ls --long --format json` shows an entry: `status` says whether it may be removed yet. */
const asCli = (t: TrashImageInfo, now: Date): CliTrashEntry => ({
  id: t.id,
  name: t.name,
  source: t.source,
  deleted_at: ctime(t.deletionTime),
  status: `${t.defermentEndTime <= now ? 'expired at' : 'protected until'} ${ctime(t.defermentEndTime)}`,
});
const rados = (args: string[]): string => execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, ...args], { encoding: 'utf8' });

describe('RBD trash: we move, librbd sees', () => {
  it('trashMove takes the image out of the directory (rbd ls, RBD.list) into rbd trash ls; it stays openable by id; rbd trash restore brings it back', async () => {
    await RBD.create(io, 'ours-a', 8 << 20);
    const img = await RBD.open(io, 'ours-a');
    const data = pattern(1 << 20, 7);
    await img.write(data, 0);
    const id = img.id;
    await img.close();

    const before = Math.floor(Date.now() / 1000);
    await RBD.trashMove(io, 'ours-a');
    expect(rbdJson<string[]>(['ls'])).not.toContain('ours-a');
    expect(await RBD.list(io)).not.toContain('ours-a');
    expect(rbdJson<Array<{ id: string; name: string }>>(['trash', 'ls'])).toEqual([{ id, name: 'ours-a' }]);
    const [cli] = rbdJson<CliTrashEntry[]>(['trash', 'ls', '--long']);
    const ours = await RBD.trashGet(io, id);
    expect(asCli(ours, new Date())).toEqual(cli);
    expect(asPy(ours)).toEqual((librbdOne({ op: 'get', id }) as { ok: PyTrashInfo }).ok);
    expect(ours.deletionTime.getTime() / 1000).toBeGreaterThanOrEqual(before);
    expect(ours.defermentEndTime).toEqual(ours.deletionTime);
    // The id object went with the name; the header and data stayed.
    const objects = rados(['ls']);
    expect(objects).not.toContain('rbd_id.ours-a');
    expect(objects).toContain(`rbd_header.${id}`);
    const byId = await Image.openById(io, 'ours-a', id, { readOnly: true });
    expectBytes(await byId.read(0, 1 << 20), data);
    await byId.close();
    await expect(RBD.open(io, 'ours-a')).rejects.toMatchObject({ errno: 2 });

    rbd(['trash', 'restore', id]);
    expect(await RBD.list(io)).toContain('ours-a');
    expect(await ourList()).toEqual([]);
    const back = await RBD.open(io, 'ours-a');
    expect(back.id).toBe(id);
    expectBytes(await back.read(0, 1 << 20), data);
    await back.close();
    await RBD.remove(io, 'ours-a');
  }, 120_000);

  it('a delay keeps rbd trash rm off (EPERM) until --force; the removal leaves nothing of the image', async () => {
    await RBD.create(io, 'ours-b', 8 << 20);
    const img = await RBD.open(io, 'ours-b');
    await img.write(pattern(4096, 1), 0);
    const id = img.id;
    await img.close();
    await RBD.trashMove(io, 'ours-b', { delay: 3600 });
    const [cli] = rbdJson<CliTrashEntry[]>(['trash', 'ls', '--long']);
    const ours = await RBD.trashGet(io, id);
    expect(ours.defermentEndTime.getTime() - ours.deletionTime.getTime()).toBe(3600_000);
    expect(asCli(ours, new Date())).toEqual(cli);
    expect(cli!.status).toMatch(/^protected until /);
    expect(await rbdExit(['trash', 'rm', id])).toBe(1);
    await rbdAsync(['trash', 'rm', '--force', id]);
    expect(await ourList()).toEqual([]);
    expect(rados(['ls'])).not.toContain(id);
  }, 120_000);
});

describe('RBD trash: librbd moves, we see', () => {
  it('rbd trash mv and the binding trash_move: our trashList and trashGet give the fields rbd trash ls --long and the binding give', async () => {
    rbd(['create', '--size', '8M', 'cli-a']);
    rbd(['create', '--size', '8M', 'cli-b']);
    rbd(['create', '--size', '8M', 'py-c']);
    rbd(['trash', 'mv', 'cli-a']);
    rbd(['trash', 'mv', '--expires-at', '2030-01-01 00:00:00', 'cli-b']);
    expect(librbdOne({ op: 'move', name: 'py-c', delay: 7200 })).toEqual({ ok: null });

    const ours = await ourList();
    const now = new Date();
    expect(ours.map((t) => t.name).sort()).toEqual(['cli-a', 'cli-b', 'py-c']);
    // Both listings in id order.
    expect(ours.map((t) => asCli(t, now))).toEqual(rbdJson<CliTrashEntry[]>(['trash', 'ls', '--long']));
    const [list, ...gets] = librbd([{ op: 'list' }, ...ours.map((t) => ({ op: 'get', id: t.id }))]);
    expect(ours.map(asPy)).toEqual((list as { ok: PyTrashInfo[] }).ok);
    for (const [i, t] of ours.entries()) {
      expect(asPy(await RBD.trashGet(io, t.id))).toEqual((gets[i] as { ok: PyTrashInfo }).ok);
    }
    // Tentacle's `rbd trash mv --expires-at` turns the date into a whole-second delay from a `now` with a fraction: a second early.
    const end = ours.find((t) => t.name === 'cli-b')!.defermentEndTime.getTime();
    expect(Date.parse('2030-01-01T00:00:00Z') - end).toBeLessThanOrEqual(1000);
  }, 120_000);

  it('our trashRestore, trashRemove (EPERM without force before the deferment end) and trashPurge on what librbd moved', async () => {
    const byName = async (n: string): Promise<TrashImageInfo> => (await ourList()).find((t) => t.name === n)!;
    const a = await byName('cli-a');
    const b = await byName('cli-b');
    const c = await byName('py-c');

    await RBD.trashRestore(io, a.id, 'cli-a2');
    expect(rbdJson<string[]>(['ls'])).toContain('cli-a2');
    expect(rbdJson<{ id: string }>(['info', 'cli-a2']).id).toBe(a.id);
    expect(rbdJson<Array<{ id: string }>>(['trash', 'ls']).map((t) => t.id)).not.toContain(a.id);

    expect(await ourErrno(RBD.trashRemove(io, b.id))).toBe(1);
    await RBD.trashRemove(io, b.id, { force: true });
    expect(rbdJson<Array<{ id: string }>>(['trash', 'ls']).map((t) => t.id)).toEqual([c.id]);
    expect(rados(['ls'])).not.toContain(b.id);

    // Purge takes what has expired (cli-a2, moved again by the binding with no delay), not py-c.
    expect(librbdOne({ op: 'move', name: 'cli-a2' })).toEqual({ ok: null });
    await RBD.trashPurge(io);
    expect(rbdJson<Array<{ id: string }>>(['trash', 'ls']).map((t) => t.id)).toEqual([c.id]);
    expect(rados(['ls'])).not.toContain(a.id);
    // …and, with a later expiry, py-c too.
    await RBD.trashPurge(io, { expireTs: new Date(Date.now() + 3 * 3600_000) });
    expect(rbdJson<unknown[]>(['trash', 'ls'])).toEqual([]);
    expect(await ourErrno(RBD.trashPurge(io, { threshold: 2 }))).toBe(22);
    expect(librbdErrno({ op: 'purge', threshold: 2 })).toBe(22);
  }, 120_000);
});

describe('RBD trash errnos, as the python binding has them', () => {
  it('ENOENT moving a missing image or getting, removing, restoring a missing id; EPERM removing before the deferment end; EEXIST restoring onto a taken name', async () => {
    expect(await ourErrno(RBD.trashMove(io, 'no-such-image'))).toBe(2);
    expect(librbdErrno({ op: 'move', name: 'no-such-image' })).toBe(2);
    for (const op of ['get', 'remove'] as const) {
      expect(librbdErrno({ op, id: 'deadbeef' }), op).toBe(2);
    }
    expect(librbdErrno({ op: 'restore', id: 'deadbeef', name: 'x' })).toBe(2);
    expect(await ourErrno(RBD.trashGet(io, 'deadbeef'))).toBe(2);
    expect(await ourErrno(RBD.trashRemove(io, 'deadbeef'))).toBe(2);
    expect(await ourErrno(RBD.trashRestore(io, 'deadbeef', 'x'))).toBe(2);

    await RBD.create(io, 'err-a', 8 << 20);
    await RBD.create(io, 'err-taken', 8 << 20);
    await RBD.trashMove(io, 'err-a', { delay: 600 });
    const [t] = await ourList();
    expect(await ourErrno(RBD.trashRemove(io, t!.id))).toBe(1);
    expect(librbdErrno({ op: 'remove', id: t!.id })).toBe(1);
    expect(await ourErrno(RBD.trashRestore(io, t!.id, 'err-taken'))).toBe(17);
    expect(librbdErrno({ op: 'restore', id: t!.id, name: 'err-taken' })).toBe(17);
    // The failed restores left the entry as it was (NORMAL again: a later restore works).
    expect((await ourList()).map((x) => x.name)).toEqual(['err-a']);
    await RBD.trashRestore(io, t!.id, '');
    expect(await RBD.list(io)).toEqual(expect.arrayContaining(['err-a', 'err-taken']));
    await RBD.remove(io, 'err-a');
    await RBD.remove(io, 'err-taken');
  }, 120_000);
});

describe('what a move does to an image in use, as librbd', () => {
  it('an image open in librbd with its exclusive lock: the owner is asked for the lock and the move goes on (as rbd trash mv); removing it from the trash while it is open is EBUSY (as rbd trash rm)', async () => {
    for (const n of ['open-ours', 'open-cli']) rbd(['create', '--size', '8M', n]);
    const o1 = await startLibrbdLockOwner(cluster, POOL, 'open-ours');
    const o2 = await startLibrbdLockOwner(cluster, POOL, 'open-cli');
    try {
      await RBD.trashMove(io, 'open-ours');
      await rbdAsync(['trash', 'mv', 'open-cli']);
      const t = await ourList();
      expect(t.map((x) => x.name).sort()).toEqual(['open-cli', 'open-ours']);
      const ours = t.find((x) => x.name === 'open-ours')!;
      const cli = t.find((x) => x.name === 'open-cli')!;
      // Still open (watching its header) in librbd: both removals refuse.
      expect(await ourErrno(RBD.trashRemove(io, ours.id))).toBe(16);
      expect(await rbdExit(['trash', 'rm', cli.id])).toBe(16);
      expect(await ourErrno(RBD.trashRemove(io, cli.id))).toBe(16);
    } finally {
      await o1.stop();
      await o2.stop();
    }
    await RBD.trashPurge(io);
    expect(await ourList()).toEqual([]);
  }, 180_000);

  it('a clone parent moves with its clone still reading it by id; removing it from the trash is ENOTEMPTY (it has snapshots), as rbd trash rm', async () => {
    await RBD.create(io, 'par', 8 << 20);
    const par = await RBD.open(io, 'par');
    const data = pattern(8 << 20, 3);
    await par.write(data, 0);
    await par.createSnap('s');
    await par.protectSnap('s');
    await par.close();
    await RBD.clone(io, 'par', 's', io, 'kid');
    rbd(['create', '--size', '8M', 'par2']);
    rbd(['snap', 'create', 'par2@s']);
    rbd(['snap', 'protect', 'par2@s']);
    rbd(['clone', 'par2@s', 'kid2']);

    await RBD.trashMove(io, 'par');
    await rbdAsync(['trash', 'mv', 'par2']);
    const t = await ourList();
    const parId = t.find((x) => x.name === 'par')!.id;
    const par2Id = t.find((x) => x.name === 'par2')!.id;
    const kid = await RBD.open(io, 'kid', { readOnly: true });
    expectBytes(await kid.read(0, 8 << 20), data);
    await kid.close();
    expect(await ourErrno(RBD.trashRemove(io, parId, { force: true }))).toBe(39);
    expect(await rbdExit(['trash', 'rm', par2Id])).toBe(39);
    expect(await ourErrno(RBD.trashRemove(io, par2Id))).toBe(39);
    // The failed removals left them restorable.
    await RBD.trashRestore(io, parId, 'par');
    rbd(['trash', 'restore', par2Id]);
    expect(await RBD.list(io)).toEqual(expect.arrayContaining(['par', 'par2', 'kid', 'kid2']));
  }, 180_000);

  it('an image in a group: EMLINK (current librbd refuses it; Pacific and Reef librbd still moved it)', async () => {
    for (const n of ['grp-ours', 'grp-cli']) rbd(['create', '--size', '8M', n]);
    // Tentacle's `rbd group` verbs take no -p: pool/name specs, without rbdCli's -p.
    const group = (args: string[]): string => execFileSync('rbd', ['-c', cluster.confPath, 'group', ...args], { encoding: 'utf8' });
    group(['create', `${POOL}/grp`]);
    group(['image', 'add', `${POOL}/grp`, `${POOL}/grp-ours`]);
    group(['image', 'add', `${POOL}/grp`, `${POOL}/grp-cli`]);
    expect(await ourErrno(RBD.trashMove(io, 'grp-ours'))).toBe(31);
    expect(await RBD.list(io)).toContain('grp-ours');
    const theirs = librbdErrno({ op: 'move', name: 'grp-cli' });
    // Reef 18.2.7's librbd moves it too (the check came after it); Tentacle's refuses.
    expect(theirs).toBe(cluster.release === 'pacific' || cluster.release === 'reef' ? undefined : 31);
  }, 120_000);
});

describe('rbd_trash notifications (TrashWatcher), as librbd sends them', () => {
  it("rbd trash mv / rm and our trashMove / trashRemove notify rbd_trash's watchers with the same payloads", async () => {
    rbd(['create', '--size', '8M', 'nfy-cli']);
    await RBD.create(io, 'nfy-ours', 8 << 20);
    // A move creates rbd_trash; the watch needs it first.
    rbd(['create', '--size', '8M', 'nfy-first']);
    rbd(['trash', 'mv', 'nfy-first']);
    const seen: Uint8Array[] = [];
    const watch = await io.watch('rbd_trash', (_id, _gid, payload) => {
      seen.push(payload);
      return undefined;
    });
    try {
      await rbdAsync(['trash', 'mv', 'nfy-cli']);
      await RBD.trashMove(io, 'nfy-ours');
      const t = await ourList();
      const cli = t.find((x) => x.name === 'nfy-cli')!.id;
      const ours = t.find((x) => x.name === 'nfy-ours')!.id;
      // IMAGE_ADDED carries the entry as stored (NORMAL once the move is done), to the nanosecond.
      const added = async (id: string): Promise<Uint8Array> => encodeTrashImageAdded(id, await callCls(io, 'rbd_trash', trashGet, id));
      const expected = [await added(cli), await added(ours), encodeTrashImageRemoved(cli), encodeTrashImageRemoved(ours)];
      await rbdAsync(['trash', 'rm', cli]);
      await RBD.trashRemove(io, ours);
      expect(seen).toEqual(expected);
    } finally {
      await watch.close();
    }
  }, 120_000);
});
