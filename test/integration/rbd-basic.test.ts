// RBD images through our own RADOS, both directions with the `rbd` CLI (librbd): what we create,
// write, snapshot and remove is what `rbd ls/info/snap ls/export` see, and what `rbd create/
// import/snap create/clone` make reads the same through us — default and striped layouts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rados, RBD } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectBytes, pattern, rbdCli } from './rbd-cli.ts';

let cluster: Cluster;
let rados: RadosHandle;
let io: IoCtx;
const POOL = 'rbd';
const DATA_POOL = 'rbddata';
const rados_ = (pool: string, args: string[]): string => execFileSync('rados', ['-c', cluster.confPath, '-p', pool, ...args], { encoding: 'utf8' });
const { rbd, rbdAsync, rbdJson, exported } = rbdCli(() => cluster, POOL);

const env = usePoolCluster([POOL, DATA_POOL]);
beforeAll(() => ({ cluster, rados, io } = env));

type RbdInfo = Record<string, unknown> & { create_timestamp: string };

/** `rbd info` and ours agree on every field; timestamps to the second. */
async function expectSameInfo(name: string): Promise<void> {
  const img = await RBD.open(io, name);
  try {
    const ours = await img.info();
    const theirs = rbdJson<RbdInfo>(['info', name]);
    const { create_timestamp, access_timestamp, modify_timestamp, ...rest } = ours;
    const { create_timestamp: ct, access_timestamp: _a, modify_timestamp: _m, ...theirRest } = theirs;
    expect(rest).toEqual(theirRest);
    expect(Math.floor(create_timestamp.getTime() / 1000)).toBe(Math.floor(Date.parse(ct) / 1000));
    expect(access_timestamp).toBeInstanceOf(Date);
    expect(modify_timestamp).toBeInstanceOf(Date);
  } finally {
    await img.close();
  }
}

describe('RBD images against librbd', () => {
  it('an image we create is listed and described by `rbd` exactly as by us', async () => {
    await RBD.create(io, 'ours', 20 << 20);
    expect(rbdJson<string[]>(['ls'])).toContain('ours');
    expect(await RBD.list(io)).toEqual(rbdJson<string[]>(['ls']).sort());
    await expectSameInfo('ours');
    // Same id format as librbd: our global id in hex, then a random 32-bit number in hex.
    const { id } = rbdJson<{ id: string }>(['info', 'ours']);
    expect(id.startsWith(rados.instanceId.toString(16))).toBe(true);
  });

  it('random unaligned writes across object boundaries equal a reference buffer and `rbd export`', async () => {
    const size = 20 << 20;
    const img = await RBD.open(io, 'ours');
    const ref = new Uint8Array(size);
    let seed = 7;
    for (let i = 0; i < 60; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const len = 1 + (seed % (3 << 20));
      const off = (seed >>> 3) % (size - len);
      const data = pattern(len, seed);
      expect(await img.write(data, off)).toBe(len);
      ref.set(data, off);
    }
    expectBytes(await img.read(0, size), ref);
    expectBytes(exported('ours'), ref);
    // Discard: a whole object, an object's tail and a middle range read back as zeros.
    await img.discard(4 << 20, 4 << 20);
    await img.discard((9 << 20) - 1000, 1000);
    await img.discard((12 << 20) + 5, 77);
    ref.fill(0, 4 << 20, 8 << 20);
    ref.fill(0, (9 << 20) - 1000, 9 << 20);
    ref.fill(0, (12 << 20) + 5, (12 << 20) + 82);
    expectBytes(await img.read(0, size), ref);
    expectBytes(exported('ours'), ref);
    await img.close();
  }, 120_000);

  it('striped images (stripe unit/count), ours and theirs, map every byte where librbd does', async () => {
    await RBD.create(io, 'striped', 6 << 20, { order: 20, stripeUnit: 64 << 10, stripeCount: 3 });
    await expectSameInfo('striped');
    const img = await RBD.open(io, 'striped');
    const ref = pattern(6 << 20, 99);
    // Unaligned pieces crossing stripe units and objects.
    for (let off = 0; off < ref.length;) {
      const len = Math.min(ref.length - off, 100_003);
      await img.write(ref.subarray(off, off + len), off);
      off += len;
    }
    expectBytes(exported('striped'), ref);
    await img.close();
    // rbd import with striping: we read what librbd wrote.
    const file = join(cluster.dir, 'striped-src');
    const theirs = pattern(5 << 20, 5);
    writeFileSync(file, theirs);
    rbd(['import', '--image-feature', 'layering,striping', '--order', '20', '--stripe-unit', '65536', '--stripe-count', '4', file, 'their-striped']);
    await expectSameInfo('their-striped');
    const t = await RBD.open(io, 'their-striped');
    expectBytes(await t.read(0, theirs.length), theirs);
    expectBytes(await t.read(123_457, 999_999), theirs.subarray(123_457, 123_457 + 999_999));
    await t.close();
  }, 120_000);

  it('images made by `rbd create`/`rbd import` with default features are read and written by us', async () => {
    const file = join(cluster.dir, 'import-src');
    const data = pattern(9 << 20, 3);
    writeFileSync(file, data);
    rbd(['import', file, 'default-features']);
    await expectSameInfo('default-features');
    const img = await RBD.open(io, 'default-features');
    expectBytes(await img.read(0, data.length), data);
    await img.write('x', 0);
    await img.close();
    data[0] = 'x'.charCodeAt(0);
    expectBytes(exported('default-features'), data);
    expect(rbd(['object-map', 'check', 'default-features'])).not.toMatch(/invalid|error/i);
    rbd(['create', '--size', '8M', '--image-feature', 'layering', 'empty']);
    const e = await RBD.open(io, 'empty');
    expectBytes(await e.read(0, 8 << 20), new Uint8Array(8 << 20));
    await e.close();
  }, 120_000);

  it('snapshots: ours are listed by `rbd snap ls` and exported at; theirs are read by us', async () => {
    await RBD.create(io, 'snappy', 8 << 20);
    const img = await RBD.open(io, 'snappy');
    const v1 = pattern(8 << 20, 11);
    await img.write(v1, 0);
    await img.createSnap('s1');
    const v2 = pattern(1 << 20, 12);
    await img.write(v2, 3 << 20);
    const snaps = rbdJson<Array<{ id: number; name: string; size: number; protected: string }>>(['snap', 'ls', 'snappy']);
    expect(snaps.map((s) => ({ id: BigInt(s.id), name: s.name, size: s.size, protected: s.protected === 'true' }))).toEqual(
      img.listSnaps().map((s) => ({ id: s.id, name: s.name, size: s.size, protected: s.protected })),
    );
    expectBytes(exported('snappy@s1'), v1);
    const now = v1.slice();
    now.set(v2, 3 << 20);
    expectBytes(exported('snappy'), now);
    // librbd's snapshot, read by us at it.
    await rbdAsync(['snap', 'create', 'snappy@theirs']);
    await img.write(pattern(4096, 13), 0);
    const at = await RBD.open(io, 'snappy', { snapshot: 'theirs' });
    expectBytes(await at.read(0, 8 << 20), now);
    await expect(at.write('x', 0)).rejects.toMatchObject({ errno: 30 });
    await at.close();
    await img.setSnap('s1');
    expectBytes(await img.read(0, 8 << 20), v1);
    await img.setSnap(null);
    // Removing an image with snapshots is refused as `rbd rm` refuses it (both take the lock our
    // open image holds first, asking it for it: PreRemoveRequest's acquire_lock).
    await expect(RBD.remove(io, 'snappy')).rejects.toMatchObject({ errno: 39 });
    await expect(rbdAsync(['rm', 'snappy'])).rejects.toMatchObject({ code: 39 });
    await img.renameSnap('s1', 'first');
    // Listed in librbd's order (by snapshot id, oldest first: `rbd snap ls`, Python list_snaps).
    const theirOrder = rbdJson<Array<{ name: string }>>(['snap', 'ls', 'snappy']).map((s) => s.name);
    expect(theirOrder).toEqual(['first', 'theirs']);
    expect(img.listSnaps().map((s) => s.name)).toEqual(theirOrder);
    await img.removeSnap('first');
    await img.removeSnap('theirs');
    expect(rbdJson<unknown[]>(['snap', 'ls', 'snappy'])).toEqual([]);
    await img.close();
  }, 120_000);

  it('clones made by `rbd clone` (v1 and v2) read through to their parent within the overlap, and take our copy-on-write', async () => {
    const file = join(cluster.dir, 'parent-src');
    const base = pattern(8 << 20, 21);
    writeFileSync(file, base);
    rbd(['import', '--image-feature', 'layering', file, 'parent']);
    rbd(['snap', 'create', 'parent@p']);
    rbd(['snap', 'protect', 'parent@p']);
    rbd(['clone', '--image-feature', 'layering', 'parent@p', 'child1']);
    rbd(['clone', '--rbd-default-clone-format', '2', '--image-feature', 'layering', 'parent@p', 'child2']);
    // A child object librbd copied up, and the rest read through to the parent.
    rbd(['bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '4096', '--io-pattern', 'seq', 'child1']);
    for (const child of ['child1', 'child2']) {
      const img = await RBD.open(io, child);
      expect(img.parentInfo()).toMatchObject({ poolId: io.poolId, overlap: 8 << 20 });
      expectBytes(await img.read(0, 8 << 20), exported(child));
      // Our copy-on-write into a librbd-made clone (v1 and v2) is what librbd then reads.
      await img.write('ours', (5 << 20) + 3);
      expectBytes(await img.read(0, 8 << 20), exported(child));
      await img.close();
    }
    expect((await (await RBD.open(io, 'child2')).info()).op_features).toEqual(rbdJson<{ op_features: string[] }>(['info', 'child2']).op_features);
  }, 120_000);

  it('Web Streams: a stream piped into writable() is what readable() and `rbd export` give back; a failed write errors the stream', async () => {
    await RBD.create(io, 'streamed', 10 << 20);
    const img = await RBD.open(io, 'streamed');
    const src = pattern(10 << 20, 77);
    let at = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= src.length) {
          c.close();
          return;
        }
        const n = Math.min(src.length - at, 777_777);
        c.enqueue(src.slice(at, at + n));
        at += n;
      },
    });
    let progress = 0;
    await source.pipeTo(img.writable({ onProgress: (n) => (progress = n) }));
    expect(progress).toBe(src.length);
    const chunks: Uint8Array[] = [];
    for await (const c of img.readable({ offset: 1000, length: (10 << 20) - 2000 }) as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    const back = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      back.set(c, o);
      o += c.length;
    }
    expectBytes(back, src.subarray(1000, (10 << 20) - 1000));
    expectBytes(exported('streamed'), src);
    const tooFar = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(10));
        c.close();
      },
    });
    await expect(tooFar.pipeTo(img.writable({ offset: (10 << 20) - 5 }))).rejects.toMatchObject({ errno: 22 });
    await img.close();
    await RBD.remove(io, 'streamed');
  }, 120_000);

  it('metadata both ways', async () => {
    const img = await RBD.open(io, 'ours');
    await img.metadataSet('conf_rbd_cache', 'false');
    expect(rbd(['image-meta', 'get', 'ours', 'conf_rbd_cache']).trim()).toBe('false');
    await rbdAsync(['image-meta', 'set', 'ours', 'owner', 'them']);
    expect(await img.metadataGet('owner')).toBe('them');
    expect([...(await img.metadataList()).entries()]).toEqual([
      ['conf_rbd_cache', 'false'],
      ['owner', 'them'],
    ]);
    await img.metadataRemove('owner');
    expect(rbd(['image-meta', 'list', 'ours'])).not.toContain('owner');
    await img.close();
  });

  it('bad input: ENOENT, EEXIST, EINVAL past the end, EBUSY while open elsewhere; a failed create leaves nothing', async () => {
    await expect(RBD.open(io, 'missing')).rejects.toMatchObject({ errno: 2 });
    await expect(RBD.create(io, 'ours', 1 << 20)).rejects.toMatchObject({ errno: 17 });
    await expect(RBD.create(io, 'bad/name', 1 << 20)).rejects.toMatchObject({ errno: 22 });
    await expect(RBD.create(io, 'odd', 1 << 20, { order: 22, stripeUnit: 3000, stripeCount: 2 })).rejects.toMatchObject({ errno: 22 });
    await expect(RBD.create(io, 'locky', 1 << 20, { features: 64n | 4n })).rejects.toMatchObject({ errno: 95 }); // journaling
    await expect(RBD.create(io, 'locky', 1 << 20, { features: 1n | 8n })).rejects.toMatchObject({ errno: 22 }); // object-map without exclusive-lock
    expect(rbdJson<string[]>(['ls'])).not.toContain('locky');
    const img = await RBD.open(io, 'ours');
    await expect(img.write(new Uint8Array(10), (20 << 20) - 5)).rejects.toMatchObject({ errno: 22 });
    await img.close();
    await expect(RBD.remove(io, 'missing')).rejects.toMatchObject({ errno: 2 });
    // Open (and so watched) elsewhere: `rbd rm` says EBUSY, and so do we.
    const open = await RBD.open(io, 'ours');
    await expect(RBD.remove(io, 'ours')).rejects.toMatchObject({ errno: 16 });
    expect(() => rbd(['rm', 'ours'])).toThrow(/EBUSY|still has watchers|error 16/);
    await open.close();
    // In a group: EMLINK, as `rbd rm` (PreRemoveRequest's check_group); out of it, removed.
    // (Group and image as pool/name specs: Tentacle's `rbd group image` takes no -p.)
    const rbdGroup = (args: string[]): string => execFileSync('rbd', ['-c', cluster.confPath, 'group', ...args], { encoding: 'utf8' });
    await RBD.create(io, 'grouped', 1 << 20);
    rbdGroup(['create', `${POOL}/grp`]);
    rbdGroup(['image', 'add', `${POOL}/grp`, `${POOL}/grouped`]);
    await expect(RBD.remove(io, 'grouped')).rejects.toMatchObject({ errno: 31 });
    await expect(rbdAsync(['rm', 'grouped'])).rejects.toMatchObject({ code: 31 });
    rbdGroup(['image', 'remove', `${POOL}/grp`, `${POOL}/grouped`]);
    await RBD.remove(io, 'grouped');
    expect(rbdJson<string[]>(['ls'])).not.toContain('grouped');
  });

  it('`rbd du` counts the objects we wrote, per snapshot and at the head', async () => {
    await RBD.create(io, 'dusty', 40 << 20);
    const img = await RBD.open(io, 'dusty');
    // Before the snapshot: objects 0, 2 and 3 (one write straddles 2/3); after it: 3 and 7.
    await img.write(pattern(1000, 1), 100);
    await img.write(pattern(5000, 2), (12 << 20) - 10);
    await img.createSnap('s');
    await img.write(pattern(10, 3), 13 << 20);
    await img.write(pattern(4096, 4), 30 << 20);
    await img.close();
    type Du = { images: Array<{ name: string; snapshot?: string; provisioned_size: number; used_size: number }> };
    const du = rbdJson<Du>(['du', 'dusty']).images;
    const mib4 = 4 << 20;
    expect(du).toEqual([
      { name: 'dusty', id: expect.any(String) as string, snapshot: 's', snapshot_id: expect.any(Number) as number, provisioned_size: 40 << 20, used_size: 3 * mib4 },
      { name: 'dusty', id: expect.any(String) as string, provisioned_size: 40 << 20, used_size: 2 * mib4 },
    ]);
  });

  it('data pool: ours keeps its data objects in the other pool as librbd does; theirs is read and written by us', async () => {
    await RBD.create(io, 'split', 12 << 20, { dataPool: DATA_POOL });
    await expectSameInfo('split');
    const info = rbdJson<{ data_pool: string; features: string[]; block_name_prefix: string }>(['info', 'split']);
    expect(info.data_pool).toBe(DATA_POOL);
    expect(info.features).toContain('data-pool');
    expect(info.block_name_prefix).toBe(`rbd_data.${io.poolId}.${rbdJson<{ id: string }>(['info', 'split']).id}`);
    const img = await RBD.open(io, 'split');
    const data = pattern(5 << 20, 5);
    await img.write(data, 1000);
    await img.close();
    const expected = new Uint8Array(12 << 20);
    expected.set(data, 1000);
    expectBytes(exported('split'), expected);
    expect(
      rados_(DATA_POOL, ['ls'])
        .split('\n')
        .filter((o) => o.startsWith(info.block_name_prefix))
        .sort(),
    ).toEqual([0, 1].map((n) => `${info.block_name_prefix}.${n.toString(16).padStart(16, '0')}`));
    expect(rados_(POOL, ['ls'])).not.toContain(`${info.block_name_prefix}.`);

    rbd(['create', '--size', '8M', '--image-feature', 'layering', '--data-pool', DATA_POOL, 'theirsplit']);
    await expectSameInfo('theirsplit');
    const t = await RBD.open(io, 'theirsplit');
    await t.write(pattern(3000, 6), (4 << 20) - 1500);
    expectBytes(await t.read(0, 8 << 20), exported('theirsplit'));
    await t.close();
    await RBD.remove(io, 'theirsplit');
    await RBD.remove(io, 'split');
    expect(rados_(DATA_POOL, ['ls'])).not.toContain('rbd_data.');
  });

  it('a create that fails part-way (caps forbid the header) leaves no directory entry and no id object', async () => {
    const key = execFileSync(
      'ceph',
      [
        '-c',
        cluster.confPath,
        'auth',
        'get-or-create-key',
        'client.noheader',
        'mon',
        'profile rbd',
        'osd',
        `allow rwx pool=${POOL} object_prefix rbd_directory, allow rwx pool=${POOL} object_prefix rbd_id., allow rwx pool=${POOL} object_prefix rbd_info`,
      ],
      { encoding: 'utf8' },
    ).trim();
    const limited = await Rados.connect({ conf: cluster.confPath, name: 'client.noheader', key });
    try {
      const lio = await limited.openIoCtx(POOL);
      await expect(RBD.create(lio, 'halfmade', 1 << 20)).rejects.toMatchObject({ errno: 1 });
      expect(rbdJson<string[]>(['ls'])).not.toContain('halfmade');
      expect(rados_(POOL, ['ls'])).not.toContain('rbd_id.halfmade');
      expect(await RBD.list(io)).not.toContain('halfmade');
    } finally {
      await limited.close();
    }
  });

  it('rename and remove: `rbd ls` follows, and no object of the image is left', async () => {
    const { block_name_prefix: prefix } = rbdJson<{ block_name_prefix: string }>(['info', 'ours']);
    await RBD.rename(io, 'ours', 'renamed');
    expect(rbdJson<string[]>(['ls'])).toContain('renamed');
    expect(rbdJson<string[]>(['ls'])).not.toContain('ours');
    await RBD.remove(io, 'renamed');
    await RBD.remove(io, 'snappy');
    const left = execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, 'ls'], { encoding: 'utf8' });
    expect(left).not.toContain(prefix);
    expect(rbdJson<string[]>(['ls'])).not.toContain('renamed');
  });
});
