// Pool administration beside librados' and librbd's own Python bindings on one cluster:
// getLastVersion (and WriteOp.assertVersion fed by it), pool application tags and their
// metadata, and RBD.poolInit — each done by us and seen by them, done by them and seen by us,
// with the same errno where both refuse.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeStatfsReply, encodeStatfs, encodeStatfsReply, MSTATFS } from '../../protocol/messages/statfs.ts';
import { frameToMessage } from '../../protocol/msgr2/message-frame.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { captureToFile } from '../capture/capture.ts';
import { describe, expect, it } from 'vitest';
import { RBD, WriteOp } from '../../src/index.ts';
import { cephJson } from '../cluster/ceph-cli.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { errnoOf, pyEval } from './pybind-eval.ts';

const POOL = 'padmin';
const INIT_OURS = 'padmin-rbd-ours';
const INIT_THEIRS = 'padmin-rbd-theirs';
// A manager, so the monitors' usage totals (MStatfs) are real numbers, not a digest of zeros.
const env = usePoolCluster([POOL, INIT_OURS, INIT_THEIRS], { mgr: true });

describe('getLastVersion', () => {
  it('is the version librados reports for the same object, after our writes and after theirs', async () => {
    const { cluster, io } = env;
    for (let i = 0; i < 3; i++) await io.writeFull('lv', `ours ${i}`);
    const ours = io.getLastVersion();
    expect(ours).toBeGreaterThan(0n);
    const seen = pyEval<number>(cluster, POOL, "io.read('lv')\nresult = io.get_last_version()");
    expect(BigInt(seen.result!)).toBe(ours);
    // They write twice; our next read of the object reports their version.
    const theirs = pyEval<number>(cluster, POOL, "io.write_full('lv', b'theirs 1')\nio.write_full('lv', b'theirs 2')\nresult = io.get_last_version()");
    await io.stat('lv');
    expect(io.getLastVersion()).toBe(BigInt(theirs.result!));
    // An error reply sets it too (librados' set_sync_op_version runs whatever the result).
    const afterMissing = pyEval<number>(cluster, POOL, "try:\n  io.stat('lv-missing')\nexcept rados.ObjectNotFound:\n  pass\nresult = io.get_last_version()");
    await expect(io.stat('lv-missing')).rejects.toMatchObject({ errno: 2 });
    expect(io.getLastVersion()).toBe(BigInt(afterMissing.result!));
  });

  it('feeds WriteOp.assertVersion: the current version passes, a stale one fails with librados’ errno', async () => {
    const { cluster, io } = env;
    await io.writeFull('av', 'one');
    const v = io.getLastVersion();
    await io.operateWriteOp(new WriteOp().assertVersion(v).writeFull(new TextEncoder().encode('two')), 'av');
    expect(new TextDecoder().decode(await io.read('av'))).toBe('two');
    const ours = await errnoOf(io.operateWriteOp(new WriteOp().assertVersion(v).writeFull(new TextEncoder().encode('three')), 'av'));
    const theirs = pyEval(cluster, POOL, `with rados.WriteOpCtx() as op:\n  op.assert_version(${v})\n  op.write_full(b'three')\n  io.operate_write_op(op, 'av')`);
    expect(theirs.errno).toBeGreaterThan(0);
    expect(ours).toBe(theirs.errno);
    expect(new TextDecoder().decode(await io.read('av'))).toBe('two');
  });
});

describe('pool applications', () => {
  it('enable, metadata set/get/list/remove: ours seen by librados and `ceph osd pool application get`, theirs seen by us', async () => {
    const { cluster, rados, io } = env;
    await io.applicationEnable('app1');
    expect(pyEval<string[]>(cluster, POOL, 'result = io.application_list()').result).toEqual(['app1']);
    await io.applicationMetadataSet('app1', 'k1', 'v1');
    expect(pyEval<Array<[string, string]>>(cluster, POOL, "result = io.application_metadata_list('app1')").result).toEqual([['k1', 'v1']]);
    expect(cephJson<Record<string, Record<string, string>>>(cluster, ['osd', 'pool', 'application', 'get', POOL, '--format', 'json'])).toEqual({ app1: { k1: 'v1' } });
    // Theirs, seen by us once we hold the map that carries it.
    pyEval(cluster, POOL, "io.application_metadata_set('app1', 'k2', 'v2')");
    await rados.waitForLatestOsdMap();
    expect(io.applicationMetadataGet('app1', 'k2')).toBe('v2');
    expect(io.applicationMetadataList('app1')).toEqual([
      ['k1', 'v1'],
      ['k2', 'v2'],
    ]);
    await io.applicationMetadataRemove('app1', 'k2');
    expect(pyEval<Array<[string, string]>>(cluster, POOL, "result = io.application_metadata_list('app1')").result).toEqual([['k1', 'v1']]);
    // Refusals, errno for errno: a missing key, an application not enabled, a second application without force.
    const cases: Array<[string, () => unknown, string]> = [
      ['missing key', () => io.applicationMetadataGet('app1', 'nope'), "result = io.application_metadata_get('app1', 'nope')"],
      ['missing application', () => io.applicationMetadataList('app9'), "result = io.application_metadata_list('app9')"],
      ['set on a missing application', () => io.applicationMetadataSet('app9', 'k', 'v'), "io.application_metadata_set('app9', 'k', 'v')"],
      ['second application, no force', () => io.applicationEnable('app2'), "io.application_enable('app2')"],
    ];
    for (const [what, ours, theirs] of cases) {
      const py = pyEval(cluster, POOL, theirs);
      // rados.pyx raises KeyError where rados_application_metadata_get returned -ENOENT.
      const errno = py.raised === 'KeyError' ? 2 : py.errno;
      expect(errno, `${what}: librados did not refuse`).toBeGreaterThan(0);
      expect(await errnoOf(Promise.resolve().then(ours)), what).toBe(errno);
    }
    // With force, both take a second application.
    await io.applicationEnable('app2', true);
    pyEval(cluster, POOL, "io.application_enable('app3', True)");
    await rados.waitForLatestOsdMap();
    expect(io.applicationList().sort()).toEqual(['app1', 'app2', 'app3']);
  });
});

describe('RBD.poolInit', () => {
  it('leaves a pool as librbd’s pool_init does: the rbd application, rbd_info validated; refused alike on a pool of another application', async () => {
    const { cluster, rados } = env;
    const ours = await rados.openIoCtx(INIT_OURS);
    await RBD.poolInit(ours);
    pyEval(cluster, INIT_THEIRS, 'rbd.RBD().pool_init(io, False)');
    const appsOf = (pool: string): unknown => cephJson(cluster, ['osd', 'pool', 'application', 'get', pool, '--format', 'json']);
    expect(appsOf(INIT_OURS)).toEqual(appsOf(INIT_THEIRS));
    expect(appsOf(INIT_OURS)).toEqual({ rbd: {} });
    const info = (pool: string): string => execFileSync('rados', ['-c', cluster.confPath, '-p', pool, 'get', 'rbd_info', '-'], { encoding: 'latin1' });
    expect(info(INIT_OURS)).toBe(info(INIT_THEIRS));
    // Again is fine for both.
    await RBD.poolInit(ours);
    expect(pyEval(cluster, INIT_THEIRS, 'rbd.RBD().pool_init(io, False)').raised).toBeUndefined();
    // A pool tagged for another application (POOL has app1..3): both refuse without force.
    const py = pyEval(cluster, POOL, 'rbd.RBD().pool_init(io, False)');
    expect(py.errno).toBeGreaterThan(0);
    expect(await errnoOf(RBD.poolInit(env.io))).toBe(py.errno);
  });
});

describe('getClusterStats', () => {
  it('sends MStatfs byte for byte as librados, reads its reply, and gives the totals Python get_cluster_stats gives', async () => {
    const { cluster, rados } = env;
    const file = join(cluster.dir, 'statfs.pcap');
    const monPort = /v2:[^:]+:(\d+)/.exec(cluster.monAddrs[0]!)![1]!;
    let py: Record<string, number> | undefined;
    await captureToFile(file, `tcp port ${monPort}`, () => {
      py = pyEval<Record<string, number>>(cluster, POOL, 'result = cluster.get_cluster_stats()').result;
    });
    const trace = await decodeCapture(readFileSync(file), { keyring: parseKeyring(readFileSync(cluster.keyringPath, 'utf8')) });
    const messages = trace.sessions.flatMap((s) => s.frames.filter((f) => f.tag === Tag.MESSAGE).map((f) => frameToMessage(f)));
    const request = messages.find((m) => m.header.type === MsgType.STATFS);
    const reply = messages.find((m) => m.header.type === MsgType.STATFS_REPLY);
    expect(request, 'librados sent no MStatfs (was its mon session decrypted?)').toBeDefined();
    expect(reply).toBeDefined();
    expect(request!.header.version).toBe(MSTATFS.version);
    expect(request!.header.compatVersion).toBe(MSTATFS.compatVersion);
    expect(encodeStatfs({ fsid: rados.fsid, dataPool: undefined })).toEqual(request!.front);
    expect(reply!.header.tid).toBe(request!.header.tid);
    const theirs = decodeStatfsReply(reply!.front);
    expect(encodeStatfsReply(theirs)).toEqual(reply!.front);
    expect(theirs.fsid).toBe(rados.fsid);
    const asPython = (s: typeof theirs.stats): Record<string, number> => ({
      kb: Number(s.kb),
      kb_used: Number(s.kbUsed),
      kb_avail: Number(s.kbAvail),
      num_objects: Number(s.numObjects),
    });
    expect(asPython(theirs.stats)).toEqual(py);
    expect(theirs.stats.kb).toBeGreaterThan(0n);
    // Ours against theirs: the totals move as the manager reports (every few seconds), so ours
    // must equal what librados read just before or just after it.
    let same = false;
    for (let i = 0; i < 5 && !same; i++) {
      const before = pyEval<Record<string, number>>(cluster, POOL, 'result = cluster.get_cluster_stats()').result;
      const ours = asPython(await rados.getClusterStats());
      const after = pyEval<Record<string, number>>(cluster, POOL, 'result = cluster.get_cluster_stats()').result;
      same = JSON.stringify(ours) === JSON.stringify(before) || JSON.stringify(ours) === JSON.stringify(after);
    }
    expect(same).toBe(true);
  });
});
