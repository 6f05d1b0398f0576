// Where Ceph's own binding tests (src/test/pybind/test_rbd.py, test_rados.py) found us answering
// otherwise than librbd/librados: each case makes the same calls through python3-rbd/-rados
// (pybind-oracle.py, on the same cluster) and through us, and expects our answers to be theirs.
import { beforeAll, describe, expect, it } from 'vitest';
import { RBD, ReadOp, WriteOp } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { rbdCli } from './rbd-cli.ts';
import { answers, outcome, pybind, type PybindCall, type PybindOutcome } from './pybind-oracle.ts';

let cluster: Cluster;
let rados: RadosHandle;
let io: IoCtx;
const POOL = 'rbd';
const MiB = 1 << 20;
const { rbdJson } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, rados, io } = env));

const py = (calls: PybindCall[]): Promise<PybindOutcome[]> => pybind(cluster, POOL, calls);
/** The value of a python call that must have succeeded. */
const okOf = (o: PybindOutcome | undefined): unknown => {
  if (!o || !('ok' in o)) throw new Error(`python call failed: ${JSON.stringify(o)}`);
  return o.ok;
};

describe('an open image sees what other clients changed (librbd: HEADER_UPDATE marks it, the next call refreshes)', () => {
  it('python grows the image and makes a snapshot while we hold it open: size, info().size, reads past the old end and listSnaps() show it', async () => {
    await RBD.create(io, 'grow', 8 * MiB);
    await using img = await RBD.open(io, 'grow');
    await img.write(new Uint8Array(4096).fill(1), 0);
    expect(await outcome(() => img.read(8 * MiB, 4096))).toMatchObject({ errno: 22 });
    const theirs = await py([
      { op: 'open', name: 'grow' },
      { op: 'resize', size: 16 * MiB },
      { op: 'create_snap', name: 'ps' },
      { op: 'size' },
      { op: 'read', offset: 8 * MiB, length: 4096 },
      { op: 'list_snaps' },
    ]);
    expect(img.size).toBe(okOf(theirs[3]));
    expect((await img.info()).size).toBe(okOf(theirs[3]));
    expect((await img.read(8 * MiB, 4096)).length).toBe(okOf(theirs[4]));
    expect(img.listSnaps().map((s) => s.name)).toEqual(okOf(theirs[5]));
  });

  it('python flattens a clone we hold open: its parent is gone for us too', async () => {
    await RBD.create(io, 'fparent', 4 * MiB);
    const setup = await py([
      { op: 'open', name: 'fparent' },
      { op: 'write', offset: 0, length: 4096 },
      { op: 'create_snap', name: 's' },
      { op: 'clone', parent: 'fparent', snap: 's', name: 'fchild' },
    ]);
    expect(answers(setup)).toEqual([{ ok: null }, { ok: 4096 }, { ok: null }, { ok: null }]);
    await using child = await RBD.open(io, 'fchild');
    expect(child.parentInfo()).toBeDefined();
    const theirs = await py([{ op: 'open', name: 'fchild' }, { op: 'flatten' }, { op: 'parent' }]);
    expect(okOf(theirs[2])).toBeNull();
    expect(child.parentInfo()).toBeUndefined();
    expect((await child.info()).parent).toBeUndefined();
    expect(child.overlap).toBe(0);
  });

  // librbd's snap_list (Python list_snaps) lists every namespace, the trashed snapshot under its
  // uuid name: that is our listSnaps({ all: true }); our listSnaps() is `rbd snap ls`'s (user snapshots).
  it('python removes a snapshot a clone keeps (it goes to the trash) while we hold the parent open: listSnaps() drops it, { all } has it as list_snaps', async () => {
    await RBD.create(io, 'tparent', 4 * MiB);
    await using parent = await RBD.open(io, 'tparent');
    await parent.createSnap('ts');
    const theirs = await py([
      { op: 'clone', parent: 'tparent', snap: 'ts', name: 'tchild' },
      { op: 'open', name: 'tparent' },
      { op: 'remove_snap', name: 'ts' },
      { op: 'list_snaps' },
    ]);
    expect(answers(theirs.slice(0, 3))).toEqual([{ ok: null }, { ok: null }, { ok: null }]);
    expect(parent.listSnaps({ all: true }).map((s) => s.name)).toEqual(okOf(theirs[3]));
    expect(parent.listSnaps({ all: true }).map((s) => s.trashOriginalName)).toEqual(['ts']);
    expect(parent.listSnaps().map((s) => s.name)).toEqual(rbdJson<Array<{ name: string }>>(['snap', 'ls', 'tparent']).map((s) => s.name));
    expect(parent.listSnaps()).toEqual([]);
  });
});

describe('snapshots', () => {
  it('on a handle set to a snapshot (set_snap) writes, resize, rollback and metadata changes are EROFS; snapshot changes run', async () => {
    const calls = (name: string): PybindCall[] => [
      { op: 'create', name, size: 4 * MiB },
      { op: 'open', name },
      { op: 'create_snap', name: 's1' },
      { op: 'create_snap', name: 's2' },
      { op: 'protect_snap', name: 's1' },
      { op: 'set_snap', name: 's1' },
      { op: 'write', offset: 0, length: 512 },
      { op: 'resize', size: 8 * MiB },
      { op: 'rollback', name: 's2' },
      { op: 'remove_snap', name: 's2' },
      { op: 'unprotect_snap', name: 's1' },
      { op: 'protect_snap', name: 's1' },
      { op: 'create_snap', name: 's3' },
      { op: 'metadata_set', key: 'k', value: 'v' },
      { op: 'metadata_remove', key: 'k' },
      { op: 'list_snaps' },
    ];
    const theirs = await py(calls('setsnap-py'));
    await RBD.create(io, 'setsnap-ours', 4 * MiB);
    await using img = await RBD.open(io, 'setsnap-ours');
    const ours: PybindOutcome[] = [{ ok: null }, { ok: null }];
    for (const c of calls('').slice(2)) {
      const name = c['name'] as string;
      ours.push(
        await outcome(() => {
          switch (c.op) {
            case 'create_snap':
              return img.createSnap(name);
            case 'protect_snap':
              return img.protectSnap(name);
            case 'unprotect_snap':
              return img.unprotectSnap(name);
            case 'remove_snap':
              return img.removeSnap(name);
            case 'set_snap':
              return img.setSnap(name);
            case 'write':
              return img.write(new Uint8Array(512), 0);
            case 'resize':
              return img.resize(8 * MiB);
            case 'rollback':
              return img.rollbackToSnap(name);
            case 'metadata_set':
              return img.metadataSet('k', 'v');
            case 'metadata_remove':
              return img.metadataRemove('k');
            default:
              return img.listSnaps().map((s) => s.name);
          }
        }),
      );
    }
    expect(answers(ours)).toEqual(answers(theirs));
    expect(answers(theirs).filter((a) => JSON.stringify(a) === '{"errno":30}')).toHaveLength(4);
  });

  it("listSnaps() is by ascending snapshot id, as list_snaps (names made out of order), for python's image and ours", async () => {
    const make = (name: string): PybindCall[] => [
      { op: 'create', name, size: MiB },
      { op: 'open', name },
      ...['b', 'c', 'a'].map((n) => ({ op: 'create_snap', name: n })),
      { op: 'list_snaps' },
    ];
    const theirs = await py(make('order-py'));
    const listed = okOf(theirs.at(-1));
    expect(listed).toEqual(['b', 'c', 'a']);
    await RBD.create(io, 'order-ours', MiB);
    await using img = await RBD.open(io, 'order-ours');
    for (const n of ['b', 'c', 'a']) await img.createSnap(n);
    expect(img.listSnaps().map((s) => s.name)).toEqual(listed);
    await using theirImg = await RBD.open(io, 'order-py');
    expect(theirImg.listSnaps().map((s) => s.name)).toEqual(listed);
    expect(okOf((await py([{ op: 'open', name: 'order-ours' }, { op: 'list_snaps' }]))[1])).toEqual(listed);
  });
});

describe('reads, metadata, create and close', () => {
  it('read at the end: EINVAL unless empty; past the end EINVAL; across it clipped (clip_io)', async () => {
    const size = 4 * MiB;
    const reads: Array<[number, number]> = [
      [size, 20],
      [size, 0],
      [size + 1, 20],
      [size + 1, 0],
      [size - 10, 20],
      [0, 20],
    ];
    const theirs = await py([{ op: 'create', name: 'readend', size }, { op: 'open', name: 'readend' }, ...reads.map(([offset, length]) => ({ op: 'read', offset, length }))]);
    await using img = await RBD.open(io, 'readend');
    const ours: PybindOutcome[] = [{ ok: null }, { ok: null }];
    for (const [offset, length] of reads) ours.push(await outcome(async () => (await img.read(offset, length)).length));
    expect(answers(ours)).toEqual(answers(theirs));
    expect(answers(theirs)[2]).toEqual({ errno: 22 });
  });

  it('metadataRemove of a missing key: ENOENT', async () => {
    const calls: PybindCall[] = [
      { op: 'metadata_remove', key: 'nokey' },
      { op: 'metadata_set', key: 'k', value: 'v' },
      { op: 'metadata_remove', key: 'k' },
      { op: 'metadata_remove', key: 'k' },
    ];
    await RBD.create(io, 'meta', MiB);
    const theirs = await py([{ op: 'open', name: 'meta' }, ...calls]);
    await using img = await RBD.open(io, 'meta');
    const ours: PybindOutcome[] = [{ ok: null }];
    for (const c of calls) ours.push(await outcome(() => (c.op === 'metadata_set' ? img.metadataSet('k', 'v') : img.metadataRemove(c['key'] as string))));
    expect(answers(ours)).toEqual(answers(theirs));
    expect(answers(theirs)[1]).toEqual({ errno: 2 });
  });

  it('order 0 is the default order; calls on a closed image are EINVAL, as the binding', async () => {
    const theirs = await py([
      { op: 'create', name: 'order0-py', size: MiB, order: 0 },
      { op: 'open', name: 'order0-py' },
      { op: 'stat_order' },
      { op: 'close' },
      { op: 'read', offset: 0, length: 1 },
      { op: 'write', offset: 0, length: 1 },
      { op: 'create_snap', name: 'x' },
      { op: 'list_snaps' },
      { op: 'parent' },
    ]);
    await RBD.create(io, 'order0-ours', MiB, { order: 0 });
    const img = await RBD.open(io, 'order0-ours');
    const ours: PybindOutcome[] = [{ ok: null }, { ok: null }, { ok: Math.log2(img.layoutInfo.objectSize) }, await outcome(() => img.close())];
    ours.push(await outcome(async () => (await img.read(0, 1)).length));
    ours.push(await outcome(() => img.write(new Uint8Array(1), 0)));
    ours.push(await outcome(() => img.createSnap('x')));
    ours.push(await outcome(() => img.listSnaps()));
    ours.push(await outcome(() => img.parentInfo()));
    expect(answers(ours)).toEqual(answers(theirs));
    expect(okOf(theirs[2])).toBe(22);
  });
});

describe('librados', () => {
  it('a WriteOp or ReadOp operated twice: the second time it is empty (librados moves its steps out) and succeeds', async () => {
    const theirs = await py([
      { op: 'write_op_create_twice', oid: 'wop-py' },
      { op: 'read_op_cmpext_twice', oid: 'wop-py', cmp: 'x' },
    ]);
    const wop = new WriteOp().create(true).writeFull(new TextEncoder().encode('abc'));
    const writes = [await outcome(() => io.operateWriteOp(wop, 'wop-ours')), await outcome(() => io.operateWriteOp(wop, 'wop-ours'))];
    expect(answers(writes)).toEqual(answers(okOf(theirs[0]) as PybindOutcome[]));
    const rop = new ReadOp().cmpext(new TextEncoder().encode('x'), 0);
    const reads = [await outcome(() => io.operateReadOp(rop, 'wop-ours')), await outcome(async () => (await io.operateReadOp(rop, 'wop-ours')).length || null)];
    const theirReads = okOf(theirs[1]) as PybindOutcome[];
    expect('errno' in reads[0]!).toBe('errno' in theirReads[0]!);
    expect(answers([reads[1]!])).toEqual(answers([theirReads[1]!]));
  });

  it('a watch whose object is deleted is reported lost with ENOTCONN (Objecter::_normalize_watch_error)', async () => {
    const [theirs] = await py([{ op: 'watch_deleted', oid: 'watched-py' }]);
    await io.writeFull('watched-ours', new TextEncoder().encode('x'));
    let heard!: (e: Error) => void;
    const lost = new Promise<Error>((r) => (heard = r));
    const w = await io.watch(
      'watched-ours',
      () => undefined,
      (e) => heard(e),
    );
    await io.remove('watched-ours');
    const e = (await lost) as Error & { errno: number };
    await w.close().catch(() => undefined);
    expect(e.errno).toBe(okOf(theirs));
    expect(e.errno).toBe(107);
  }, 90_000);

  it('blocklistAdd with a whole-number expiry, and with 0 (no expiry field), as blocklist_add', async () => {
    const theirs = await py([
      { op: 'blocklist_add', addr: '192.0.2.50:0/1', expire: 1 },
      { op: 'blocklist_add', addr: '192.0.2.51:0/1', expire: 0 },
      { op: 'blocklist_add', addr: '192.0.2.52:0/1', expire: 3600 },
    ]);
    const ours = [
      await outcome(() => rados.blocklistAdd('192.0.2.60:0/1', 1)),
      await outcome(() => rados.blocklistAdd('192.0.2.61:0/1', 0)),
      await outcome(() => rados.blocklistAdd('192.0.2.62:0/1', 3600)),
    ];
    expect(answers(ours)).toEqual(answers(theirs));
  });
});
