// Object I/O through our Objecter, both directions with the `rados` CLI (librados): data,
// appends and offset writes, stat, xattrs, omap, namespaces, class calls, errors with errno.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RadosError } from '../../protocol/errors.ts';
import { ReadOp, WriteOp } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { CEPH_NOSNAP, compareHObject, formatHObject, type HObject } from '../../protocol/types/hobject.ts';
import { hashKey } from '../../crush/osdmap/placement.ts';

let cluster: Cluster;
let rados: RadosHandle;
let io: IoCtx;
const POOL = 'io';
const radosCli = (args: string[], input?: Buffer): Buffer =>
  execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, ...args], { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20, timeout: 60_000 });

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, rados, io } = env));

const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff);

describe('IoCtx against librados', () => {
  it('writeFull / write / append by us read back identically by `rados get`, and stat agrees', async () => {
    const a = payload(100_000, 1);
    await io.writeFull('obj-a', a);
    const file = join(cluster.dir, 'get-a');
    radosCli(['get', 'obj-a', file]);
    expect(new Uint8Array(readFileSync(file))).toEqual(a);
    await io.write('obj-a', 'HELLO', 10);
    await io.append('obj-a', 'TAIL');
    radosCli(['get', 'obj-a', file]);
    const expected = new Uint8Array(a.length + 4);
    expected.set(a);
    expected.set(new TextEncoder().encode('HELLO'), 10);
    expected.set(new TextEncoder().encode('TAIL'), a.length);
    expect(new Uint8Array(readFileSync(file))).toEqual(expected);
    const st = await io.stat('obj-a');
    expect(st.size).toBe(expected.length);
    expect(radosCli(['stat', 'obj-a']).toString()).toContain(`size ${expected.length}`);
    expect(await io.read('obj-a', 20, 5)).toEqual(expected.subarray(5, 25));
  });

  it('reads what `rados put` wrote, 4 MiB included', async () => {
    const big = payload(4 << 20, 7);
    const file = join(cluster.dir, 'put-big');
    writeFileSync(file, big);
    radosCli(['put', 'obj-big', file]);
    expect(await io.read('obj-big', big.length)).toEqual(big);
  });

  it('xattrs both ways', async () => {
    await io.writeFull('obj-x', 'x');
    await io.setXattr('obj-x', 'user.ours', 'value-from-rados-ts');
    expect(radosCli(['getxattr', 'obj-x', 'user.ours']).toString()).toBe('value-from-rados-ts');
    radosCli(['setxattr', 'obj-x', 'user.theirs', 'value-from-librados']);
    expect(new TextDecoder().decode(await io.getXattr('obj-x', 'user.theirs'))).toBe('value-from-librados');
    await io.rmXattr('obj-x', 'user.ours');
    await expect(io.getXattr('obj-x', 'user.ours')).rejects.toMatchObject({ errno: 61 }); // ENODATA
  });

  it('omap both ways', async () => {
    await io.writeFull('obj-o', '');
    await io.setOmap('obj-o', { k1: 'v1', k2: 'v2', 'p.a': 'pa' });
    const listed = radosCli(['listomapvals', 'obj-o']).toString();
    expect(listed).toContain('k1');
    expect(listed).toContain('p.a');
    radosCli(['setomapval', 'obj-o', 'k3', 'from-librados']);
    const all = await io.getOmapVals('obj-o');
    expect([...all.entries.keys()]).toEqual(['k1', 'k2', 'k3', 'p.a']);
    expect(new TextDecoder().decode(all.entries.get('k3'))).toBe('from-librados');
    expect([...(await io.getOmapVals('obj-o', { prefix: 'p.' })).entries.keys()]).toEqual(['p.a']);
    expect((await io.getOmapVals('obj-o', { startAfter: 'k1', max: 1 })).more).toBe(true);
    await io.removeOmapKeys('obj-o', ['k1', 'k2']);
    expect(radosCli(['listomapkeys', 'obj-o']).toString().trim().split('\n')).toEqual(['k3', 'p.a']);
    expect((await io.getOmapKeys('obj-o')).keys).toEqual(['k3', 'p.a']);
  });

  it('namespaces and locator-free names land where librados looks', async () => {
    io.setNamespace('tenant-1');
    await io.writeFull('obj-ns', 'in a namespace');
    expect(execFileSync('rados', ['-c', cluster.confPath, '-p', POOL, '-N', 'tenant-1', 'get', 'obj-ns', '-']).toString()).toBe('in a namespace');
    io.setNamespace('');
    await expect(io.stat('obj-ns')).rejects.toMatchObject({ errno: 2 });
  });

  it('listObjects equals `rados ls`, per namespace and across all of them', async () => {
    for (let i = 0; i < 40; i++) await io.writeFull(`list-${i}`, String(i));
    io.setNamespace('tenant-2');
    for (let i = 0; i < 5; i++) await io.writeFull(`ns-${i}`, String(i));
    io.setNamespace('');
    const names = async (it: AsyncIterable<{ name: string; namespace: string }>, withNs: boolean): Promise<string[]> => {
      const out: string[] = [];
      for await (const o of it) out.push(withNs ? `${o.namespace}\t${o.name}` : o.name);
      return out.sort();
    };
    const theirsDefault = radosCli(['ls']).toString().trim().split('\n').sort();
    expect(await names(io.listObjects({ batch: 7 }), false)).toEqual(theirsDefault);
    const theirsAll = radosCli(['ls', '--all'])
      .toString()
      .trim()
      .split('\n')
      .map((l) => (l.includes('\t') ? l : `\t${l}`))
      .sort();
    expect(await names(io.listObjects({ allNamespaces: true }), true)).toEqual(theirsAll);
    io.setNamespace('tenant-2');
    expect(await names(io.listObjects(), false)).toEqual(['ns-0', 'ns-1', 'ns-2', 'ns-3', 'ns-4']);
    io.setNamespace('');
  });

  it('create (exclusive), truncate, zero, sparse reads, all xattrs, omap header and clear', async () => {
    await io.create('obj-e', { exclusive: true });
    await expect(io.create('obj-e', { exclusive: true })).rejects.toMatchObject({ errno: 17 });
    await io.create('obj-e');
    await io.writeFull('obj-t', payload(10_000, 3));
    await io.truncate('obj-t', 4000);
    expect(radosCli(['stat', 'obj-t']).toString()).toContain('size 4000');
    await io.zero('obj-t', 1000, 500);
    const got = await io.read('obj-t', 4000);
    expect(got.subarray(1000, 1500).every((b) => b === 0)).toBe(true);
    expect(got.subarray(0, 1000)).toEqual(payload(10_000, 3).subarray(0, 1000));
    const sparse = await io.sparseRead('obj-t', 0, 4000);
    expect(sparse.extents.reduce((n, [, l]) => n + l, 0)).toBe(sparse.data.length);
    radosCli(['setxattr', 'obj-t', 'a', '1']);
    radosCli(['setxattr', 'obj-t', 'b', '22']);
    const xs = await io.getXattrs('obj-t');
    expect([...xs.keys()].filter((k) => k === 'a' || k === 'b')).toEqual(['a', 'b']);
    expect(radosCli(['listxattr', 'obj-t']).toString().trim().split('\n').sort()).toEqual([...xs.keys()].sort());
    await io.setOmapHeader('obj-t', 'the header');
    expect(radosCli(['getomapheader', 'obj-t', '-']).toString()).toContain('the header');
    expect(new TextDecoder().decode(await io.getOmapHeader('obj-t'))).toBe('the header');
    await io.setOmap('obj-t', { x: '1', y: '2', z: '3' });
    expect([...(await io.getOmapValsByKeys('obj-t', ['z', 'x', 'nope'])).keys()]).toEqual(['x', 'z']);
    await io.clearOmap('obj-t');
    expect(radosCli(['listomapkeys', 'obj-t']).toString().trim()).toBe('');
  });

  it('compound ops apply all steps or none', async () => {
    const op = new WriteOp().create(false).writeFull('compound').setXattr('k', 'v').setOmap({ a: '1' });
    await io.operateWriteOp(op, 'obj-w');
    expect(radosCli(['get', 'obj-w', '-']).toString()).toBe('compound');
    expect(radosCli(['getxattr', 'obj-w', 'k']).toString()).toBe('v');
    // assertExists fails on a missing object, and nothing of the op is applied.
    await expect(io.operateWriteOp(new WriteOp().assertExists().writeFull('nope'), 'obj-missing')).rejects.toMatchObject({ errno: 2 });
    expect(() => radosCli(['stat', 'obj-missing'])).toThrow();
    const [data, st, x, omap] = await io.operateReadOp(new ReadOp().read(0, 100).stat().getXattr('k').getOmapVals(), 'obj-w');
    expect(new TextDecoder().decode(data as Uint8Array)).toBe('compound');
    expect(st).toMatchObject({ size: 8 });
    expect(new TextDecoder().decode(x as Uint8Array)).toBe('v');
    expect([...(omap as { entries: Map<string, Uint8Array> }).entries.keys()]).toEqual(['a']);
  });

  it('pool snapshots: create, list (= rados lssnap), read at, rollback, remove', async () => {
    await io.writeFull('snapobj', 'version 1');
    await io.createSnap('s1');
    expect(radosCli(['lssnap']).toString()).toContain('s1');
    await io.writeFull('snapobj', 'version 2');
    const s1 = io.lookupSnap('s1');
    io.setReadSnap(s1);
    expect(new TextDecoder().decode(await io.read('snapobj'))).toBe('version 1');
    io.setReadSnap(undefined);
    expect(new TextDecoder().decode(await io.read('snapobj'))).toBe('version 2');
    const snapFile = join(cluster.dir, 'snap-get');
    radosCli(['-s', 's1', 'get', 'snapobj', snapFile]);
    expect(readFileSync(snapFile, 'utf8')).toBe('version 1');
    await io.rollback('snapobj', 's1');
    expect(radosCli(['get', 'snapobj', '-']).toString()).toBe('version 1');
    radosCli(['mksnap', 's2']);
    await rados.waitForLatestOsdMap();
    expect(io.listSnaps().map((s) => s.name)).toEqual(['s1', 's2']);
    await io.removeSnap('s1');
    expect(radosCli(['lssnap']).toString()).not.toContain('s1');
    await expect(io.createSnap('s2')).rejects.toMatchObject({ errno: 17 });
  });

  it('self-managed snapshots: a write with a snap context preserves the old data', async () => {
    await rados.createPool('selfsnap', { pgNum: 8 });
    const sio = await rados.openIoCtx('selfsnap');
    await sio.writeFull('obj', 'before');
    const snap = await sio.createSelfManagedSnap();
    expect(snap).toBeGreaterThan(0n);
    sio.setSelfManagedSnapWriteCtx(snap, [snap]);
    await sio.writeFull('obj', 'after');
    sio.setReadSnap(snap);
    expect(new TextDecoder().decode(await sio.read('obj'))).toBe('before');
    sio.setReadSnap(undefined);
    expect(new TextDecoder().decode(await sio.read('obj'))).toBe('after');
    await sio.rollbackSelfManagedSnap('obj', snap);
    expect(new TextDecoder().decode(await sio.read('obj'))).toBe('before');
    await sio.removeSelfManagedSnap(snap);
  });

  it('advisory locks through cls_lock, checked with `rados lock`', async () => {
    await io.writeFull('locked', 'x');
    await io.lockExclusive('locked', 'L1', 'cookie-1', { description: 'ours' });
    const info = JSON.parse(radosCli(['lock', 'info', 'locked', 'L1', '--format', 'json']).toString()) as {
      type: string;
      lockers: Array<{ name: string; cookie: string; description: string }>;
    };
    expect(info.type).toBe('exclusive');
    expect(info.lockers.map((l) => [l.name, l.cookie, l.description])).toEqual([[`client.${rados.instanceId}`, 'cookie-1', 'ours']]);
    // Someone else cannot take it…
    expect(() => radosCli(['lock', 'get', 'locked', 'L1', '--lock-cookie', 'other'])).toThrow();
    await expect(io.lockExclusive('locked', 'L1', 'cookie-2')).rejects.toMatchObject({ errno: 16 }); // EBUSY
    // …until it is released.
    await io.unlock('locked', 'L1', 'cookie-1');
    radosCli(['lock', 'get', 'locked', 'L1', '--lock-cookie', 'theirs', '--lock-tag', 't']);
    const theirs = await io.listLockers('locked', 'L1');
    expect(theirs.exclusive).toBe(true);
    expect(theirs.lockers).toHaveLength(1);
    expect(await io.listLocks('locked')).toEqual(['L1']);
    await io.breakLock('locked', 'L1', theirs.lockers[0]!.client, 'theirs');
    expect((await io.listLockers('locked', 'L1')).lockers).toHaveLength(0);
    await io.lockShared('locked', 'S', 'a', 'tag1', { durationSec: 30 });
    await io.lockShared('locked', 'S', 'b', 'tag1');
    expect((await io.listLockers('locked', 'S')).lockers.map((l) => l.cookie).sort()).toEqual(['a', 'b']);
  });

  it('watch/notify both ways with librados watchers and notifiers', async () => {
    await io.writeFull('wobj', 'w');
    const got: string[] = [];
    const handle = await io.watch('wobj', (_id, _gid, payload) => {
      got.push(new TextDecoder().decode(payload));
      return new TextEncoder().encode('pong');
    });
    expect(radosCli(['listwatchers', 'wobj']).toString()).toContain(`client.${rados.instanceId}`);
    // librados notifies, we receive (and our ack lets `rados notify` return).
    // (asynchronously: a blocking exec would stop our event loop from answering the notify)
    await promisify(execFile)('rados', ['-c', cluster.confPath, '-p', POOL, 'notify', 'wobj', 'hello-from-librados'], { timeout: 30_000 });
    // (`rados notify` sends its message encoded as a string: le32 length + bytes)
    expect(got.some((g) => g.endsWith('hello-from-librados'))).toBe(true);
    // A librados watcher and ours both answer our notify.
    const child = spawn('rados', ['-c', cluster.confPath, '-p', POOL, 'watch', 'wobj'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      for (let i = 0; i < 50 && (await io.listWatchers('wobj')).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      const watchers = await io.listWatchers('wobj');
      expect(watchers.map((w) => w.client)).toContain(`client.${rados.instanceId}`);
      expect(watchers).toHaveLength(2);
      const result = await io.notify('wobj', 'hello-from-rados-ts', { timeoutMs: 10_000 });
      expect(result.acks).toHaveLength(2);
      expect(result.timeouts).toHaveLength(0);
      expect(result.acks.map((a) => new TextDecoder().decode(a.reply))).toContain('pong');
      expect(got).toContain('hello-from-rados-ts');
    } finally {
      child.kill('SIGKILL');
    }
    await handle.close();
    expect(radosCli(['listwatchers', 'wobj']).toString()).not.toContain(`client.${rados.instanceId}`);
  }, 60_000);

  it('compareHObject sorts a one-PG pool as the OSD lists it (`rados ls --all`): namespaces and locator keys', async () => {
    // One PG: the OSD lists it in hobject_t order (its collection order), the oracle for the
    // comparison our backoff ranges use (src/osd/backoffs.ts).
    await rados.createPool('order', { pgNum: 1 });
    const o = await rados.openIoCtx('order');
    for (let i = 0; i < 24; i++) {
      o.setNamespace(['', 'ns-a', 'ns-b'][i % 3]!);
      o.setLocatorKey(i % 4 === 0 ? `key-${i % 8}` : '');
      await o.writeFull(`ord-${i}`, 'x');
    }
    const pool = rados.osdMap.pools.get(o.poolId)!;
    const listed = execFileSync('rados', ['-c', cluster.confPath, '-p', 'order', 'ls', '--all', '--format', 'json'], { timeout: 60_000 }).toString();
    const objects = (JSON.parse(listed) as Array<{ namespace: string; name: string; locator: string }>).map((e): HObject => ({
      pool: BigInt(o.poolId),
      hash: hashKey(pool, e.locator || e.name, e.namespace),
      nspace: e.namespace,
      key: e.locator,
      oid: e.name,
      snap: CEPH_NOSNAP,
      max: false,
    }));
    expect(objects).toHaveLength(24);
    expect(objects.some((h) => h.key !== '')).toBe(true);
    expect([...objects].sort(compareHObject).map(formatHObject)).toEqual(objects.map(formatHObject));
  });

  it('class calls (cls_hello) and errors carry errno', async () => {
    await io.writeFull('obj-c', 'c');
    expect(new TextDecoder().decode(await io.exec('obj-c', 'hello', 'say_hello', 'rados-ts'))).toBe('Hello, rados-ts!');
    await expect(io.exec('obj-c', 'no_such_class', 'x')).rejects.toBeInstanceOf(RadosError);
    await io.remove('obj-c');
    await expect(io.stat('obj-c')).rejects.toMatchObject({ name: 'ObjectNotFound', errno: 2, code: 'ENOENT' });
    expect(() => radosCli(['stat', 'obj-c'])).toThrow();
    await expect(io.writeFull('', 'x')).rejects.toMatchObject({ errno: 22 });
  });
});
