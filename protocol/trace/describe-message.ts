// A decoded message in Ceph's own vocabulary: the one-line form is each message's Message::print
// (src/messages/*.h: MOSDOp "osd_op(client.4123.0:5 2.0 2:ff7b1f36:::obj1:head [writefull 0~2700
// in=2700b] snapc 0=[] ondisk+write+known_if_redirected e8)", MOSDOpReply "osd_op_reply(5 obj1
// [writefull 0~2700] v9'1 uv1 ondisk = 0)", …), as the daemons log it with debug ms = 1
// (test/integration/trace-vs-ceph-log.test.ts compares them), and `fields` carries the same facts
// for machines. What cannot be decoded is named by type and length.
import type { Message } from '../msgr2/message-frame.ts';
import { decodeAuthMessage, decodeAuthReply } from '../messages/auth-message.ts';
import { msgTypeName, MsgType } from '../messages/message-types.ts';
import { decodeMonCommand, decodeMonCommandAck } from '../messages/mon-command.ts';
import { decodeMonGetVersion, decodeMonGetVersionReply } from '../messages/mon-get-version.ts';
import { decodeMonMapMessage } from '../messages/mon-map-message.ts';
import { decodePoolOp, decodePoolOpReply } from '../messages/pool-op.ts';
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
import { OsdFlag, osdFlagNames } from '../messages/osd-op-codes.ts';
import { decodePaxosHeader } from '../messages/paxos-header.ts';
import { Reader } from '../encoding/reader.ts';
import { formatHObject, formatSnapId } from '../types/hobject.ts';
import { SUBSCRIBE_ONETIME } from '../messages/mon-subscribe.ts';
import { cppStrerror } from './errno-text.ts';
import { errnoName } from '../errors.ts';

/** A message as the trace shows it. */
export interface MessageDescription {
  /** Ceph's name for the type (MOSDOp, MMonCommand, …) or MSG_<n>. */
  type: string;
  /** The header's version: Ceph's logs print it after the line (" v8"). */
  version: number;
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
  [MsgType.MGR_MAP]: 'MMgrMap',
  2: 'MPing', // CEPH_MSG_PING
  70: 'MOSDPing', // MSG_OSD_PING: OSD heartbeats, seen in any capture of OSD ports
};

/** ceph_pool_op_name (src/common/ceph_strings.cc) by POOL_OP_*. */
const POOL_OP_NAMES: Record<number, string> = {
  0x01: 'create',
  0x02: 'delete',
  0x03: 'auid change',
  0x11: 'create snap',
  0x12: 'delete snap',
  0x21: 'create unmanaged snap',
  0x22: 'delete unmanaged snap',
};

/**
 * MMonCommand::print and MMonCommandAck::print keep the values of `config set` and `config-key
 * set` out of the log: "[{prefix=config set, name=<name>}]". Undefined for other commands (and
 * for a command that is not JSON, whose prefix Ceph cannot read either).
 */
function redactedCommand(cmd: readonly string[]): string | undefined {
  let map: unknown;
  try {
    map = JSON.parse(cmd.join(''));
  } catch {
    return undefined; // not JSON: cmdmap_from_json fails, the prefix is empty, nothing is redacted
  }
  const m = map as Record<string, unknown> | null;
  // cmd_getval of a string: empty when absent or not a string.
  const str = (k: string): string => (typeof m?.[k] === 'string' ? m[k] : '');
  if (m?.['prefix'] === 'config set') return `[{prefix=config set, name=${str('name')}}]`;
  if (m?.['prefix'] === 'config-key set') return `[{prefix=config-key set, key=${str('key')}}]`;
  return undefined;
}

/** A failed result's errno by name ('ENOENT'), for filters and JSON: the line keeps Ceph's print. */
function errnoField(result: number): { errno?: string } {
  return result < 0 ? { errno: errnoName(result) } : {};
}

/**
 * A mon command's output (its reply's data, the outbl): JSON-parsed when it is JSON (`--format
 * json`), else its text; undefined when empty or not UTF-8 (a binary map, e.g. `osd getmap`).
 */
function commandOutput(data: Uint8Array): unknown {
  if (data.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
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
    if (d) return { type, version: h.version, line: d.line, fields: { ...base, ...d.fields } };
  } catch (e) {
    const error = (e as Error).message;
    return { type, version: h.version, line: `${type} v${h.version} front ${m.front.length} data ${m.data.length} (undecodable: ${error})`, fields: base, error };
  }
  return { type, version: h.version, line: `${type} v${h.version} front ${m.front.length} data ${m.data.length}`, fields: base };
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
      // snapid_t prints in hex; the object as the hobject_t the client built (pool, raw hash,
      // namespace, locator key unless it is the name, name, snap).
      const snapc = `${formatSnapId(op.snapSeq)}=[${op.snaps.map(formatSnapId).join(',')}]`;
      const hobj = formatHObject({
        pool: BigInt(op.locator.pool),
        hash: op.hash,
        nspace: op.locator.nspace,
        key: op.locator.key === op.oid ? '' : op.locator.key,
        oid: op.oid,
        snap: op.snapId,
        max: false,
      });
      const retry = op.retryAttempt > 0 ? ` RETRY=${op.retryAttempt}` : '';
      const line = `osd_op(${reqid} ${formatPgId(op.pgid.pgid)} ${hobj} [${ops.map((o) => o.text).join(',')}] snapc ${snapc}${retry} ${osdFlagNames(op.flags).join('+')} e${op.epoch})`;
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
      // MOSDOpReply::print: the ack kind alone of the flags; a failure with cpp_strerror's text.
      const ack = r.flags & OsdFlag.ONDISK ? 'ondisk' : r.flags & 2 ? 'onnvram' : 'ack';
      const result = r.result < 0 ? `${r.result} (${cppStrerror(r.result)})` : String(r.result);
      const line = `osd_op_reply(${h.tid} ${r.oid} [${ops.map((o) => o.text).join(',')}] ${v} uv${r.userVersion} ${ack} = ${result})`;
      return {
        line,
        fields: {
          object: r.oid,
          pg: formatPgId(r.pgid),
          result: r.result,
          ...errnoField(r.result),
          ops,
          rvals: r.rvals,
          version: v,
          userVersion: String(r.userVersion),
          epoch: r.epoch,
        },
      };
    }
    case MsgType.MON_COMMAND: {
      const c = decodeMonCommand(front);
      const paxos = decodePaxosHeader(new Reader(front));
      return { line: `mon_command(${redactedCommand(c.cmd) ?? c.cmd.join(' ')} v ${paxos.version})`, fields: { cmd: c.cmd, fsid: c.fsid } };
    }
    case MsgType.MON_COMMAND_ACK: {
      const a = decodeMonCommandAck(front);
      const output = commandOutput(data);
      return {
        // A vector<string> prints as [a,b].
        line: `mon_command_ack(${redactedCommand(a.cmd) ?? `[${a.cmd.join(',')}]`}=${a.r} ${a.rs} v${a.paxos.version})`,
        fields: { cmd: a.cmd, result: a.r, ...errnoField(a.r), status: a.rs, outData: data.length, ...(output === undefined ? {} : { output }) },
      };
    }
    case MsgType.OSD_MAP: {
      const o = decodeOsdMapMessage(front, h.version);
      const e = (m: Map<number, Uint8Array>): number[] => [...m.keys()].sort((a, b) => a - b);
      // MOSDMap::print: get_first()..get_last() over both kinds, then what the sender has.
      const all = [...e(o.fulls), ...e(o.incrementals)];
      const range = all.length ? `${Math.min(...all)}..${Math.max(...all)}` : '0..0';
      const has = o.oldest || o.newest ? ` src has ${o.oldest}..${o.newest}` : '';
      return { line: `osd_map(${range}${has})`, fields: { full: e(o.fulls), incremental: e(o.incrementals), oldest: o.oldest, newest: o.newest } };
    }
    case MsgType.MON_SUBSCRIBE: {
      const s = decodeMonSubscribe(front, h.version);
      const what = Object.fromEntries([...s.what].map(([k, v]) => [k, { start: String(v.start), flags: v.flags }]));
      // A map prints as {k=v,…}; a ceph_mon_subscribe_item as its start, "+" unless ONETIME.
      const items = [...s.what].map(([k, v]) => `${k}=${v.start}${v.flags & SUBSCRIBE_ONETIME ? '' : '+'}`);
      return { line: `mon_subscribe({${items.join(',')}})`, fields: { what, hostname: s.hostname } };
    }
    case MsgType.MON_SUBSCRIBE_ACK: {
      const a = decodeMonSubscribeAck(front);
      return { line: `mon_subscribe_ack(${a.interval}s)`, fields: { interval: a.interval, fsid: a.fsid } };
    }
    case MsgType.MON_GET_MAP:
      // No payload and no print of its own: Message::print's "<type name> magic: <magic>" (magic is never sent).
      return { line: 'mon_getmap magic: 0', fields: {} };
    case MsgType.CONFIG: {
      // MConfig: map<string,string> config; printed by its size.
      const keys = new Reader(front).u32('MConfig.config');
      return { line: `config(${keys} keys)`, fields: { keys } };
    }
    case MsgType.MGR_MAP: {
      // MMgrMap: the MgrMap, whose encoding starts (after its ENCODE_START header) with the epoch.
      const r = new Reader(front);
      r.skip(6, 'MgrMap ENCODE_START'); // u8 struct_v, u8 compat, le32 length
      const epoch = r.u32('MgrMap.epoch');
      return { line: `mgrmap(e ${epoch})`, fields: { epoch } };
    }
    case MsgType.POOLOP: {
      const p = decodePoolOp(front);
      const name = POOL_OP_NAMES[p.op] ?? '???';
      return { line: `pool_op(${name} pool ${p.pool} tid ${h.tid} name ${p.name} v${p.version})`, fields: { op: name, pool: p.pool, snapId: String(p.snapId), name: p.name } };
    }
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
      return { line: `pool_op_reply(tid ${h.tid} ${cppStrerror(r.code)} v${r.epoch})`, fields: { result: r.code, ...errnoField(r.code), epoch: r.epoch, data: r.data.length } };
    }
    case MsgType.AUTH_REPLY: {
      const a = decodeAuthReply(front);
      return {
        line: `auth_reply(proto ${a.protocol} ${a.result} ${cppStrerror(a.result)} ${a.message})`,
        fields: { protocol: a.protocol, result: a.result, ...errnoField(a.result), globalId: String(a.globalId), message: a.message },
      };
    }
    case MsgType.MON_GET_VERSION_REPLY: {
      const v = decodeMonGetVersionReply(front);
      return {
        line: `mon_get_version_reply(handle=${v.handle} version=${v.version})`,
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
