// The ops of an MOSDOp or MOSDOpReply as Ceph prints them (OSDOp's operator<< in
// src/osd/osd_types.cc: "writefull 0~4096 in=4096b", "call rbd.get_id in=14b", in a reply
// "getxattr (6) out=6b", "call out=8b"). Each op's input (request) or output (reply) is its
// payload_len slice of the message's data segment, in op order
// (OSDOp::split_osd_op_vector_in_data / _out_data); a reply carries no inputs, so the names of
// its calls and xattrs are not printed (as the OSD prints it). A call of a class method we have
// a codec for (protocol/cls/cls-registry.ts) also carries its decoded input, in the fields only:
// the text stays Ceph's.
import { clsMethodByName } from '../cls/cls-registry.ts';
import { OsdOpCode, osdOpName } from '../messages/osd-op-codes.ts';
import type { OsdOpHead } from '../messages/osd-op-struct.ts';
import { readExtentUnion } from '../messages/osd-op-struct.ts';
import { formatSnapId } from '../types/hobject.ts';
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

/** CEPH_OSD_OP_TYPE_* (rados.h): the op code's second nibble says what the op works on. */
const TYPE_MASK = 0x0f00;
const TYPE_DATA = 0x0200;
const TYPE_ATTR = 0x0300;
const TYPE_EXEC = 0x0400;
const TYPE_PG = 0x0500;
/** Ops whose union is an extent printed "offset~length" (with its truncation and op flags). */
const EXTENT_OPS = new Set<number>([OsdOpCode.READ, OsdOpCode.SPARSE_READ, OsdOpCode.WRITE, OsdOpCode.WRITEFULL, OsdOpCode.ZERO, OsdOpCode.APPEND, OsdOpCode.CMPEXT]);
/** ceph_osd_watch_op_name by CEPH_OSD_WATCH_OP_* value. */
const WATCH_OPS: Record<number, string> = { 0: 'unwatch', 1: 'legacy-watch', 3: 'watch', 5: 'reconnect', 7: 'ping' };
/** ceph_osd_op_flag_name by bit (CEPH_OSD_OP_FLAG_*). */
const OP_FLAGS = ['excl', 'failok', 'fadvise_random', 'fadvise_sequential', 'fadvise_willneed', 'fadvise_dontneed', 'fadvise_nocache', 'with_reference', 'bypass_clean_cache'];
const text = new TextDecoder('utf-8', { fatal: false });

/** ceph_osd_op_flag_string: the set flags' names joined by "+". */
function opFlagString(flags: number): string {
  const names: string[] = [];
  for (let bit = 0; bit < 32; bit++) if (flags & (1 << bit)) names.push(OP_FLAGS[bit] ?? '???');
  return names.length ? names.join('+') : '-';
}

/** Splits the data segment into each op's payload_len slice. */
function slices(ops: readonly OsdOpHead[], data: Uint8Array): Uint8Array[] {
  let at = 0;
  return ops.map((o) => {
    const s = data.subarray(at, at + o.payloadLen);
    at += o.payloadLen;
    return s;
  });
}

/** Describes each op; `reply` says the data slices are outputs. */
export function describeOsdOps(ops: readonly OsdOpHead[], data: Uint8Array, reply = false): OpDescription[] {
  const none = new Uint8Array(0);
  return slices(ops, data).map((slice, i) => describeOp(ops[i]!, reply ? none : slice, reply ? slice : none));
}

function describeOp(o: OsdOpHead, input: Uint8Array, output: Uint8Array): OpDescription {
  const known = osdOpName(o.op);
  const op = known === '???' ? `op 0x${o.op.toString(16)}` : known;
  const u = new DataView(o.union.buffer, o.union.byteOffset, o.union.byteLength);
  const d: OpDescription = { op, text: op, payload: o.payloadLen };
  let args = '';
  switch (o.op & TYPE_MASK) {
    case TYPE_DATA:
      if (EXTENT_OPS.has(o.op)) {
        const e = readExtentUnion(o.union);
        d.offset = String(e.offset);
        d.length = String(e.length);
        args = ` ${e.offset}~${e.length}`;
        if (e.truncateSeq) args += ` [${e.truncateSeq}@${BigInt.asIntN(64, e.truncateSize)}]`;
        if (o.flags) args += ` [${opFlagString(o.flags)}]`;
      } else if (o.op === OsdOpCode.TRUNCATE) {
        args = ` ${u.getBigUint64(0, true)}`;
      } else if (o.op === OsdOpCode.ASSERT_VER) {
        args = ` v${u.getBigUint64(8, true)}`;
      } else if (o.op === OsdOpCode.ROLLBACK) {
        args = ` ${formatSnapId(u.getBigUint64(0, true))}`;
      } else if (o.op === OsdOpCode.WATCH) {
        // watch: le64 cookie, le64 ver, u8 op, le32 gen.
        const gen = u.getUint32(17, true);
        args = ` ${WATCH_OPS[o.union[16]!] ?? '???'} cookie ${u.getBigUint64(0, true)}${gen ? ` gen ${gen}` : ''}`;
      } else if (o.op === OsdOpCode.NOTIFY) {
        args = ` cookie ${u.getBigUint64(0, true)}`;
      } else if (o.op === OsdOpCode.SETALLOCHINT) {
        args = ` object_size ${u.getBigUint64(0, true)} write_size ${u.getBigUint64(8, true)}`;
      }
      break;
    case TYPE_ATTR: {
      // xattr: le32 name_len, le32 value_len, u8 cmp_op, u8 cmp_mode; the name leads the input.
      const nameLen = u.getUint32(0, true);
      const valueLen = u.getUint32(4, true);
      if (nameLen && input.length) {
        d.name = text.decode(input.subarray(0, nameLen));
        args += ` ${d.name}`;
      }
      if (valueLen) args += ` (${valueLen})`;
      if (o.op === OsdOpCode.CMPXATTR) args += ` op ${o.union[8]} mode ${o.union[9]}`;
      break;
    }
    case TYPE_EXEC: {
      // cls: u8 class_len, u8 method_len, u8 argc, le32 indata_len; class and method lead the input.
      const classLen = o.union[0]!;
      const methodLen = o.union[1]!;
      if (classLen && input.length) {
        const cls = text.decode(input.subarray(0, classLen));
        const method = text.decode(input.subarray(classLen, classLen + methodLen));
        d.method = `${cls}.${method}`;
        args = ` ${d.method}`;
        const inLen = u.getUint32(3, true);
        describeCallInput(d, cls, method, input.subarray(classLen + methodLen, classLen + methodLen + inLen));
      }
      break;
    }
    case TYPE_PG:
      // pgls: le64 count, le32 start_epoch.
      if (o.op === OsdOpCode.PGLS || o.op === OsdOpCode.PGNLS) args = ` start_epoch ${u.getUint32(8, true)}`;
      break;
  }
  d.text = `${op}${args}${input.length ? ` in=${input.length}b` : ''}${output.length ? ` out=${output.length}b` : ''}`;
  return d;
}

/** Adds a known method's decoded input to `d`; never throws. */
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
  if (value !== undefined) d.input = toJsonValue(value);
}
