// A CALL op as the trace describes it: Ceph's "call class.method in=Nb" (the op's whole input,
// names included, as OSDOp's operator<< prints it), and for a method we have a codec for its
// decoded input in `input` (the text stays Ceph's), checked against what the client was asked to do (the commands in
// fixtures/ops/README.md and what `rbd snap ls` printed). A bad input is named, never thrown.
import { beforeAll, describe, expect, it } from 'vitest';
import { type CapturedOp, capturedOps, capturedOutput } from '../../test/capture/osd-ops.ts';
import * as rbd from '../cls/cls-rbd.ts';
import { OsdOpCode } from '../messages/osd-op-codes.ts';
import { clsUnion } from '../messages/osd-op-struct.ts';
import { describeOsdOps, type OpDescription } from './describe-osd-op.ts';

/** The ops of every request in a fixture, described from the request's data (its ops' slices in order). */
const describeRequests = (ops: CapturedOp[]): OpDescription[] =>
  ops.flatMap((o) => {
    const data = new Uint8Array(o.steps.reduce((n, s) => n + s.indata.length, 0));
    let at = 0;
    for (const s of o.steps) {
      data.set(s.indata, at);
      at += s.indata.length;
    }
    return describeOsdOps(o.op.ops, data);
  });
const calls = (ds: OpDescription[], method: string): OpDescription[] => ds.filter((d) => d.op === 'call' && d.method === method);

describe('describeOsdOps: calls with their decoded input', () => {
  const described: Record<string, OpDescription[]> = {};
  beforeAll(async () => {
    for (const f of ['rados-lock', 'rbd-snap-create', 'rbd-info', 'librados-ops', 'rbd-object-map']) described[f] = describeRequests(await capturedOps(f));
  });

  it('rados lock get: the lock op as the command gave it (l1, exclusive, cookie c1, tag t1, d1, 60 s)', () => {
    const [d] = calls(described['rados-lock']!, 'lock.lock');
    const input = { name: 'l1', type: 1, cookie: 'c1', tag: 't1', description: 'd1', duration: { sec: 60, nsec: 0 }, flags: 0 };
    expect(d).toEqual({ op: 'call', method: 'lock.lock', payload: 8 + 40, input, text: 'call lock.lock in=48b' });
  });

  it('rbd snap create: snapshot_add with the id and name `rbd snap ls` printed (bigints as decimal strings)', () => {
    const [snap] = JSON.parse(capturedOutput('rbd-snap-ls')) as Array<{ id: number; name: string }>;
    const [d] = calls(described['rbd-snap-create']!, 'rbd.snapshot_add');
    expect(d!.input).toEqual({ snapId: String(snap!.id), name: snap!.name });
    expect(d!.text).toBe(`call rbd.snapshot_add in=${d!.payload}b`);
  });

  it('rbd info: get_size of the head (CEPH_NOSNAP); get_id takes no input and shows none', () => {
    const [size] = calls(described['rbd-info']!, 'rbd.get_size');
    expect(size!.input).toBe(String(rbd.HEAD));
    expect(size!.text).toBe('call rbd.get_size in=19b');
    const [id] = calls(described['rbd-info']!, 'rbd.get_id');
    expect(id).toEqual({ op: 'call', method: 'rbd.get_id', payload: 9, text: 'call rbd.get_id in=9b' });
  });

  it('a method we have no codec for stays as Ceph prints it', () => {
    const [d] = calls(described['rbd-info']!, 'rbd.image_group_get');
    expect(d).toMatchObject({ op: 'call', method: 'rbd.image_group_get' });
    expect(d!.input).toBeUndefined();
    expect(d!.text).toMatch(/^call rbd\.image_group_get in=\d+b$/);
  });

  it('an input that does not decode (librados-ops unlock "xyz", which the class refused) is named, the text as before', () => {
    const [d] = calls(described['librados-ops']!, 'lock.unlock');
    expect(d!.text).toBe('call lock.unlock in=13b');
    expect(d!.input).toBeUndefined();
    expect(d!.inputError).toBe('cls_lock_unlock_op at offset 0: needs 6 bytes, 3 left');
  });

  it("a decoded input is in `input` only, the text stays Ceph's; bytes beyond 32 by length", () => {
    const enc = new TextEncoder();
    const value = new Uint8Array(100).fill(7);
    const indata = rbd.metadataSet.encode(new Map([['conf_rbd_cache', value]]));
    const payload = new Uint8Array([...enc.encode('rbd'), ...enc.encode('metadata_set'), ...indata]);
    const [d] = describeOsdOps([{ op: OsdOpCode.CALL, flags: 0, union: clsUnion(3, 12, indata.length), payloadLen: payload.length }], payload);
    expect(d!.input).toEqual({ conf_rbd_cache: { bytes: 100 } });
    expect(d!.text).toBe(`call rbd.metadata_set in=${payload.length}b`);
  });

  it('an indata shorter than the op says is a decode error, not a throw', () => {
    const enc = new TextEncoder();
    const payload = new Uint8Array([...enc.encode('rbd'), ...enc.encode('get_size'), 1, 2, 3]);
    const [d] = describeOsdOps([{ op: OsdOpCode.CALL, flags: 0, union: clsUnion(3, 8, 8), payloadLen: payload.length }], payload);
    expect(d!.text).toBe('call rbd.get_size in=14b');
    expect(d!.inputError).toBe('snap_id at offset 0: needs 8 bytes, 3 left');
  });
});
