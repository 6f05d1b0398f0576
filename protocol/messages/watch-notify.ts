// MWatchNotify (src/messages/MWatchNotify.h, v3): u8 1, u8 opcode (1 NOTIFY, 2 NOTIFY_COMPLETE,
// 3 DISCONNECT), le64 cookie, le64 ver, le64 notify_id, bufferlist payload, s32 return_code,
// le64 notifier_gid. And what rides inside: a notify's input, a NOTIFY_ACK's input, and the
// NOTIFY_COMPLETE payload (acks by (gid, cookie), and who timed out).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddr, formatEntityAddr } from '../types/entity-addr.ts';

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

/** A NOTIFY op's output: le64 notify_id, the id the watchers' MWatchNotify and the NOTIFY_COMPLETE carry. */
export const readNotifyId = (b: Uint8Array): bigint => new Reader(b).u64('notify_id');

/** CEPH_OSD_OP_NOTIFY_ACK input: le64 notify_id, le64 watch cookie, bufferlist reply. */
export function encodeNotifyAck(notifyId: bigint, cookie: bigint, reply: Uint8Array): Uint8Array {
  return new Writer(24 + reply.length).u64(notifyId).u64(cookie).blob(reply).finish();
}

/** What a notify got back (the NOTIFY_COMPLETE payload): the watchers' replies, and who did not answer in time. */
export interface NotifyResult {
  /** The watchers that acked, each with its reply payload (empty if it sent none). */
  acks: Array<{
    /** The watching client's global id. */
    gid: bigint;
    /** The watch's cookie. */
    cookie: bigint;
    /** The watcher's reply (NOTIFY_ACK payload). */
    reply: Uint8Array;
  }>;
  /** The watchers that did not ack before the notify's timeout. */
  timeouts: Array<{
    /** The watching client's global id. */
    gid: bigint;
    /** The watch's cookie. */
    cookie: bigint;
  }>;
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

/** One watcher of an object (watch_item_t, src/osd/osd_types.h), as LIST_WATCHERS reports it. */
export interface Watcher {
  /** The watching client, as `client.<global id>`. */
  client: string;
  /** watch_item_t::cookie: the watch's cookie, chosen by the watcher. */
  cookie: bigint;
  /** watch_item_t::timeout_seconds: how long the OSD waits without a ping before dropping the watch. */
  timeoutSeconds: number;
  /** watch_item_t::addr (v2): the watcher's address as the OSD saw it, in entity_addr_t's print form (`-` from a v1 item). */
  addr: string;
}

/** LIST_WATCHERS output: obj_list_watch_response_t { list<watch_item_t> } (osd_types.h). */
export function decodeListWatchers(b: Uint8Array): Watcher[] {
  return new Reader(b).struct('obj_list_watch_response_t', 1, (r) =>
    r.array(
      'entries',
      (r) =>
        r.struct('watch_item_t', 2, (r, version) => {
          r.u8('name.type');
          const num = r.i64('name.num');
          const cookie = r.u64('cookie');
          const timeoutSeconds = r.u32('timeout_seconds');
          const addr = version >= 2 ? formatEntityAddr(decodeEntityAddr(r, 'addr')) : '-';
          return { client: `client.${num}`, cookie, timeoutSeconds, addr };
        }),
      6,
    ),
  );
}
