// Payloads of the msgr2 handshake frames (frames_v2.h: HelloFrame, AuthRequestFrame, ...).
// Each is one segment, encoded with Ceph's usual little-endian primitives.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddr, type EntityAddr, encodeEntityAddr } from '../types/entity-addr.ts';

export interface Hello {
  entityType: number;
  peerAddr: EntityAddr;
}
export function encodeHello(h: Hello): Uint8Array {
  const w = new Writer(64);
  w.u8(h.entityType);
  encodeEntityAddr(w, h.peerAddr);
  return w.finish();
}
export function decodeHello(b: Uint8Array): Hello {
  const r = new Reader(b);
  return { entityType: r.u8('hello.entity_type'), peerAddr: decodeEntityAddr(r, 'hello.peer_addr') };
}

export interface AuthRequest {
  method: number;
  preferredModes: number[];
  payload: Uint8Array;
}
export function encodeAuthRequest(a: AuthRequest): Uint8Array {
  const w = new Writer(64 + a.payload.length);
  w.u32(a.method);
  w.array(a.preferredModes, (w, m) => w.u32(m));
  w.blob(a.payload);
  return w.finish();
}
export function decodeAuthRequest(b: Uint8Array): AuthRequest {
  const r = new Reader(b);
  return {
    method: r.u32('auth_request.method'),
    preferredModes: r.array('auth_request.preferred_modes', (r) => r.u32('mode'), 4),
    payload: r.blob('auth_request.auth_payload'),
  };
}

export interface AuthBadMethod {
  method: number;
  result: number;
  allowedMethods: number[];
  allowedModes: number[];
}
export function encodeAuthBadMethod(a: AuthBadMethod): Uint8Array {
  const w = new Writer(64);
  w.u32(a.method).i32(a.result);
  w.array(a.allowedMethods, (w, m) => w.u32(m));
  w.array(a.allowedModes, (w, m) => w.u32(m));
  return w.finish();
}
export function decodeAuthBadMethod(b: Uint8Array): AuthBadMethod {
  const r = new Reader(b);
  return {
    method: r.u32('auth_bad_method.method'),
    result: r.i32('auth_bad_method.result'),
    allowedMethods: r.array('auth_bad_method.allowed_methods', (r) => r.u32('method'), 4),
    allowedModes: r.array('auth_bad_method.allowed_modes', (r) => r.u32('mode'), 4),
  };
}

/** AUTH_REPLY_MORE and AUTH_REQUEST_MORE: a single bufferlist. */
export function encodeAuthMore(payload: Uint8Array): Uint8Array {
  return new Writer(4 + payload.length).blob(payload).finish();
}
export function decodeAuthMore(b: Uint8Array, field = 'auth_more.payload'): Uint8Array {
  return new Reader(b).blob(field);
}

export interface AuthDone {
  globalId: bigint;
  conMode: number;
  payload: Uint8Array;
}
export function encodeAuthDone(a: AuthDone): Uint8Array {
  return new Writer(16 + a.payload.length).u64(a.globalId).u32(a.conMode).blob(a.payload).finish();
}
export function decodeAuthDone(b: Uint8Array): AuthDone {
  const r = new Reader(b);
  return { globalId: r.u64('auth_done.global_id'), conMode: r.u32('auth_done.con_mode'), payload: r.blob('auth_done.auth_payload') };
}

/** AUTH_SIGNATURE: a raw sha256 digest (std::array, so no length prefix). */
export function decodeAuthSignature(b: Uint8Array): Uint8Array {
  return new Reader(b).bytes(32, 'auth_signature.sha256');
}
