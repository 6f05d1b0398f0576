// A decoded message in Ceph's own vocabulary: the one-line form follows each message's
// Message::print (src/messages/*.h: MOSDOp "osd_op(client.4123.0:5 1.3 obj [writefull 0~4096] …)",
// MOSDOpReply "osd_op_reply(5 obj [writefull 0~4096] v21'1 uv1 ondisk = 0)", …), and `fields`
// carries the same facts for machines. What cannot be decoded is named by type and length.
import { Errno } from '../errors.ts';
import type { Message } from '../msgr2/message-frame.ts';
import { decodeAuthMessage, decodeAuthReply } from '../messages/auth-message.ts';
import { msgTypeName, MsgType } from '../messages/message-types.ts';
import { decodeMonCommand, decodeMonCommandAck } from '../messages/mon-command.ts';
import { decodeMonGetVersion, decodeMonGetVersionReply } from '../messages/mon-get-version.ts';
import { decodeMonMapMessage } from '../messages/mon-map-message.ts';
import { decodePoolOpReply } from '../messages/pool-op.ts';
import { decodeMonMap } from '../maps/monmap.ts';
import { formatEntityAddrvec } from '../types/entity-addr.ts';
import { decodeMonSubscribe, decodeMonSubscribeAck } from '../messages/mon-subscribe.ts';
import { decodeOsdBackoff } from '../messages/osd-backoff.ts';
import { decodeOsdMapMessage } from '../messages/osd-map-message.ts';
import { decodeOsdOp } from '../messages/osd-op.ts';
import { decodeOsdOpReply } from '../messages/osd-op-reply.ts';
import { decodeWatchNotify } from '../messages/watch-notify.ts';
import { entityTypeName } from '../types/entity-name.ts';
import { formatPgId } from '../types/pg.ts';
import { describeOsdOps } from './describe-osd-op.ts';
import { osdFlagNames } from '../messages/osd-op-codes.ts';

/** A message as the trace shows it. */
export interface MessageDescription {
  /** Ceph's name for the type (MOSDOp, MMonCommand, …) or MSG_<n>. */
  type: string;
  /** One line in Ceph's print vocabulary. */
  line: string;
  /** Its fields (bigints as decimal strings, bytes as lengths), for JSON output and filters. */
  fields: Record<string, unknown>;
  /** Set when the front could not be decoded: why. */
  error?: string;
}

/** Ceph's class names of the message types a client sees (src/messages/M*.h). */
const CLASS_NAMES: Record<number, string> = {
  [MsgType.MON_MAP]: 'MMonMap',
  [MsgType.MON_GET_MAP]: 'MMonGetMap',
  [MsgType.STATFS]: 'MStatfs',
  [MsgType.STATFS_REPLY]: 'MStatfsReply',
  [MsgType.MON_SUBSCRIBE]: 'MMonSubscribe',
  [MsgType.MON_SUBSCRIBE_ACK]: 'MMonSubscribeAck',
  [MsgType.AUTH]: 'MAuth',
  [MsgType.AUTH_REPLY]: 'MAuthReply',
  [MsgType.MON_GET_VERSION]: 'MMonGetVersion',
  [MsgType.MON_GET_VERSION_REPLY]: 'MMonGetVersionReply',
  [MsgType.OSD_MAP]: 'MOSDMap',
  [MsgType.OSD_OP]: 'MOSDOp',
  [MsgType.OSD_OPREPLY]: 'MOSDOpReply',
  [MsgType.WATCH_NOTIFY]: 'MWatchNotify',
  [MsgType.OSD_BACKOFF]: 'MOSDBackoff',
  [MsgType.POOLOP]: 'MPoolOp',
  [MsgType.POOLOP_REPLY]: 'MPoolOpReply',
  [MsgType.MON_COMMAND]: 'MMonCommand',
  [MsgType.MON_COMMAND_ACK]: 'MMonCommandAck',
  [MsgType.LOG]: 'MLog',
  [MsgType.CONFIG]: 'MConfig',
  [MsgType.GET_CONFIG]: 'MGetConfig',
  2: 'MPing', // CEPH_MSG_PING
  70: 'MOSDPing', // MSG_OSD_PING: OSD heartbeats, seen in any capture of OSD ports
};

const ERRNO_NAMES = new Map<number, string>(Object.entries(Errno).map(([k, v]) => [v, k]));

/** "0" or "-2 (ENOENT)". */
export function resultText(r: number): string {
  const name = ERRNO_NAMES.get(-r);
  return r < 0 && name ? `${r} (${name})` : String(r);
}

/**
 * A message's description; never throws (a front that does not decode is described by its
 * lengths). `source` is the sender's entity name where the session knows it ("client.4123").
 */
export function describeMessage(m: Message, source?: string): MessageDescription {
  const h = m.header;
  const type = CLASS_NAMES[h.type] ?? msgTypeName(h.type);
  const base = { seq: String(h.seq), tid: String(h.tid), version: h.version, front: m.front.length, middle: m.middle.length, data: m.data.length };
  try {
    const d = describeFront(m, source);
    if (d) return { type, line: d.line, fields: { ...base, ...d.fields } };
  } catch (e) {
    return { type, line: `${type} v${h.version} front ${m.front.length} data ${m.data.length} (undecodable: ${(e as Error).message})`, fields: base, error: (e as Error).message };
  }
  return { type, line: `${type} v${h.version} front ${m.front.length} data ${m.data.length}`, fields: base };
}

function describeFront(m: Message, source: string | undefined): { line: string; fields: Record<string, unknown> } | undefined {
  const { header: h, front, data } = m;
  switch (h.type) {
    case MsgType.OSD_OP: {
      const op = decodeOsdOp(front, h.version);
      // MOSDOp::get_reqid: an empty reqid stands for the connection's peer and the header's tid.
      const implied = op.reqid.name.type === 0 && op.reqid.tid === 0n;
      const who = implied ? (source ?? 'unknown.0') : `${entityTypeName(op.reqid.name.type)}.${op.reqid.name.num}`;
      const reqid = `${who}.${op.reqid.inc}:${implied ? h.tid : op.reqid.tid}`;
      const ops = describeOsdOps(op.ops, data);
      const snapc = `${op.snapSeq}=[${op.snaps.join(',')}]`;
      const ns = op.locator.nspace ? `${op.locator.nspace}/` : '';
      const line = `osd_op(${reqid} ${formatPgId(op.pgid.pgid)} ${ns}${op.oid}${op.oid ? ' ' : ''}[${ops.map((o) => o.text).join(',')}] snapc ${snapc} ${osdFlagNames(op.flags).join('+')} e${op.epoch})`;
      return {
        line,
        fields: {
          reqid,
          pg: formatPgId(op.pgid.pgid),
          pool: op.locator.pool,
          namespace: op.locator.nspace,
          object: op.oid,
          ops,
          snapSeq: String(op.snapSeq),
          snaps: op.snaps.map(String),
          flags: osdFlagNames(op.flags),
          epoch: op.epoch,
          retryAttempt: op.retryAttempt,
        },
      };
    }
    case MsgType.OSD_OPREPLY: {
      const r = decodeOsdOpReply(front);
      const ops = describeOsdOps(r.ops, data, true);
      const v = `v${r.replayVersion.epoch}'${r.replayVersion.version}`;
      const line = `osd_op_reply(${h.tid} ${r.oid}${r.oid ? ' ' : ''}[${ops.map((o, i) => `${o.text}${r.rvals[i] ? ` = ${resultText(r.rvals[i])}` : ''}`).join(',')}] ${v} uv${r.userVersion} ${osdFlagNames(r.flags).join('+')} = ${resultText(r.result)})`;
      return { line, fields: { object: r.oid, pg: formatPgId(r.pgid), result: r.result, ops, rvals: r.rvals, version: v, userVersion: String(r.userVersion), epoch: r.epoch } };
    }
    case MsgType.MON_COMMAND: {
      const c = decodeMonCommand(front);
      return { line: `mon_command(${c.cmd.join(' ')} v 0)`, fields: { cmd: c.cmd, fsid: c.fsid } };
    }
    case MsgType.MON_COMMAND_ACK: {
      const a = decodeMonCommandAck(front);
      return {
        line: `mon_command_ack(${a.cmd.join(' ')}=${resultText(a.r)} ${a.rs} v${a.paxos.version})`,
        fields: { cmd: a.cmd, result: a.r, status: a.rs, outData: data.length },
      };
    }
    case MsgType.OSD_MAP: {
      const o = decodeOsdMapMessage(front, h.version);
      const e = (m: Map<number, Uint8Array>): number[] => [...m.keys()].sort((a, b) => a - b);
      const all = [...e(o.fulls), ...e(o.incrementals)];
      const range = all.length ? `e${Math.min(...all)}-${Math.max(...all)}` : 'e0';
      return { line: `osd_map(${range} src has ${o.oldest}..${o.newest})`, fields: { full: e(o.fulls), incremental: e(o.incrementals), oldest: o.oldest, newest: o.newest } };
    }
    case MsgType.MON_SUBSCRIBE: {
      const s = decodeMonSubscribe(front, h.version);
      const what = Object.fromEntries([...s.what].map(([k, v]) => [k, { start: String(v.start), flags: v.flags }]));
      return { line: `mon_subscribe(${JSON.stringify(what)})`, fields: { what, hostname: s.hostname } };
    }
    case MsgType.MON_SUBSCRIBE_ACK: {
      const a = decodeMonSubscribeAck(front);
      return { line: `mon_subscribe_ack(${a.interval}s)`, fields: { interval: a.interval, fsid: a.fsid } };
    }
    case MsgType.MON_GET_MAP:
      return { line: 'mon_getmap', fields: {} }; // MMonGetMap: no payload, printed by its type name
    case MsgType.MON_MAP: {
      // MMonMap::print: "mon_map magic: 0"; the map itself is what a reader wants, as `ceph mon dump` shows it.
      const map = decodeMonMap(decodeMonMapMessage(front));
      const mons = map.ranks.map((n) => `${n}=${formatEntityAddrvec(map.monInfo.get(n)?.publicAddrs ?? [])}`);
      return {
        line: `mon_map(e${map.epoch} fsid ${map.fsid} ${mons.join(' ')})`,
        fields: { epoch: map.epoch, fsid: map.fsid, mons: Object.fromEntries(mons.map((m) => m.split('=', 2))) },
      };
    }
    case MsgType.AUTH: {
      const a = decodeAuthMessage(front);
      return {
        line: `auth(proto ${a.protocol} ${a.payload.length} bytes epoch ${a.monmapEpoch})`,
        fields: { protocol: a.protocol, payload: a.payload.length, monmapEpoch: a.monmapEpoch },
      };
    }
    case MsgType.MON_GET_VERSION: {
      const v = decodeMonGetVersion(front);
      return { line: `mon_get_version(what=${v.what} handle=${v.handle})`, fields: { what: v.what, handle: String(v.handle) } };
    }
    case MsgType.POOLOP_REPLY: {
      const r = decodePoolOpReply(front);
      return { line: `pool_op_reply(tid ${h.tid} ${resultText(r.code)} v${r.epoch})`, fields: { result: r.code, epoch: r.epoch, data: r.data.length } };
    }
    case MsgType.AUTH_REPLY: {
      const a = decodeAuthReply(front);
      return {
        line: `auth_reply(proto ${a.protocol} ${resultText(a.result)} ${a.message})`,
        fields: { protocol: a.protocol, result: a.result, globalId: String(a.globalId), message: a.message },
      };
    }
    case MsgType.MON_GET_VERSION_REPLY: {
      const v = decodeMonGetVersionReply(front);
      return {
        line: `mon_get_version_reply(handle ${v.handle} version ${v.version})`,
        fields: { handle: String(v.handle), version: String(v.version), oldest: String(v.oldestVersion) },
      };
    }
    case MsgType.WATCH_NOTIFY: {
      const w = decodeWatchNotify(front, data);
      const ops = ['?', 'notify', 'notify_complete', 'disconnect'];
      return {
        line: `watch-notify(${ops[w.opcode] ?? w.opcode} (${w.opcode}) cookie ${w.cookie} notify ${w.notifyId} ret ${w.returnCode})`,
        fields: { op: ops[w.opcode] ?? w.opcode, cookie: String(w.cookie), notifyId: String(w.notifyId), result: w.returnCode, payload: w.payload.length },
      };
    }
    case MsgType.OSD_BACKOFF: {
      const b = decodeOsdBackoff(front);
      const ops = ['?', 'block', 'ack-block', 'unblock'];
      return {
        line: `osd_backoff(${formatPgId(b.pgid.pgid)} ${ops[b.op] ?? b.op} id ${b.id} e${b.epoch})`,
        fields: { pg: formatPgId(b.pgid.pgid), op: ops[b.op] ?? b.op, id: String(b.id), epoch: b.epoch },
      };
    }
    default:
      return undefined;
  }
}
