// The ops of an MOSDOp or MOSDOpReply as Ceph prints them (OSDOp's operator<< in
// src/osd/osd_types.cc: "read 0~4096", "call rbd.get_id", "setxattr _lock (12)"…). Each op's
// input (request) or output (reply) is its payload_len slice of the message's data segment, in
// op order (OSDOp::split_osd_op_vector_in_data / _out_data). A call of a class method we have
// a codec for (protocol/cls/cls-registry.ts) also shows its decoded input.
import { clsMethodByName } from '../cls/cls-registry.ts';
import { OsdOpCode, osdOpName } from '../messages/osd-op-codes.ts';
import type { OsdOpHead } from '../messages/osd-op-struct.ts';
import { readExtentUnion } from '../messages/osd-op-struct.ts';
import { type JsonValue, toJsonValue } from './json-value.ts';

/** One op of a trace: its name, Ceph's text for it, and the facts behind the text. */
export interface OpDescription {
  /** Ceph's name for the op ("writefull", "omap-set-vals", …) or "op 0x…" for one it does not name. */
  op: string;
  text: string;
  offset?: string;
  length?: string;
  /** For call: "class.method". */
  method?: string;
  /**
   * For a call of a method we have a codec for: its input, decoded (toJsonValue: bigints as
   * decimal strings, bytes as `{ bytes, hex }` with hex only up to 32 bytes). Absent for a
   * method that takes no input.
   */
  input?: JsonValue;
  /** For a call of a method we have a codec for whose input did not decode: why. */
  inputError?: string;
  /** For xattr ops: the attribute's name. */
  name?: string;
  /** Bytes of input (request) or output (reply) the op carries. */
  payload: number;
}

const EXTENT_OPS = new Set<number>([
  OsdOpCode.READ,
  OsdOpCode.SPARSE_READ,
  OsdOpCode.WRITE,
  OsdOpCode.WRITEFULL,
  OsdOpCode.TRUNCATE,
  OsdOpCode.ZERO,
  OsdOpCode.APPEND,
  OsdOpCode.CMPEXT,
]);
const XATTR_OPS = new Set<number>([OsdOpCode.GETXATTR, OsdOpCode.SETXATTR, OsdOpCode.RMXATTR, OsdOpCode.CMPXATTR]);
const WATCH_OPS = ['unwatch', 'legacy-watch', '?', 'watch', '?', 'reconnect', '?', 'ping'];
const text = new TextDecoder('utf-8', { fatal: false });
/** A call's decoded input joins its text (as JSON) only up to this many characters. */
export const CALL_INPUT_TEXT_MAX = 160;

/** Describes each op; `reply` says the data slices are outputs (names of calls are then unknown). */
export function describeOsdOps(ops: readonly OsdOpHead[], data: Uint8Array, reply = false): OpDescription[] {
  let at = 0;
  return ops.map((o) => {
    const payload = data.subarray(at, at + o.payloadLen);
    at += o.payloadLen;
    return describeOp(o, payload, reply);
  });
}

function describeOp(o: OsdOpHead, payload: Uint8Array, reply: boolean): OpDescription {
  const known = osdOpName(o.op);
  const op = known === '???' ? `op 0x${o.op.toString(16)}` : known;
  const u = new DataView(o.union.buffer, o.union.byteOffset, o.union.byteLength);
  const d: OpDescription = { op, text: op, payload: o.payloadLen };
  if (EXTENT_OPS.has(o.op)) {
    const e = readExtentUnion(o.union);
    d.offset = String(e.offset);
    d.length = String(e.length);
    d.text = `${op} ${e.offset}~${e.length}`;
  } else if (o.op === OsdOpCode.CALL && !reply) {
    // ceph_osd_op.cls (src/include/rados.h): u8 class_len, u8 method_len, u8 argc, le32 indata_len.
    const classLen = o.union[0]!;
    const methodLen = o.union[1]!;
    const inLen = u.getUint32(3, true);
    const cls = text.decode(payload.subarray(0, classLen));
    const method = text.decode(payload.subarray(classLen, classLen + methodLen));
    d.method = `${cls}.${method}`;
    d.text = `call ${d.method} in=${inLen}b`;
    describeCallInput(d, cls, method, payload.subarray(classLen + methodLen, classLen + methodLen + inLen));
  } else if (XATTR_OPS.has(o.op) && !reply) {
    const nameLen = u.getUint32(0, true);
    d.name = text.decode(payload.subarray(0, nameLen));
    d.text = `${op} ${d.name} (${u.getUint32(4, true)})`;
  } else if (o.op === OsdOpCode.WATCH) {
    d.text = `watch ${WATCH_OPS[o.union[16]!] ?? o.union[16]} cookie ${u.getBigUint64(0, true)}`;
  } else if (o.op === OsdOpCode.NOTIFY) {
    d.text = `notify cookie ${u.getBigUint64(0, true)}`;
  }
  if (reply && o.payloadLen > 0) d.text += ` out=${o.payloadLen}b`;
  return d;
}

/** Adds a known method's decoded input to `d` (and, when short, to its text); never throws. */
function describeCallInput(d: OpDescription, cls: string, method: string, input: Uint8Array): void {
  const m = clsMethodByName(cls, method);
  if (!m) return;
  let value: unknown;
  try {
    value = m.decodeInput(input);
  } catch (e) {
    d.inputError = e instanceof Error ? e.message : String(e);
    return;
  }
  if (value === undefined) return;
  d.input = toJsonValue(value);
  const json = JSON.stringify(d.input);
  if (json.length <= CALL_INPUT_TEXT_MAX) d.text += ` ${json}`;
}
