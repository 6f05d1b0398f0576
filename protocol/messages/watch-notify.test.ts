// A notify as librados sends it and the OSD completes it (fixtures/ops/rados-notify, see its
// README: `rados notify hdr-obj hello` on an object nobody watches): the NOTIFY step's union and
// input re-encoded, and the MWatchNotify NOTIFY_COMPLETE decoded.
import { beforeAll, describe, expect, it } from 'vitest';
import { type CapturedOp, capturedOps, capturedServerMessages } from '../../test/capture/osd-ops.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import type { Message } from '../msgr2/message-frame.ts';
import { MsgType } from './message-types.ts';
import { OsdOpCode } from './osd-op-codes.ts';
import { notifyUnion } from './osd-op-struct.ts';
import { decodeNotifyResult, decodeWatchNotify, encodeNotifyInput, readNotifyId, WatchNotifyOp } from './watch-notify.ts';

let op: CapturedOp;
let completions: Message[];
beforeAll(async () => {
  op = (await capturedOps('rados-notify')).find((o) => o.steps[0]!.head.op === OsdOpCode.NOTIFY)!;
  completions = await capturedServerMessages('rados-notify', MsgType.WATCH_NOTIFY);
});

describe('notify (fixtures/ops/rados-notify)', () => {
  it('the NOTIFY step: union carries the linger cookie; input is prot_ver 1, timeout 10 s (rados.cc notify2 10000 ms), the payload', () => {
    const s = op.steps[0]!;
    const cookie = new Reader(s.head.union).u64('notify.cookie');
    expect(s.head.union).toEqual(notifyUnion(cookie));
    // `rados notify` sends the message encoded as a string (le32 length, bytes).
    expect(encodeNotifyInput(10, new Writer().string('hello').finish())).toEqual(s.indata);
  });
  it('NOTIFY_COMPLETE for our notify id: no acks, no timeouts (nobody watches)', () => {
    const notifyId = readNotifyId(op.steps[0]!.outdata);
    expect(completions).toHaveLength(1);
    const m = decodeWatchNotify(completions[0]!.front, completions[0]!.data);
    expect({ opcode: m.opcode, notifyId: m.notifyId, returnCode: m.returnCode }).toEqual({ opcode: WatchNotifyOp.NOTIFY_COMPLETE, notifyId, returnCode: 0 });
    expect(decodeNotifyResult(m.data.length > 0 ? m.data : m.payload)).toEqual({ acks: [], timeouts: [] });
  });
});
