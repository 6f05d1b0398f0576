// MPoolOp v4 (src/messages/MPoolOp.h): paxos header, fsid, le32 pool, le32 op, le64 auid,
// le64 snapid, string name, u8 pad, s16 crush_rule. MPoolOpReply: paxos header, fsid,
// le32 reply code, le32 epoch, bool + bufferlist response data (the new snap id, for
// CREATE_UNMANAGED_SNAP).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';
import { CLIENT_PAXOS_HEADER, decodePaxosHeader, encodePaxosHeader } from './paxos-header.ts';

export const MPOOL_OP = { type: 49, version: 4, compatVersion: 2 } as const;

/** POOL_OP_* (src/include/rados.h). */
export const PoolOpCode = { CREATE: 0x01, DELETE: 0x02, CREATE_SNAP: 0x11, DELETE_SNAP: 0x12, CREATE_UNMANAGED_SNAP: 0x21, DELETE_UNMANAGED_SNAP: 0x22 } as const;

export interface PoolOp {
  fsid: string;
  pool: number;
  op: number;
  snapId: bigint;
  name: string;
}

export function encodePoolOp(p: PoolOp): Uint8Array {
  const w = new Writer(96);
  encodePaxosHeader(w, CLIENT_PAXOS_HEADER);
  encodeUuid(w, p.fsid);
  w.u32(p.pool).u32(p.op).u64(0n).u64(p.snapId).string(p.name).u8(0).i16(0);
  return w.finish();
}

export interface PoolOpReply {
  fsid: string;
  code: number;
  epoch: number;
  data: Uint8Array;
}

export function decodePoolOpReply(front: Uint8Array): PoolOpReply {
  const r = new Reader(front);
  decodePaxosHeader(r);
  const fsid = decodeUuid(r, 'MPoolOpReply.fsid');
  const code = r.i32('MPoolOpReply.reply_code');
  const epoch = r.u32('MPoolOpReply.epoch');
  const data = r.bool('MPoolOpReply.has_data') ? r.blob('MPoolOpReply.data').slice() : new Uint8Array(0);
  return { fsid, code, epoch, data };
}

/**
 * The snap id in a CREATE_UNMANAGED_SNAP reply's data: le64, as OSDMonitor::prepare_pool_op
 * encodes it and Objecter's C_SelfmanagedSnap decodes it.
 */
export const decodeUnmanagedSnapId = (data: Uint8Array): bigint => new Reader(data).u64('snapid');

/** Decodes the front of an MPoolOp (v2 and later: the fields encodePoolOp writes), with its paxos version. */
export function decodePoolOp(front: Uint8Array): PoolOp & { version: bigint } {
  const r = new Reader(front);
  const { version } = decodePaxosHeader(r);
  const fsid = decodeUuid(r, 'MPoolOp.fsid');
  const pool = r.u32('MPoolOp.pool');
  const op = r.u32('MPoolOp.op');
  r.u64('MPoolOp.auid');
  const snapId = r.u64('MPoolOp.snapid');
  return { fsid, pool, op, snapId, name: r.string('MPoolOp.name'), version };
}
