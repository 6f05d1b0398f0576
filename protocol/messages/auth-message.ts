// MAuth (src/messages/MAuth.h): paxos header, le32 protocol, bufferlist auth_payload,
// le32 monmap_epoch. On msgr2 a client sends it only to renew or add service tickets
// (MonClient::_check_auth_tickets). MAuthReply (MAuthReply.h): le32 protocol, s32 result,
// le64 global_id, bufferlist result_bl, string result_msg.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { CLIENT_PAXOS_HEADER, encodePaxosHeader } from './paxos-header.ts';

export const MAUTH = { type: 17, version: 1, compatVersion: 0 } as const;

export function encodeAuthMessage(protocol: number, payload: Uint8Array, monmapEpoch: number): Uint8Array {
  const w = new Writer(32 + payload.length);
  encodePaxosHeader(w, CLIENT_PAXOS_HEADER);
  w.u32(protocol).blob(payload).u32(monmapEpoch);
  return w.finish();
}

export interface AuthReply {
  protocol: number;
  result: number;
  globalId: bigint;
  payload: Uint8Array;
  message: string;
}

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
