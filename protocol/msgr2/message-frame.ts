// MESSAGE frames: segment 0 is ceph_msg_header2 (src/include/msgr.h, 41 bytes packed), then
// front, middle and data. The peer's name, the lengths and crcs of msgr1's header are implied
// by the connection and the frame itself.
import { ProtocolError } from '../errors.ts';
import { DEFAULT_ALIGNMENT, type Frame, type OutFrame, type OutSegment, PAGE_ALIGNMENT } from './frame.ts';
import { Tag } from './tags.ts';

/** sizeof(ceph_msg_header2): the packed header segment of a MESSAGE frame, in bytes. */
export const MSG_HEADER2_LENGTH = 41;
/** CEPH_MSG_PRIO_DEFAULT (msgr.h). */
export const MSG_PRIO_DEFAULT = 127;

/** ceph_msg_header2 (src/include/msgr.h): a message's header as msgr2 sends it. */
export interface MessageHeader {
  /** ceph_msg_header2::seq: the message's sequence number on this session (1, 2, …). */
  seq: bigint;
  /** ceph_msg_header2::tid: the transaction id the sender chose (e.g. an Objecter op's tid); 0 if none. */
  tid: bigint;
  /** ceph_msg_header2::type: the message type (MsgType). */
  type: number;
  /** ceph_msg_header2::priority: higher is sent first; MSG_PRIO_DEFAULT usually. */
  priority: number;
  /** ceph_msg_header2::version: the encoding version of the message's front. */
  version: number;
  /** ceph_msg_header2::data_pre_padding_len: padding before the data segment (0 in practice). */
  dataPrePaddingLen: number;
  /** ceph_msg_header2::data_off: the sender's offset hint for the data (for page alignment), in bytes. */
  dataOff: number;
  /** ceph_msg_header2::ack_seq: the highest seq the sender has received from its peer. */
  ackSeq: bigint;
  /** ceph_msg_header2::flags: CEPH_MSG_* header flags. */
  flags: number;
  /** ceph_msg_header2::compat_version: the oldest encoding version a decoder must understand. */
  compatVersion: number;
  /** ceph_msg_header2::reserved: unused; 0. */
  reserved: number;
}

/**
 * A received message. Its data is the one data segment the frame carried, so replies are read
 * in place (subarrays of the received buffer, no copy).
 */
export interface Message {
  /** The header (segment 0 of the frame). */
  header: MessageHeader;
  /** The front: the message's own encoded fields. */
  front: Uint8Array;
  /** The middle: rarely used (empty for a client's messages). */
  middle: Uint8Array;
  /** The data: bulk payload (e.g. object bytes of a write or read), page-aligned in the frame. */
  data: Uint8Array;
}

/** A message to send: its data may be a list of buffers (the ops' payloads), sent without gathering. */
export interface OutMessage {
  /** The header (segment 0 of the frame). */
  header: MessageHeader;
  /** The front: the message's own encoded fields. */
  front: Uint8Array;
  /** The middle: empty for a client's messages. */
  middle: Uint8Array;
  /** The data: bulk payload (e.g. a write's bytes), one buffer or several sent back to back. */
  data: OutSegment;
}

/** Encodes a header into MSG_HEADER2_LENGTH little-endian bytes. */
export function encodeMessageHeader(h: MessageHeader): Uint8Array {
  const b = new Uint8Array(MSG_HEADER2_LENGTH);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, h.seq, true);
  v.setBigUint64(8, h.tid, true);
  v.setUint16(16, h.type, true);
  v.setUint16(18, h.priority, true);
  v.setUint16(20, h.version, true);
  v.setUint32(22, h.dataPrePaddingLen, true);
  v.setUint16(26, h.dataOff, true);
  v.setBigUint64(28, h.ackSeq, true);
  v.setUint8(36, h.flags);
  v.setUint16(37, h.compatVersion, true);
  v.setUint16(39, h.reserved, true);
  return b;
}

/** Decodes a MESSAGE frame's header segment; a wrong length is a ProtocolError. */
export function decodeMessageHeader(b: Uint8Array): MessageHeader {
  if (b.length !== MSG_HEADER2_LENGTH) throw new ProtocolError(`MESSAGE header segment is ${b.length} bytes, expected ${MSG_HEADER2_LENGTH}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    seq: v.getBigUint64(0, true),
    tid: v.getBigUint64(8, true),
    type: v.getUint16(16, true),
    priority: v.getUint16(18, true),
    version: v.getUint16(20, true),
    dataPrePaddingLen: v.getUint32(22, true),
    dataOff: v.getUint16(26, true),
    ackSeq: v.getBigUint64(28, true),
    flags: v.getUint8(36),
    compatVersion: v.getUint16(37, true),
    reserved: v.getUint16(39, true),
  };
}

const EMPTY = new Uint8Array(0);

/** The MESSAGE frame carrying a message: header, front, middle, data segments. */
export function messageToFrame(m: OutMessage): OutFrame {
  return {
    tag: Tag.MESSAGE,
    segments: [encodeMessageHeader(m.header), m.front, m.middle, m.data],
    aligns: [DEFAULT_ALIGNMENT, DEFAULT_ALIGNMENT, DEFAULT_ALIGNMENT, PAGE_ALIGNMENT],
  };
}

/** The message a MESSAGE frame carries; missing segments are empty. */
export function frameToMessage(f: Frame): Message {
  return {
    header: decodeMessageHeader(f.segments[0] ?? EMPTY),
    front: f.segments[1] ?? EMPTY,
    middle: f.segments[2] ?? EMPTY,
    data: f.segments[3] ?? EMPTY,
  };
}
