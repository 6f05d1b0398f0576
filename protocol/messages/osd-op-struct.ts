// ceph_osd_op (src/include/rados.h): a packed 38-byte struct: le16 op, le32 flags, a 28-byte
// union whose meaning depends on the op, le32 payload_len (the op's slice of the data segment).
import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

export const OSD_OP_LENGTH = 38;
const UNION_LENGTH = 28;

export interface OsdOpHead {
  op: number;
  flags: number;
  /** The 28 union bytes, raw; see the typed helpers below. */
  union: Uint8Array;
  payloadLen: number;
}

export function decodeOsdOpHead(r: Reader): OsdOpHead {
  return {
    op: r.u16('ceph_osd_op.op'),
    flags: r.u32('ceph_osd_op.flags'),
    union: r.bytes(UNION_LENGTH, 'ceph_osd_op.union').slice(),
    payloadLen: r.u32('ceph_osd_op.payload_len'),
  };
}

export function encodeOsdOpHead(w: Writer, o: OsdOpHead): void {
  w.u16(o.op).u32(o.flags);
  if (o.union.length > UNION_LENGTH) throw new RangeError('ceph_osd_op union is 28 bytes');
  w.bytes(o.union).zeros(UNION_LENGTH - o.union.length);
  w.u32(o.payloadLen);
}

function unionView(): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(UNION_LENGTH);
  return { bytes, view: new DataView(bytes.buffer) };
}

/** extent: le64 offset, le64 length, le64 truncate_size, le32 truncate_seq. */
export function extentUnion(offset: number | bigint, length: number | bigint, truncateSize: bigint = 0n, truncateSeq = 0): Uint8Array {
  const { bytes, view } = unionView();
  view.setBigUint64(0, BigInt(offset), true);
  view.setBigUint64(8, BigInt(length), true);
  view.setBigUint64(16, truncateSize, true);
  view.setUint32(24, truncateSeq, true);
  return bytes;
}
export function readExtentUnion(u: Uint8Array): { offset: bigint; length: bigint; truncateSize: bigint; truncateSeq: number } {
  const v = new DataView(u.buffer, u.byteOffset, u.byteLength);
  return { offset: v.getBigUint64(0, true), length: v.getBigUint64(8, true), truncateSize: v.getBigUint64(16, true), truncateSeq: v.getUint32(24, true) };
}

/** writesame: le64 offset, le64 length, le32 data_length (the pattern's size). */
export function writeSameUnion(offset: number, length: number, dataLength: number): Uint8Array {
  const { bytes, view } = unionView();
  view.setBigUint64(0, BigInt(offset), true);
  view.setBigUint64(8, BigInt(length), true);
  view.setUint32(16, dataLength, true);
  return bytes;
}

/** xattr: le32 name_len, le32 value_len, u8 cmp_op, u8 cmp_mode. */
export function xattrUnion(nameLen: number, valueLen: number, cmpOp = 0, cmpMode = 0): Uint8Array {
  const { bytes, view } = unionView();
  view.setUint32(0, nameLen, true);
  view.setUint32(4, valueLen, true);
  view.setUint8(8, cmpOp);
  view.setUint8(9, cmpMode);
  return bytes;
}

/** cls: u8 class_len, u8 method_len, u8 argc, le32 indata_len. */
export function clsUnion(classLen: number, methodLen: number, indataLen: number): Uint8Array {
  const { bytes, view } = unionView();
  view.setUint8(0, classLen);
  view.setUint8(1, methodLen);
  view.setUint8(2, 0);
  view.setUint32(3, indataLen, true);
  return bytes;
}

/** pgls: le64 count, le32 start_epoch. */
export function pglsUnion(count: number, startEpoch: number): Uint8Array {
  const { bytes, view } = unionView();
  view.setBigUint64(0, BigInt(count), true);
  view.setUint32(8, startEpoch, true);
  return bytes;
}

/** snap: le64 snapid. */
export function snapUnion(snapId: bigint): Uint8Array {
  const { bytes, view } = unionView();
  view.setBigUint64(0, snapId, true);
  return bytes;
}

/** watch: le64 cookie, le64 ver (unused), u8 op, le32 gen, le32 timeout. */
export function watchUnion(cookie: bigint, op: number, gen: number, timeout: number): Uint8Array {
  const { bytes, view } = unionView();
  view.setBigUint64(0, cookie, true);
  view.setBigUint64(8, 0n, true);
  view.setUint8(16, op);
  view.setUint32(17, gen, true);
  view.setUint32(21, timeout, true);
  return bytes;
}

/** notify: le64 cookie. */
export function notifyUnion(cookie: bigint): Uint8Array {
  const { bytes, view } = unionView();
  view.setBigUint64(0, cookie, true);
  return bytes;
}
