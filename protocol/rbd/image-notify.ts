// librbd's notifications on an image header (src/librbd/WatchNotifyTypes.cc): NotifyMessage is
// ENCODE_START(7, 1) { le32 notify_op; payload }, the lock ops' payload a ClientId (le64 gid =
// the client's global id, le64 handle = its watch cookie), REQUEST_LOCK's followed by bool
// force. A lock owner answers requests with ResponseMessage ENCODE_START(1, 1) { le32 result }.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

export const NotifyOp = {
  ACQUIRED_LOCK: 0,
  RELEASED_LOCK: 1,
  REQUEST_LOCK: 2,
  HEADER_UPDATE: 3,
  ASYNC_PROGRESS: 4,
  ASYNC_COMPLETE: 5,
  FLATTEN: 6,
  RESIZE: 7,
  SNAP_CREATE: 8,
  SNAP_REMOVE: 9,
  REBUILD_OBJECT_MAP: 10,
  SNAP_RENAME: 11,
  SNAP_PROTECT: 12,
  SNAP_UNPROTECT: 13,
  UPDATE_FEATURES: 14,
  MIGRATE: 15,
  SPARSIFY: 16,
  QUIESCE: 17,
  UNQUIESCE: 18,
  METADATA_UPDATE: 19,
} as const;

export interface ClientId {
  gid: bigint;
  handle: bigint;
}

export interface ImageNotify {
  op: number;
  /** For ACQUIRED_LOCK, RELEASED_LOCK and REQUEST_LOCK. */
  clientId?: ClientId;
  /** REQUEST_LOCK: the requester wants the lock even from a busy owner. */
  force?: boolean;
}

const NOTIFY_VERSION = 7;
const LOCK_OPS: ReadonlySet<number> = new Set([NotifyOp.ACQUIRED_LOCK, NotifyOp.RELEASED_LOCK, NotifyOp.REQUEST_LOCK]);

export function encodeImageNotify(n: ImageNotify): Uint8Array {
  return new Writer(48)
    .struct(NOTIFY_VERSION, 1, (w) => {
      w.u32(n.op);
      if (LOCK_OPS.has(n.op)) {
        const c = n.clientId ?? { gid: 0n, handle: 0n };
        w.u64(c.gid).u64(c.handle);
        if (n.op === NotifyOp.REQUEST_LOCK) w.bool(n.force ?? false);
      }
    })
    .finish();
}

/** Decodes the op and, for lock ops, who; other ops' payloads are skipped (struct length). */
export function decodeImageNotify(b: Uint8Array): ImageNotify {
  return new Reader(b).struct('NotifyMessage', NOTIFY_VERSION, (r, v) => {
    const op = r.u32('notify_op');
    const out: ImageNotify = { op };
    if (LOCK_OPS.has(op) && v >= 2) {
      out.clientId = { gid: r.u64('client_id.gid'), handle: r.u64('client_id.handle') };
      if (op === NotifyOp.REQUEST_LOCK && v >= 3 && r.remaining > 0) out.force = r.bool('force');
    }
    return out;
  });
}

export const encodeNotifyResponse = (result: number): Uint8Array => new Writer(12).struct(1, 1, (w) => w.i32(result)).finish();
export const decodeNotifyResponse = (b: Uint8Array): number => new Reader(b).struct('ResponseMessage', 1, (r) => r.i32('result'));
