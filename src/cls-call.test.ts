import { describe, expect, it } from 'vitest';
import * as clsLock from '../protocol/cls/cls-lock.ts';
import * as rbd from '../protocol/cls/cls-rbd.ts';
import { utf8Encode } from '../protocol/encoding/utf8.ts';
import { Writer } from '../protocol/encoding/writer.ts';
import { callCls } from './cls-call.ts';
import { ReadOp, WriteOp } from '../protocol/osd/compound-op.ts';
import type { IoCtx } from './ioctx.ts';

/** An IoCtx that records exec calls and answers with `reply`. */
const fakeIo = (reply: Uint8Array): { io: IoCtx; calls: unknown[][] } => {
  const calls: unknown[][] = [];
  const io = {
    exec: (...args: unknown[]) => {
      calls.push(args);
      return Promise.resolve(reply);
    },
  } as unknown as IoCtx;
  return { io, calls };
};

describe('callCls', () => {
  it('sends the descriptor class, method, encoded input and the caller options; decodes the reply', async () => {
    const { io, calls } = fakeIo(new Writer().string('abc123').finish());
    const signal = new AbortController().signal;
    expect(await callCls(io, 'rbd_id.img', rbd.getId, undefined, { signal })).toBe('abc123');
    expect(calls).toEqual([['rbd_id.img', 'rbd', 'get_id', new Uint8Array(0), { signal }]]);
  });

  it('encodes cls_lock inputs with the descriptor', async () => {
    const { io, calls } = fakeIo(new Uint8Array(0));
    await callCls(io, 'rbd_header.x', clsLock.unlock, { name: 'rbd_lock', cookie: 'c' });
    expect(calls[0]!.slice(0, 4)).toEqual(['rbd_header.x', 'lock', 'unlock', clsLock.encodeUnlockOp('rbd_lock', 'c')]);
  });
});

describe('compound ops take descriptors', () => {
  const callData = (cls: string, method: string, input: Uint8Array): Uint8Array => new Uint8Array([...utf8Encode(cls), ...utf8Encode(method), ...input]);

  it('WriteOp.call is execute with the descriptor names and encoder', () => {
    const op = new WriteOp().call(rbd.setId, 'abc');
    expect(op.steps).toEqual(new WriteOp().execute('rbd', 'set_id', rbd.encodeString('abc')).steps);
    expect(op.steps[0]!.indata).toEqual(callData('rbd', 'set_id', rbd.encodeString('abc')));
  });

  it('ReadOp.call keeps the raw output for method.decode', () => {
    const op = new ReadOp().call(rbd.getSize, rbd.HEAD);
    expect(op.steps).toEqual(new ReadOp().execute('rbd', 'get_size', rbd.encodeSnapId(rbd.HEAD)).steps);
    const out = new Writer().u8(22).u64(4096n).finish();
    expect(rbd.getSize.decode(op.decoders[0]!(out) as Uint8Array)).toEqual({ order: 22, size: 4096n });
    // @ts-expect-error a writer cannot go into a read-only op
    new ReadOp().call(rbd.setSize, 1n);
  });
});
