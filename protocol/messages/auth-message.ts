// MAuth (src/messages/MAuth.h): paxos header, le32 protocol, bufferlist auth_payload,
// le32 monmap_epoch. On msgr2 a client sends it only to renew or add service tickets
// (MonClient::_check_auth_tickets). MAuthReply (MAuthReply.h): le32 protocol, s32 result,
// le64 global_id, bufferlist result_bl, string result_msg.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { CLIENT_PAXOS_HEADER, decodePaxosHeader, encodePaxosHeader } from './paxos-header.ts';

/** MAuth's message type and header versions. */
export const MAUTH = {
  /** Message type id (MsgType.AUTH). */
  type: 17,
  /** Header version: the encoding of the front this library writes. */
  version: 1,
  /** Header compat_version: the oldest encoding a receiver must understand to decode it. */
  compatVersion: 0,
} as const;

/** The front of an MAuth: protocol (CEPH_AUTH_*), the auth method's payload, and the monmap epoch the client has. */
export function encodeAuthMessage(protocol: number, payload: Uint8Array, monmapEpoch: number): Uint8Array {
  const w = new Writer(32 + payload.length);
  encodePaxosHeader(w, CLIENT_PAXOS_HEADER);
  w.u32(protocol).blob(payload).u32(monmapEpoch);
  return w.finish();
}

/** MAuth (src/messages/MAuth.h) as a monitor reads it. */
export interface AuthMessage {
  /** MAuth::protocol: the auth method (CEPH_AUTH_CEPHX = 2), or 0 on a first message that lists methods (msgr1). */
  protocol: number;
  /** MAuth::auth_payload: the method's request (for cephx: CEPHX_GET_PRINCIPAL_SESSION_KEY and its authorizer). */
  payload: Uint8Array;
  /** MAuth::monmap_epoch: the monmap epoch the sender has (0 when absent). */
  monmapEpoch: number;
}

/** Decodes the front of an MAuth (MAuth::decode_payload: the epoch is optional at the end). */
export function decodeAuthMessage(front: Uint8Array): AuthMessage {
  const r = new Reader(front);
  decodePaxosHeader(r);
  const protocol = r.u32('MAuth.protocol');
  const payload = r.blob('MAuth.auth_payload');
  const monmapEpoch = r.remaining > 0 ? r.u32('MAuth.monmap_epoch') : 0;
  return { protocol, payload, monmapEpoch };
}

/** MAuthReply (src/messages/MAuthReply.h): a monitor's answer to MAuth. */
export interface AuthReply {
  /** MAuthReply::protocol: the auth method (CEPH_AUTH_CEPHX = 2). */
  protocol: number;
  /** MAuthReply::result: 0, or a negative errno (e.g. -EACCES). */
  result: number;
  /** MAuthReply::global_id: the client's global id. */
  globalId: bigint;
  /** MAuthReply::result_bl: the method's reply (for cephx: the service tickets). */
  payload: Uint8Array;
  /** MAuthReply::result_msg: a human-readable message, usually empty. */
  message: string;
}

/** Decodes the front of an MAuthReply. */
export function decodeAuthReply(front: Uint8Array): AuthReply {
  const r = new Reader(front);
  return {
    protocol: r.u32('MAuthReply.protocol'),
    result: r.i32('MAuthReply.result'),
    globalId: r.u64('MAuthReply.global_id'),
    payload: r.blob('MAuthReply.result_bl'),
    message: r.string('MAuthReply.result_msg'),
  };
}
