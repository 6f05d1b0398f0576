// cls_rbd descriptors: each input read back field by field in the layout librbd's
// src/cls/rbd/cls_rbd_client.cc encodes, and each output built in the layout
// src/cls/rbd/cls_rbd.cc returns, then decoded; then against the calls librbd made for the `rbd`
// CLI and the OSD's replies (fixtures/ops/rbd-*, see its README), with the values `rbd` printed.
import { beforeAll, describe, expect, it } from 'vitest';
import { type CapturedCall, capturedCalls, capturedOutput } from '../../test/capture/osd-ops.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import type { ClsMethod } from './cls-method.ts';
import * as rbd from './cls-rbd.ts';

/** Reads `b` with `body` and checks nothing is left over. */
const read = <T>(b: Uint8Array, body: (r: Reader) => T): T => {
  const r = new Reader(b);
  const out = body(r);
  r.expectEnd('input');
  return out;
};
const none = new Uint8Array(0);
const parent: rbd.ParentImageSpec = { poolId: 3, poolNamespace: 'ns', imageId: 'abc123', snapId: 7n };
const child: rbd.ChildImageSpec = { poolId: 4, poolNamespace: 'cns', imageId: 'def456' };

describe('cls_rbd method descriptors: names and access', () => {
  const all: Record<string, unknown> = { ...rbd };
  const methods = Object.values(all).filter((m): m is ClsMethod<unknown, unknown> => typeof m === 'object' && m !== null && 'method' in m);

  it('every descriptor is on class rbd, each method named once', () => {
    expect(methods.length).toBeGreaterThan(40);
    expect(new Set(methods.map((m) => m.cls))).toEqual(new Set(['rbd']));
    expect(new Set(methods.map((m) => m.method)).size).toBe(methods.length);
  });

  it('getters are reads, setters writes (cls_rbd.cc CLS_METHOD_RD / RD|WR)', () => {
    const reads = methods
      .filter((m) => m.access === 'read')
      .map((m) => m.method)
      .sort();
    expect(reads).toEqual(
      [
        'children_list',
        'dir_get_id',
        'dir_get_name',
        'dir_list',
        'get_access_timestamp',
        'get_children',
        'get_create_timestamp',
        'get_data_pool',
        'get_features',
        'get_flags',
        'get_id',
        'get_modify_timestamp',
        'get_object_prefix',
        'get_protection_status',
        'get_size',
        'get_snapcontext',
        'get_stripe_unit_count',
        'metadata_get',
        'metadata_list',
        'op_features_get',
        'parent_get',
        'parent_overlap_get',
        'snapshot_get',
        'snapshot_get_limit',
      ].sort(),
    );
  });
});

describe('cls_rbd inputs', () => {
  it('methods without input send nothing', () => {
    for (const m of [
      rbd.getId,
      rbd.getSnapContext,
      rbd.getObjectPrefix,
      rbd.getStripeUnitCount,
      rbd.getDataPool,
      rbd.opFeaturesGet,
      rbd.getCreateTimestamp,
      rbd.parentGet,
      rbd.parentDetach,
    ]) {
      expect(m.encode(undefined), m.method).toEqual(none);
    }
  });

  it('snap-id inputs: one le64', () => {
    for (const m of [rbd.getSize, rbd.getFlags, rbd.snapshotGet, rbd.snapshotRemove, rbd.snapshotTrashAdd, rbd.getProtectionStatus, rbd.parentOverlapGet, rbd.childrenList]) {
      expect(
        read(m.encode(rbd.HEAD), (r) => r.u64()),
        m.method,
      ).toBe(rbd.HEAD);
    }
  });

  it('string inputs: set_id, dir_get_name, dir_get_id, metadata_get, metadata_remove', () => {
    for (const m of [rbd.setId, rbd.dirGetName, rbd.dirGetId, rbd.metadataGet, rbd.metadataRemove])
      expect(
        read(m.encode('x.y'), (r) => r.string()),
        m.method,
      ).toBe('x.y');
  });

  it('directory: add/remove (name, id), rename (src, dest, id), list (start after, le64 max)', () => {
    expect(read(rbd.dirAddImage.encode({ name: 'img', id: 'id1' }), (r) => [r.string(), r.string()])).toEqual(['img', 'id1']);
    expect(read(rbd.dirRemoveImage.encode({ name: 'img', id: 'id1' }), (r) => [r.string(), r.string()])).toEqual(['img', 'id1']);
    expect(read(rbd.dirRenameImage.encode({ src: 'a', dest: 'b', id: 'id1' }), (r) => [r.string(), r.string(), r.string()])).toEqual(['a', 'b', 'id1']);
    expect(read(rbd.dirList.encode({ startAfter: 'a', max: 1024 }), (r) => [r.string(), r.u64()])).toEqual(['a', 1024n]);
  });

  it('create: le64 size, u8 order, le64 features, object prefix, s64 data pool', () => {
    const c = { size: 1n << 30n, order: 22, features: 61n, objectPrefix: 'rbd_data.abc', dataPoolId: -1n };
    expect(read(rbd.create.encode(c), (r) => ({ size: r.u64(), order: r.u8(), features: r.u64(), objectPrefix: r.string(), dataPoolId: r.i64() }))).toEqual(c);
  });

  it('get_features (le64 NOSNAP, bool read_only), set_size, set_stripe_unit_count, op_features_set', () => {
    expect(read(rbd.getFeatures.encode(true), (r) => [r.u64(), r.bool()])).toEqual([rbd.HEAD, true]);
    expect(read(rbd.setSize.encode(4096n), (r) => r.u64())).toBe(4096n);
    expect(read(rbd.setStripeUnitCount.encode({ stripeUnit: 65536n, stripeCount: 4n }), (r) => [r.u64(), r.u64()])).toEqual([65536n, 4n]);
    expect(read(rbd.opFeaturesSet.encode({ features: 1n, mask: 3n }), (r) => [r.u64(), r.u64()])).toEqual([1n, 3n]);
  });

  it('snapshots: add (name, le64 id, user SnapshotNamespace), rename (id, name), set_protection_status (id, u8)', () => {
    const add = read(rbd.snapshotAdd.encode({ snapId: 9n, name: 's1' }), (r) => ({ name: r.string(), id: r.u64(), ns: r.struct('ns', 1, (r) => r.u32()) }));
    expect(add).toEqual({ name: 's1', id: 9n, ns: rbd.SnapNamespaceType.USER });
    expect(read(rbd.snapshotRename.encode({ snapId: 9n, name: 's2' }), (r) => [r.u64(), r.string()])).toEqual([9n, 's2']);
    expect(read(rbd.setProtectionStatus.encode({ snapId: 9n, status: rbd.Protection.UNPROTECTING }), (r) => [r.u64(), r.u8()])).toEqual([9n, rbd.Protection.UNPROTECTING]);
  });

  it('metadata: set (map<string, bufferlist>, sorted), list (start after, le64 max)', () => {
    const m = new Map([
      ['conf_b', new Uint8Array([2])],
      ['conf_a', new Uint8Array([1, 1])],
    ]);
    const back = read(rbd.metadataSet.encode(m), (r) =>
      r.map(
        'm',
        (r) => r.string(),
        (r) => r.blob().slice(),
      ),
    );
    expect([...back.keys()]).toEqual(['conf_a', 'conf_b']);
    expect(back.get('conf_a')).toEqual(new Uint8Array([1, 1]));
    expect(read(rbd.metadataList.encode({ startAfter: 'k', max: 512 }), (r) => [r.string(), r.u64()])).toEqual(['k', 512n]);
  });

  it('parent_attach: ParentImageSpec v1, le64 overlap, bool reattach=false', () => {
    const back = read(rbd.parentAttach.encode({ parent, overlap: 1000n }), (r) => ({
      spec: r.struct('spec', 1, (r) => ({ poolId: Number(r.i64()), poolNamespace: r.string(), imageId: r.string(), snapId: r.u64() })),
      overlap: r.u64(),
      reattach: r.bool(),
    }));
    expect(back).toEqual({ spec: parent, overlap: 1000n, reattach: false });
  });

  it('clone v1 rbd_children: add/remove_child (s64 pool, parent id, le64 snap, child id), get_children without the child', () => {
    for (const m of [rbd.addChild, rbd.removeChild]) {
      expect(
        read(m.encode({ parent, childId: 'kid' }), (r) => [r.i64(), r.string(), r.u64(), r.string()]),
        m.method,
      ).toEqual([3n, 'abc123', 7n, 'kid']);
    }
    expect(read(rbd.getChildren.encode(parent), (r) => [r.i64(), r.string(), r.u64()])).toEqual([3n, 'abc123', 7n]);
  });

  it('child_attach / child_detach: le64 snap, ChildImageSpec v2 (pool, image id, namespace)', () => {
    for (const m of [rbd.childAttach, rbd.childDetach]) {
      const back = read(m.encode({ snapId: 7n, child }), (r) => ({
        snap: r.u64(),
        c: r.struct('c', 2, (r, v) => ({ v, poolId: Number(r.i64()), imageId: r.string(), poolNamespace: r.string() })),
      }));
      expect(back, m.method).toEqual({ snap: 7n, c: { v: 2, ...child } });
    }
  });

  it('copyup: the parent bytes as they are', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(rbd.copyup.encode(data)).toEqual(data);
  });
});

describe('cls_rbd outputs', () => {
  it('get_id, get_object_prefix, dir_get_name, dir_get_id, metadata_get: one string', () => {
    const b = new Writer().string('rbd_data.1234').finish();
    for (const m of [rbd.getId, rbd.getObjectPrefix, rbd.dirGetName, rbd.dirGetId, rbd.metadataGet]) expect(m.decode(b), m.method).toBe('rbd_data.1234');
  });

  it('get_size (u8 order, le64 size), get_features (features, incompatible), get_stripe_unit_count', () => {
    expect(
      rbd.getSize.decode(
        new Writer()
          .u8(22)
          .u64(1n << 30n)
          .finish(),
      ),
    ).toEqual({ order: 22, size: 1n << 30n });
    expect(rbd.getFeatures.decode(new Writer().u64(61n).u64(1n).finish())).toEqual({ features: 61n, incompatible: 1n });
    expect(rbd.getStripeUnitCount.decode(new Writer().u64(65536n).u64(4n).finish())).toEqual({ stripeUnit: 65536n, stripeCount: 4n });
  });

  it('le64 outputs: get_flags, op_features_get; s64 get_data_pool', () => {
    expect(rbd.getFlags.decode(new Writer().u64(3n).finish())).toBe(3n);
    expect(rbd.opFeaturesGet.decode(new Writer().u64(1n).finish())).toBe(1n);
    expect(rbd.getDataPool.decode(new Writer().i64(-1n).finish())).toBe(-1n);
  });

  it('get_snapcontext: le64 seq, vector<le64> snaps', () => {
    expect(rbd.getSnapContext.decode(new Writer().u64(9n).u32(2).u64(9n).u64(4n).finish())).toEqual({ seq: 9n, snaps: [9n, 4n] });
  });

  it('timestamps: utime_t', () => {
    const b = new Writer().u32(1700000000).u32(500).finish();
    for (const m of [rbd.getCreateTimestamp, rbd.getAccessTimestamp, rbd.getModifyTimestamp]) expect(m.decode(b), m.method).toEqual({ sec: 1700000000, nsec: 500 });
  });

  it('snapshot_get: SnapshotInfo, user and trash namespaces', () => {
    const info = (ns: (w: Writer) => void): Uint8Array =>
      new Writer()
        .struct(1, 1, (w) => {
          w.u64(5n)
            .struct(1, 1, ns)
            .string('s1')
            .u64(1n << 20n)
            .u32(10)
            .u32(20)
            .u32(2);
        })
        .finish();
    expect(rbd.snapshotGet.decode(info((w) => w.u32(rbd.SnapNamespaceType.USER)))).toEqual({
      id: 5n,
      namespaceType: 0,
      name: 's1',
      imageSize: 1n << 20n,
      timestamp: { sec: 10, nsec: 20 },
      childCount: 2,
    });
    const trash = rbd.snapshotGet.decode(info((w) => w.u32(rbd.SnapNamespaceType.TRASH).string('old').u32(rbd.SnapNamespaceType.USER)));
    expect(trash).toMatchObject({ namespaceType: rbd.SnapNamespaceType.TRASH, trashOriginalName: 'old', trashOriginalNamespaceType: 0 });
  });

  it('get_protection_status: u8', () => {
    expect(rbd.getProtectionStatus.decode(new Uint8Array([rbd.Protection.PROTECTED]))).toBe(rbd.Protection.PROTECTED);
  });

  it('dir_list and metadata_list: maps', () => {
    expect(rbd.dirList.decode(new Writer().u32(1).string('img').string('id1').finish())).toEqual(new Map([['img', 'id1']]));
    expect(
      rbd.metadataList.decode(
        new Writer()
          .u32(1)
          .string('k')
          .blob(new Uint8Array([9]))
          .finish(),
      ),
    ).toEqual(new Map([['k', new Uint8Array([9])]]));
  });

  it('parent_get: ParentImageSpec; parent_overlap_get: optional le64', () => {
    const spec = new Writer().struct(1, 1, (w) => w.i64(3n).string('ns').string('abc123').u64(7n)).finish();
    expect(rbd.parentGet.decode(spec)).toEqual(parent);
    expect(rbd.parentOverlapGet.decode(new Writer().bool(true).u64(1000n).finish())).toBe(1000n);
    expect(rbd.parentOverlapGet.decode(new Writer().bool(false).finish())).toBeUndefined();
  });

  it('get_children: set<string>; children_list: ChildImageSpec v1 and v2', () => {
    expect(rbd.getChildren.decode(new Writer().u32(2).string('a').string('b').finish())).toEqual(['a', 'b']);
    const list = new Writer()
      .u32(2)
      .struct(2, 1, (w) => w.i64(4n).string('def456').string('cns'))
      .struct(1, 1, (w) => w.i64(5n).string('old'))
      .finish();
    expect(rbd.childrenList.decode(list)).toEqual([child, { poolId: 5, imageId: 'old', poolNamespace: '' }]);
  });

  it('writers return nothing', () => {
    const writers: Array<ClsMethod<unknown, unknown>> = [rbd.setId, rbd.create, rbd.setSize, rbd.snapshotAdd, rbd.parentAttach, rbd.childAttach, rbd.copyup];
    for (const m of writers) expect(m.decode(none), m.method).toBeUndefined();
  });
});

describe('cls_rbd against librbd (fixtures/ops: rbd create, info, snap create, snap ls, image-meta, ls)', () => {
  const sessions: Record<string, CapturedCall[]> = {};
  /** What `rbd info --format json` and `rbd snap ls --format json` printed. */
  let info: { id: string; size: number; order: number; block_name_prefix: string; features: string[]; create_timestamp: string };
  let snaps: Array<{ id: number; name: string; size: number; timestamp: string }>;
  beforeAll(async () => {
    for (const n of ['rbd-create', 'rbd-info', 'rbd-snap-create', 'rbd-snap-ls', 'rbd-image-meta', 'rbd-ls']) sessions[n] = await capturedCalls(n);
    info = JSON.parse(capturedOutput('rbd-info')) as typeof info;
    snaps = JSON.parse(capturedOutput('rbd-snap-ls')) as typeof snaps;
  });
  /** The calls of `method` in a session (all succeeded unless said otherwise). */
  const calls = (session: string, m: ClsMethod<unknown, unknown>): CapturedCall[] => sessions[session]!.filter((c) => c.cls === m.cls && c.method === m.method);
  const one = (session: string, m: ClsMethod<unknown, unknown>, nth = 0): CapturedCall => {
    const c = calls(session, m)[nth];
    if (!c) throw new Error(`${session}: no ${m.cls}.${m.method} call #${nth}`);
    expect(c.rval, `${m.method} rval`).toBe(0);
    return c;
  };
  /** ctime's "Tue Dec  1 00:57:54 2026", printed in the capture machine's zone (UTC). */
  const ctimeSec = (s: string): number => Date.parse(`${s.replace(/\s+/g, ' ')} UTC`) / 1000;
  const enc = (s: string) => new TextEncoder().encode(s);
  // RBD_FEATURE_LAYERING | RBD_FEATURE_EXCLUSIVE_LOCK (include/rbd/features.h), as `rbd info` names them.
  const FEATURES = 5n;

  it('`rbd info` shows the image this capture made (layering, exclusive-lock)', () => {
    expect(info.features).toEqual(['layering', 'exclusive-lock']);
  });
  it('create: dir_add_image (name, id), set_id (id), create (size, order, features, object prefix, no data pool)', () => {
    expect(rbd.dirAddImage.encode({ name: 'img1', id: info.id })).toEqual(one('rbd-create', rbd.dirAddImage).input);
    expect(rbd.setId.encode(info.id)).toEqual(one('rbd-create', rbd.setId).input);
    const create = one('rbd-create', rbd.create);
    expect(create.oid).toBe(`rbd_header.${info.id}`);
    expect(rbd.create.encode({ size: BigInt(info.size), order: info.order, features: FEATURES, objectPrefix: info.block_name_prefix, dataPoolId: -1n })).toEqual(create.input);
  });
  it('open: get_id, get_size, get_object_prefix, get_features (read-only), get_data_pool, get_flags, get_snapcontext', () => {
    expect(rbd.getId.decode(one('rbd-info', rbd.getId).output)).toBe(info.id);
    const size = one('rbd-info', rbd.getSize);
    expect(rbd.getSize.encode(rbd.HEAD)).toEqual(size.input);
    expect(rbd.getSize.decode(size.output)).toEqual({ order: info.order, size: BigInt(info.size) });
    expect(rbd.getObjectPrefix.decode(one('rbd-info', rbd.getObjectPrefix).output)).toBe(info.block_name_prefix);
    const features = one('rbd-info', rbd.getFeatures);
    expect(rbd.getFeatures.encode(true)).toEqual(features.input);
    // incompatible = features & RBD_FEATURES_INCOMPATIBLE (cls_rbd.cc get_features): layering.
    expect(rbd.getFeatures.decode(features.output)).toEqual({ features: FEATURES, incompatible: 1n });
    expect(rbd.getDataPool.decode(one('rbd-info', rbd.getDataPool).output)).toBe(-1n);
    const flags = one('rbd-info', rbd.getFlags);
    expect(rbd.getFlags.encode(rbd.HEAD)).toEqual(flags.input);
    expect(rbd.getFlags.decode(flags.output)).toBe(0n);
    expect(rbd.getSnapContext.decode(one('rbd-info', rbd.getSnapContext).output)).toEqual({ seq: 0n, snaps: [] });
  });
  it('a writable open asks get_features with read_only false (rbd snap create)', () => {
    expect(calls('rbd-snap-create', rbd.getFeatures).map((c) => c.input)).toContainEqual(rbd.getFeatures.encode(false));
  });
  it('timestamps: utime_t, the second `rbd info` printed', () => {
    const t = rbd.getCreateTimestamp.decode(one('rbd-info', rbd.getCreateTimestamp).output);
    expect(t.sec).toBe(ctimeSec(info.create_timestamp));
    expect(rbd.getModifyTimestamp.decode(one('rbd-info', rbd.getModifyTimestamp).output).sec).toBe(t.sec);
    expect(rbd.getAccessTimestamp.decode(one('rbd-info', rbd.getAccessTimestamp).output).sec).toBe(t.sec);
  });
  it('no parent: parent_get (pool -1), parent_overlap_get (HEAD in, none out)', () => {
    expect(rbd.parentGet.decode(one('rbd-info', rbd.parentGet).output).poolId).toBe(-1);
    const overlap = one('rbd-info', rbd.parentOverlapGet);
    expect(rbd.parentOverlapGet.encode(rbd.HEAD)).toEqual(overlap.input);
    expect(rbd.parentOverlapGet.decode(overlap.output)).toBeUndefined();
  });
  it('snapshot_add: name, the id `rbd snap ls` shows, user namespace', () => {
    const s = snaps[0]!;
    expect(rbd.snapshotAdd.encode({ snapId: BigInt(s.id), name: s.name })).toEqual(one('rbd-snap-create', rbd.snapshotAdd).input);
  });
  it('snap ls: get_snapcontext, snapshot_get, get_protection_status decode to what `rbd snap ls` printed', () => {
    const s = snaps[0]!;
    expect(rbd.getSnapContext.decode(one('rbd-snap-ls', rbd.getSnapContext).output)).toEqual({ seq: BigInt(s.id), snaps: [BigInt(s.id)] });
    const got = one('rbd-snap-ls', rbd.snapshotGet);
    expect(rbd.snapshotGet.encode(BigInt(s.id))).toEqual(got.input);
    const snap = rbd.snapshotGet.decode(got.output);
    expect({ ...snap, timestamp: snap.timestamp.sec }).toEqual({
      id: BigInt(s.id),
      namespaceType: rbd.SnapNamespaceType.USER,
      name: s.name,
      imageSize: BigInt(s.size),
      timestamp: ctimeSec(s.timestamp),
      childCount: 0,
    });
    const prot = one('rbd-snap-ls', rbd.getProtectionStatus);
    expect(rbd.getProtectionStatus.encode(BigInt(s.id))).toEqual(prot.input);
    expect(rbd.getProtectionStatus.decode(prot.output)).toBe(rbd.Protection.UNPROTECTED);
  });
  it('image-meta: metadata_set (map), metadata_list (start after, max) and its reply', () => {
    expect(rbd.metadataSet.encode(new Map([['k1', enc('v1')]]))).toEqual(one('rbd-image-meta', rbd.metadataSet).input);
    // librbd's open reads its conf_ overrides first (start "conf_", max 64); `image-meta list` starts at "".
    const lists = calls('rbd-image-meta', rbd.metadataList);
    expect(lists[0]!.input).toEqual(rbd.metadataList.encode({ startAfter: 'conf_', max: 64 }));
    const fromStart = rbd.metadataList.encode({ startAfter: '', max: 64 }).join();
    const listing = lists.find((c) => c.input.join() === fromStart)!;
    expect(rbd.metadataList.decode(listing.output)).toEqual(new Map([['k1', enc('v1')]]));
    expect(JSON.parse(capturedOutput('rbd-image-meta'))).toEqual({ k1: 'v1' });
  });
  it('rbd ls: dir_list (start after "", max 1024) and its name → id map (img2: fixtures/ops/rbd-object-map)', () => {
    const list = one('rbd-ls', rbd.dirList);
    expect(rbd.dirList.encode({ startAfter: '', max: 1024 })).toEqual(list.input);
    const img2 = (JSON.parse(capturedOutput('rbd-object-map')) as { images: Array<{ id: string }> }).images[0]!.id;
    expect(rbd.dirList.decode(list.output)).toEqual(
      new Map([
        ['img1', info.id],
        ['img2', img2],
      ]),
    );
    expect(JSON.parse(capturedOutput('rbd-ls'))).toEqual(['img1', 'img2']);
  });
});
