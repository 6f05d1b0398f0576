// cephx wire structures (src/auth/cephx/CephxProtocol.h).
import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

export const CephxRequestType = {
  GET_AUTH_SESSION_KEY: 0x0100,
  GET_PRINCIPAL_SESSION_KEY: 0x0200,
  GET_ROTATING_KEY: 0x0400,
} as const;

/** CephXServerChallenge: u8 1, le64 server_challenge. */
export function decodeServerChallenge(r: Reader): bigint {
  r.u8('CephXServerChallenge.struct_v');
  return r.u64('CephXServerChallenge.server_challenge');
}
export function encodeServerChallenge(w: Writer, challenge: bigint): void {
  w.u8(1).u64(challenge);
}

/** CephXTicketBlob: u8 1, le64 secret_id, bufferlist blob. */
export interface TicketBlob {
  secretId: bigint;
  blob: Uint8Array;
}
export const EMPTY_TICKET: TicketBlob = { secretId: 0n, blob: new Uint8Array(0) };
export function decodeTicketBlob(r: Reader): TicketBlob {
  r.u8('CephXTicketBlob.struct_v');
  return { secretId: r.u64('CephXTicketBlob.secret_id'), blob: r.blob('CephXTicketBlob.blob').slice() };
}
export function encodeTicketBlob(w: Writer, t: TicketBlob): void {
  w.u8(1).u64(t.secretId).blob(t.blob);
}

/** CephXAuthenticate v3: u8 3, le64 client_challenge, le64 key (the proof), old ticket, le32 other_keys. */
export interface Authenticate {
  clientChallenge: bigint;
  key: bigint;
  oldTicket: TicketBlob;
  otherKeys: number;
}
export function encodeAuthenticate(w: Writer, a: Authenticate): void {
  w.u8(3).u64(a.clientChallenge).u64(a.key);
  encodeTicketBlob(w, a.oldTicket);
  w.u32(a.otherKeys);
}
export function decodeAuthenticate(r: Reader): Authenticate {
  const v = r.u8('CephXAuthenticate.struct_v');
  const clientChallenge = r.u64('CephXAuthenticate.client_challenge');
  const key = r.u64('CephXAuthenticate.key');
  const oldTicket = decodeTicketBlob(r);
  const otherKeys = v >= 2 ? r.u32('CephXAuthenticate.other_keys') : 0;
  return { clientChallenge, key, oldTicket, otherKeys };
}

/** CephXResponseHeader: le16 request_type, s32 status. */
export function decodeResponseHeader(r: Reader): { requestType: number; status: number } {
  return { requestType: r.u16('CephXResponseHeader.request_type'), status: r.i32('CephXResponseHeader.status') };
}

/** CephXAuthorize v2 (inside the authorizer's encrypted part). */
export interface Authorize {
  nonce: bigint;
  haveChallenge: boolean;
  serverChallengePlusOne: bigint;
}
export function encodeAuthorize(w: Writer, a: Authorize): void {
  w.u8(2).u64(a.nonce).bool(a.haveChallenge).u64(a.serverChallengePlusOne);
}
export function decodeAuthorize(r: Reader): Authorize {
  const v = r.u8('CephXAuthorize.struct_v');
  const nonce = r.u64('CephXAuthorize.nonce');
  if (v < 2) return { nonce, haveChallenge: false, serverChallengePlusOne: 0n };
  return { nonce, haveChallenge: r.bool('CephXAuthorize.have_challenge'), serverChallengePlusOne: r.u64('CephXAuthorize.server_challenge_plus_one') };
}

/** CephXAuthorizeReply: u8 v, le64 nonce_plus_one, (v2) string connection_secret. */
export function decodeAuthorizeReply(r: Reader): { noncePlusOne: bigint; connectionSecret: Uint8Array } {
  const v = r.u8('CephXAuthorizeReply.struct_v');
  const noncePlusOne = r.u64('CephXAuthorizeReply.nonce_plus_one');
  const connectionSecret = v >= 2 ? r.blob('CephXAuthorizeReply.connection_secret').slice() : new Uint8Array(0);
  return { noncePlusOne, connectionSecret };
}
