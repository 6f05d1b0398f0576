// The tracker's bookkeeping (which epochs to apply, when to ask for a full map). The codec here
// is a stand-in for the real OSDMap codec, which test/integration/rados-secure-session.test.ts
// checks against `ceph osd getmap`.
import { describe, expect, it } from 'vitest';
import { Writer } from '../../protocol/encoding/writer.ts';
import { encodeUuid } from '../../protocol/types/uuid.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { silentLogger } from '../logger.ts';
import { OsdMapTracker } from './osdmap-tracker.ts';

const FSID = '3f1c0c2a-7d2e-4b4f-9a55-0a1b2c3d4e5f';
const u32 = (n: number): Uint8Array => new Writer(4).u32(n).finish();

function mosdmap(incs: number[], fulls: number[], newest: number): Message {
  const w = new Writer();
  encodeUuid(w, FSID);
  w.u32(incs.length);
  for (const e of incs) w.u32(e).blob(u32(e));
  w.u32(fulls.length);
  for (const e of fulls) w.u32(e).blob(u32(e));
  w.u32(1).u32(newest);
  return {
    header: { seq: 1n, tid: 0n, type: 41, priority: 0, version: 4, dataPrePaddingLen: 0, dataOff: 0, ackSeq: 0n, flags: 0, compatVersion: 1, reserved: 0 },
    front: w.finish(),
    middle: new Uint8Array(0),
    data: new Uint8Array(0),
  };
}

describe('OsdMapTracker', () => {
  interface FakeMap {
    epoch: number;
    applied: number[];
  }
  const codec = {
    decodeFull: (b: Uint8Array): FakeMap => ({ epoch: new DataView(b.buffer, b.byteOffset).getUint32(0, true), applied: [] as number[] }),
    applyIncremental: (m: FakeMap, b: Uint8Array): FakeMap => {
      const e = new DataView(b.buffer, b.byteOffset).getUint32(0, true);
      if (e !== m.epoch + 1) throw new Error('out of order');
      return { epoch: e, applied: [...m.applied, e] };
    },
    epochOf: (m: FakeMap) => m.epoch,
  };

  it('applies incrementals in order, takes full maps, and asks for a full map on a gap', async () => {
    const subs: Array<[string, bigint | number, boolean | undefined]> = [];
    const got: number[] = [];
    const t = new OsdMapTracker(codec, { subscribe: (w, s, o) => subs.push([w, s, o]), gotMap: (_w, e) => got.push(e) }, silentLogger);
    t.start();
    expect(subs.at(-1)).toEqual(['osdmap', 0, undefined]);
    const first = t.waitFor(5);
    t.handle(mosdmap([], [5], 5));
    await first;
    expect(t.epoch).toBe(5);
    t.handle(mosdmap([6, 7], [], 7));
    expect(t.map!.applied).toEqual([6, 7]);
    expect(got).toEqual([5, 7]);
    // Epochs 8..9 never arrive; 10 alone cannot be applied: ask for the latest full map once.
    t.handle(mosdmap([10], [], 10));
    expect(t.epoch).toBe(7);
    expect(subs.at(-1)).toEqual(['osdmap', 0, true]);
    t.handle(mosdmap([], [10], 10));
    expect(t.epoch).toBe(10);
    // ...then the continuous subscription resumes after the full map.
    expect(subs.at(-1)).toEqual(['osdmap', 11, undefined]);
    // Old news changes nothing.
    t.handle(mosdmap([9], [], 10));
    expect(t.epoch).toBe(10);
  });
});
