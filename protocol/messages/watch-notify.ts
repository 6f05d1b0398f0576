// MWatchNotify (src/messages/MWatchNotify.h, v3): u8 1, u8 opcode (1 NOTIFY, 2 NOTIFY_COMPLETE,
// 3 DISCONNECT), le64 cookie, le64 ver, le64 notify_id, bufferlist payload, s32 return_code,
// le64 notifier_gid. And what rides inside: a notify's input, a NOTIFY_ACK's input, and the
// NOTIFY_COMPLETE payload (acks by (gid, cookie), and who timed out).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

export const WatchNotifyOp = { NOTIFY: 1, NOTIFY_COMPLETE: 2, DISCONNECT: 3 } as const;
/** CEPH_OSD_WATCH_OP_* (rados.h). */
export const WatchOp = { UNWATCH: 0, WATCH: 3, RECONNECT: 5, PING: 7 } as const;

export interface WatchNotifyMessage {
  opcode: number;
  cookie: bigint;
  ver: bigint;
  notifyId: bigint;
  payload: Uint8Array;
  returnCode: number;
  notifierGid: bigint;
  /** The message's data segment: NOTIFY_COMPLETE carries the replies there (PrimaryLogPG's Notify). */
  data: Uint8Array;
}

export function decodeWatchNotify(front: Uint8Array, data: Uint8Array = new Uint8Array(0)): WatchNotifyMessage {
  const r = new Reader(front);
  r.u8('MWatchNotify.msg_ver');
  return {
    opcode: r.u8('MWatchNotify.opcode'),
    cookie: r.u64('MWatchNotify.cookie'),
    ver: r.u64('MWatchNotify.ver'),
    notifyId: r.u64('MWatchNotify.notify_id'),
    payload: r.blob('MWatchNotify.bl').slice(),
    returnCode: r.remaining >= 4 ? r.i32('MWatchNotify.return_code') : 0,
    notifierGid: r.remaining >= 8 ? r.u64('MWatchNotify.notifier_gid') : 0n,
    data,
  };
}

/** CEPH_OSD_OP_NOTIFY input: le32 prot_ver (1), le32 timeout (s), bufferlist payload. */
export function encodeNotifyInput(timeoutSec: number, payload: Uint8Array): Uint8Array {
  return new Writer(16 + payload.length).u32(1).u32(timeoutSec).blob(payload).finish();
}

/** CEPH_OSD_OP_NOTIFY_ACK input: le64 notify_id, le64 watch cookie, bufferlist reply. */
export function encodeNotifyAck(notifyId: bigint, cookie: bigint, reply: Uint8Array): Uint8Array {
  return new Writer(24 + reply.length).u64(notifyId).u64(cookie).blob(reply).finish();
}

export interface NotifyResult {
  acks: Array<{ gid: bigint; cookie: bigint; reply: Uint8Array }>;
  timeouts: Array<{ gid: bigint; cookie: bigint }>;
}

/** The NOTIFY_COMPLETE payload: map<pair<gid,cookie>, bufferlist>, set<pair<gid,cookie>>. */
export function decodeNotifyResult(b: Uint8Array): NotifyResult {
  if (b.length === 0) return { acks: [], timeouts: [] };
  const r = new Reader(b);
  const n = r.count('notify.acks', 20);
  const acks: NotifyResult['acks'] = [];
  for (let i = 0; i < n; i++) acks.push({ gid: r.u64('gid'), cookie: r.u64('cookie'), reply: r.blob('reply').slice() });
  const timeouts: NotifyResult['timeouts'] = [];
  if (r.remaining >= 4) {
    const m = r.count('notify.timeouts', 16);
    for (let i = 0; i < m; i++) timeouts.push({ gid: r.u64('gid'), cookie: r.u64('cookie') });
  }
  return { acks, timeouts };
}

export interface Watcher {
  client: string;
  cookie: bigint;
  timeoutSeconds: number;
}

/** LIST_WATCHERS output: obj_list_watch_response_t { list<watch_item_t> } (osd_types.h). */
export function decodeListWatchers(b: Uint8Array): Watcher[] {
  return new Reader(b).struct('obj_list_watch_response_t', 1, (r) =>
    r.array(
      'entries',
      (r) =>
        r.struct('watch_item_t', 2, (r) => {
          r.u8('name.type');
          const num = r.i64('name.num');
          const cookie = r.u64('cookie');
          const timeoutSeconds = r.u32('timeout_seconds');
          return { client: `client.${num}`, cookie, timeoutSeconds };
        }),
      6,
    ),
  );
}
