// MPoolOpReply and the CREATE_UNMANAGED_SNAP snap id. No capture holds a pool op (fixtures/capture
// has `rados put` and `ceph mon dump` sessions only): the bytes follow src/messages/MPoolOpReply.h.
import { describe, expect, it } from 'vitest';
import { Writer } from '../encoding/writer.ts';
import { decodePoolOpReply, decodeUnmanagedSnapId } from './pool-op.ts';

describe('MPoolOpReply of CREATE_UNMANAGED_SNAP', () => {
  it('the reply data holds the new snap id, le64', () => {
    const front = new Writer(64)
      .u64(7n) // paxos version
      .i16(-1) // paxos deprecated_session_mon
      .u64(0n) // paxos deprecated_session_mon_tid
      .bytes(new Uint8Array(16).fill(0xab)) // fsid
      .i32(0) // reply_code
      .u32(42) // epoch
      .bool(true)
      .blob(new Writer(8).u64(0x1_0000_0003n).finish())
      .finish();
    const r = decodePoolOpReply(front);
    expect({ code: r.code, epoch: r.epoch }).toEqual({ code: 0, epoch: 42 });
    expect(decodeUnmanagedSnapId(r.data)).toBe(0x1_0000_0003n);
  });
});
