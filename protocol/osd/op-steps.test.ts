// Each op step encoder against the step librados itself sent for the same call, and each reply
// decoder against the OSD's reply: fixtures/ops (see its README) holds the OSD sessions of
// test/fixtures/librados-ops.c (librados' C API, one call per MOSDOp) and of `rados` CLI calls.
import { beforeAll, describe, expect, it } from 'vitest';
import { type CapturedOp, type CapturedStep, capturedOps, capturedOutput, capturedServerMessages } from '../../test/capture/osd-ops.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { MsgType } from '../messages/message-types.ts';
import { decodeListWatchers, decodeWatchNotify, readNotifyId, type WatchNotifyMessage, WatchNotifyOp, WatchOp } from '../messages/watch-notify.ts';
import { pglsUnion } from '../messages/osd-op-struct.ts';
import type { HObject } from '../types/hobject.ts';
import { isReadOp, isWriteOp, OsdFlag, OsdOpCode, osdOpName } from '../messages/osd-op-codes.ts';
import { WriteOp } from './compound-op.ts';
import * as step from './op-steps.ts';
import type { OpStep } from './op-steps.ts';

let ops: CapturedOp[];
let header: CapturedOp[];
let watchers: CapturedOp[];
/** librados-ops.c prints the object version it asserts and the pool snapshot it rolls back to. */
let printed: Record<string, bigint>;
beforeAll(async () => {
  ops = await capturedOps('librados-ops');
  header = await capturedOps('rados-omap-header');
  watchers = await capturedOps('rados-listwatchers');
  printed = Object.fromEntries(
    capturedOutput('librados-ops')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([k, v]) => [k!, BigInt(v!)]),
  );
});

/** The captured op whose only step has this code (the nth such op). */
function only(list: CapturedOp[], code: number, nth = 0): CapturedStep {
  const found = list.filter((o) => o.steps.length === 1 && o.steps[0]!.head.op === code)[nth];
  if (!found) throw new Error(`no captured ${osdOpName(code)} op #${nth}`);
  return found.steps[0]!;
}

/** Ours as it goes on the wire: op, flags, the 28 union bytes, payload length, and the input. */
const wire = (s: OpStep) => ({ op: s.op, flags: s.flags ?? 0, union: s.union, payloadLen: s.indata?.length ?? 0, indata: s.indata ?? new Uint8Array(0) });
const theirs = (s: CapturedStep) => ({ ...s.head, indata: s.indata });

describe('op steps re-encode what librados sent (fixtures/ops/librados-ops)', () => {
  const cases: Array<[string, number, () => OpStep, number?]> = [
    ['create(exclusive)', OsdOpCode.CREATE, () => step.createStep(true)],
    ['write_full', OsdOpCode.WRITEFULL, () => step.writeFullStep('hello world')],
    ['write at 3', OsdOpCode.WRITE, () => step.writeStep('XY', 3)],
    ['append', OsdOpCode.APPEND, () => step.appendStep('+tail')],
    ['writesame 8 bytes of "ab" at 16', OsdOpCode.WRITESAME, () => step.writeSameStep('ab', 16, 8)],
    ['truncate to 20', OsdOpCode.TRUNCATE, () => step.truncateStep(20)],
    ['zero [2, 5)', OsdOpCode.ZERO, () => step.zeroStep(2, 3)],
    ['read [0, 8)', OsdOpCode.READ, () => step.readStep(0, 8)],
    ['stat', OsdOpCode.STAT, () => step.statStep()],
    ['cmpext "he" at 0', OsdOpCode.CMPEXT, () => step.cmpextStep('he', 0)],
    ['setxattr', OsdOpCode.SETXATTR, () => step.setXattrStep('user.k', 'v1')],
    ['getxattr', OsdOpCode.GETXATTR, () => step.getXattrStep('user.k')],
    ['getxattrs', OsdOpCode.GETXATTRS, () => step.getXattrsStep()],
    ['cmpxattr eq (string)', OsdOpCode.CMPXATTR, () => step.cmpXattrStep('user.k', 'eq', 'v1')],
    ['rmxattr', OsdOpCode.RMXATTR, () => step.rmXattrStep('user.k')],
    ['omap set (keys sorted)', OsdOpCode.OMAPSETVALS, () => step.setOmapStep({ b: '2', a: '1', c: '3' })],
    ['omap get vals', OsdOpCode.OMAPGETVALS, () => step.getOmapValsStep('', 10, '')],
    ['omap get keys after "a"', OsdOpCode.OMAPGETKEYS, () => step.getOmapKeysStep('a', 5)],
    ['omap get vals by keys', OsdOpCode.OMAPGETVALSBYKEYS, () => step.getOmapValsByKeysStep(['c', 'a'])],
    ['omap cmp eq', OsdOpCode.OMAP_CMP, () => step.omapCmpStep({ a: ['1', 'eq'] })],
    ['omap rm keys', OsdOpCode.OMAPRMKEYS, () => step.removeOmapKeysStep(['b'])],
    ['omap rm range [a, b)', OsdOpCode.OMAPRMKEYRANGE, () => step.removeOmapRangeStep('a', 'b')],
    ['omap clear', OsdOpCode.OMAPCLEAR, () => step.clearOmapStep()],
    ['remove', OsdOpCode.DELETE, () => step.removeStep()],
    ['exec lock.list_locks, no input', OsdOpCode.CALL, () => step.execStep('lock', 'list_locks', '')],
    ['exec lock.unlock with input', OsdOpCode.CALL, () => step.execStep('lock', 'unlock', 'xyz'), 1],
  ];
  for (const [what, code, ours, nth] of cases) it(what, () => expect(wire(ours())).toEqual(theirs(only(ops, code, nth))));

  it('assert_version (the version librados-ops printed)', () => {
    expect(wire(step.assertVersionStep(printed['version']!))).toEqual(theirs(only(ops, OsdOpCode.ASSERT_VER)));
  });
  it('rollback to the pool snapshot librados-ops printed', () => {
    expect(wire(step.rollbackStep(printed['snap']!))).toEqual(theirs(only(ops, OsdOpCode.ROLLBACK)));
  });
  it('a compound op: rmxattr marked failOk, then setxattr (two slices of one data segment)', () => {
    const captured = ops.find((o) => o.steps.length === 2)!;
    expect(new WriteOp().rmXattr('user.none').failOk().setXattr('user.k2', 'v2').steps.map(wire)).toEqual(captured.steps.map(theirs));
  });
  it('omap header set and get (fixtures/ops/rados-omap-header)', () => {
    expect(wire(step.setOmapHeaderStep('header-bytes'))).toEqual(theirs(only(header, OsdOpCode.OMAPSETHEADER)));
    expect(wire(step.getOmapHeaderStep())).toEqual(theirs(only(header, OsdOpCode.OMAPGETHEADER)));
  });
  it('list_watchers (fixtures/ops/rados-listwatchers)', () => {
    expect(wire(step.listWatchersStep())).toEqual(theirs(only(watchers, OsdOpCode.LIST_WATCHERS)));
  });
  it('every step librados sent is one of the cases above', () => {
    const covered = new Set([...ops, ...header, ...watchers].flatMap((o) => o.steps.map((s) => osdOpName(s.head.op))));
    expect([...covered].sort()).not.toContain('???');
  });
});

describe('reply decoders read what the OSD sent', () => {
  it('stat: size and mtime (the object was truncated to 20 bytes)', () => {
    const s = step.decodeStat(only(ops, OsdOpCode.STAT).outdata);
    expect(s.size).toBe(20);
    expect(s.mtime.getFullYear()).toBeGreaterThanOrEqual(2024);
  });
  it('read: the bytes after write_full, write, zero', () => {
    expect(new TextDecoder().decode(only(ops, OsdOpCode.READ).outdata)).toBe('he\0\0\0 wo');
  });
  it('getxattrs and getxattr', () => {
    expect(step.decodeBlobMap(only(ops, OsdOpCode.GETXATTRS).outdata, 'xattrs')).toEqual(new Map([['user.k', new TextEncoder().encode('v1')]]));
    expect(new TextDecoder().decode(only(ops, OsdOpCode.GETXATTR).outdata)).toBe('v1');
  });
  it('omap get vals / keys / vals by keys, with the "more" flag', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(step.decodeOmapVals(only(ops, OsdOpCode.OMAPGETVALS).outdata)).toEqual({
      entries: new Map([
        ['a', enc('1')],
        ['b', enc('2')],
        ['c', enc('3')],
      ]),
      more: false,
    });
    expect(step.decodeOmapKeys(only(ops, OsdOpCode.OMAPGETKEYS).outdata)).toEqual({ keys: ['b', 'c'], more: false });
    expect(step.decodeBlobMap(only(ops, OsdOpCode.OMAPGETVALSBYKEYS).outdata, 'omap')).toEqual(
      new Map([
        ['a', enc('1')],
        ['c', enc('3')],
      ]),
    );
  });
  it('omap header', () => {
    expect(new TextDecoder().decode(only(header, OsdOpCode.OMAPGETHEADER).outdata)).toBe('header-bytes');
  });
  it('list_watchers: none', () => {
    expect(decodeListWatchers(only(watchers, OsdOpCode.LIST_WATCHERS).outdata)).toEqual([]);
  });
  it('cmpext that matched: rval 0, no mismatch offset', () => {
    expect(step.cmpextMismatch(only(ops, OsdOpCode.CMPEXT).rval)).toBeUndefined();
  });
});

describe('op codes (one table) against what librados sent', () => {
  // Comparisons, asserts and class calls go in either kind of librados op (rados_write_op_cmpxattr
  // sends a WRITE); every other code says by its mode bits which kind of op it belongs in.
  const either = new Set<number>([OsdOpCode.CMPXATTR, OsdOpCode.OMAP_CMP, OsdOpCode.CMPEXT, OsdOpCode.ASSERT_VER, OsdOpCode.CALL]);
  it('librados flags an op WRITE exactly when one of its codes has the WR bit, READ otherwise', () => {
    for (const o of [...ops, ...header, ...watchers]) {
      const codes = o.steps.map((s) => s.head.op);
      if (codes.every((c) => either.has(c))) continue;
      const write = codes.some(isWriteOp);
      expect({ codes: codes.map(osdOpName), write: (o.op.flags & OsdFlag.WRITE) !== 0 }).toEqual({ codes: codes.map(osdOpName), write });
      expect((o.op.flags & OsdFlag.READ) !== 0).toBe(!write && codes.some(isReadOp));
    }
  });
  it('CALL has the RD bit but is not a read by itself (rados.h ceph_osd_op_mode_read)', () => {
    expect(isReadOp(OsdOpCode.CALL)).toBe(false);
    expect(isReadOp(OsdOpCode.READ)).toBe(true);
  });
  it('names as ceph_osd_op_name prints them', () => {
    expect([OsdOpCode.OMAPRMKEYRANGE, OsdOpCode.WRITESAME, OsdOpCode.SPARSE_READ, 0x9999].map(osdOpName)).toEqual(['omap-rm-key-range', 'write-same', 'sparse-read', '???']);
  });
});

describe('watch/notify steps re-encode what librbd sent (fixtures/ops/rbd-snap-create)', () => {
  // `rbd snap create` watches the image header, notifies the header update and acks the
  // notifies its own watch receives: every step of its watch, notifies and acks is checked.
  let rbd: CapturedOp[];
  let received: WatchNotifyMessage[];
  beforeAll(async () => {
    rbd = await capturedOps('rbd-snap-create');
    received = (await capturedServerMessages('rbd-snap-create', MsgType.WATCH_NOTIFY)).map((m) => decodeWatchNotify(m.front, m.data));
  });
  const steps = (code: number): CapturedStep[] => rbd.flatMap((o) => o.steps).filter((s) => s.head.op === code);
  const cookieOf = (s: CapturedStep): bigint => new Reader(s.head.union).u64('cookie');

  it('watch, then unwatch, under one cookie (librados sends gen 0, timeout 0)', () => {
    const [watch, unwatch, ...rest] = steps(OsdOpCode.WATCH);
    expect(rest).toEqual([]);
    const cookie = cookieOf(watch!);
    expect(wire(step.watchStep(cookie, WatchOp.WATCH, 0, 0))).toEqual(theirs(watch!));
    expect(wire(step.watchStep(cookie, WatchOp.UNWATCH, 0, 0))).toEqual(theirs(unwatch!));
  });
  it('each notify: its id (readNotifyId) completes under its cookie; its payload is what the watcher got', () => {
    const notifies = steps(OsdOpCode.NOTIFY);
    expect(notifies.length).toBeGreaterThan(1);
    for (const s of notifies) {
      const id = readNotifyId(s.outdata);
      const complete = received.find((m) => m.opcode === WatchNotifyOp.NOTIFY_COMPLETE && m.notifyId === id)!;
      expect(complete.cookie).toBe(cookieOf(s));
      const delivered = received.find((m) => m.opcode === WatchNotifyOp.NOTIFY && m.notifyId === id)!;
      // librbd notifies with a 5 s timeout (ImageWatcher's notify timeout).
      expect(wire(step.notifyStep(complete.cookie, 5, delivered.payload))).toEqual(theirs(s));
    }
  });
  it('each notify_ack: the id and watch cookie of the notify it answers, in arrival order, and the reply', () => {
    const acks = steps(OsdOpCode.NOTIFY_ACK);
    const delivered = received.filter((m) => m.opcode === WatchNotifyOp.NOTIFY);
    expect(acks).toHaveLength(delivered.length);
    acks.forEach((s, i) => {
      const reply = new Reader(s.indata.subarray(16)).blob('reply');
      expect(wire(step.notifyAckStep(delivered[i]!.notifyId, delivered[i]!.cookie, reply))).toEqual(theirs(s));
    });
  });
});

describe('PGNLS (no capture holds a listing: layouts from src/osd/osd_types.h, Objecter::list_nobjects)', () => {
  /** An unnamed hobject_t as hobject_t::encode writes it (v4, compat 3): key, oid, snap, hash, max, nspace, pool. */
  const hobjectBytes = (max: boolean, pool: bigint): Uint8Array => {
    const fields = (w: Writer): void => {
      w.string('').string('').u64(0n).u32(0);
      w.bool(max).string('').i64(pool);
    };
    return new Writer(64).struct(4, 3, fields).finish();
  };
  const start: HObject = { key: '', oid: '', snap: 0n, hash: 0, max: false, nspace: '', pool: -(2n ** 63n) };
  it('the step: pgls union (max entries, start epoch), the cursor hobject_t as input', () => {
    const s = step.pgnlsStep(start, 1024, 17);
    const cursor = hobjectBytes(false, -(2n ** 63n));
    expect(wire(s)).toEqual({ op: OsdOpCode.PGNLS, flags: 0, union: pglsUnion(1024, 17), payloadLen: cursor.length, indata: cursor });
  });
  it('the reply: pg_nls_response_t v1, the next cursor, then nspace/oid/locator per entry', () => {
    const out = new Writer(128)
      .struct(1, 1, (w) => {
        w.bytes(hobjectBytes(true, -1n));
        w.u32(2).string('').string('obj1').string('').string('ns').string('obj2').string('key2');
      })
      .finish();
    const { next, entries } = step.decodePgNlsResponse(out);
    expect(next.max).toBe(true);
    expect(entries).toEqual([
      { namespace: '', name: 'obj1', locator: '' },
      { namespace: 'ns', name: 'obj2', locator: 'key2' },
    ]);
  });
});
