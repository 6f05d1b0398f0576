// Payloads of the msgr2 handshake frames (frames_v2.h: HelloFrame, AuthRequestFrame, ...).
// Each is one segment, encoded with Ceph's usual little-endian primitives.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddr, type EntityAddr, encodeEntityAddr } from '../types/entity-addr.ts';

/** HelloFrame (src/msg/async/frames_v2.h): the first frame each side sends. */
export interface Hello {
  /** The sender's entity type (CEPH_ENTITY_TYPE_*: 0x01 mon, 0x04 osd, 0x08 client, …). */
  entityType: number;
  /** The address the sender sees its peer at (lets a client learn its own address). */
  peerAddr: EntityAddr;
}
/** The HELLO frame payload: u8 entity type, then the peer's entity_addr_t. */
export function encodeHello(h: Hello): Uint8Array {
  const w = new Writer(64);
  w.u8(h.entityType);
  encodeEntityAddr(w, h.peerAddr);
  return w.finish();
}
/** Decodes a HELLO frame payload. */
export function decodeHello(b: Uint8Array): Hello {
  const r = new Reader(b);
  return { entityType: r.u8('hello.entity_type'), peerAddr: decodeEntityAddr(r, 'hello.peer_addr') };
}

/** AuthRequestFrame: the client's first authentication message. */
export interface AuthRequest {
  /** The auth method: CEPH_AUTH_NONE (1) or CEPH_AUTH_CEPHX (2). */
  method: number;
  /** Connection modes the client accepts, most wanted first: CEPH_CON_MODE_CRC (1), CEPH_CON_MODE_SECURE (2). */
  preferredModes: number[];
  /** The method's own payload (for cephx: the initial request with the entity name and global id). */
  payload: Uint8Array;
}
/** The AUTH_REQUEST frame payload: u32 method, u32 modes, the payload as a bufferlist. */
export function encodeAuthRequest(a: AuthRequest): Uint8Array {
  const w = new Writer(64 + a.payload.length);
  w.u32(a.method);
  w.array(a.preferredModes, (w, m) => w.u32(m));
  w.blob(a.payload);
  return w.finish();
}
/** Decodes an AUTH_REQUEST frame payload. */
export function decodeAuthRequest(b: Uint8Array): AuthRequest {
  const r = new Reader(b);
  return {
    method: r.u32('auth_request.method'),
    preferredModes: r.array('auth_request.preferred_modes', (r) => r.u32('mode'), 4),
    payload: r.blob('auth_request.auth_payload'),
  };
}

/** AuthBadMethodFrame: the server refuses the requested method or modes. */
export interface AuthBadMethod {
  /** The method the client asked for. */
  method: number;
  /** Why it was refused: a negative errno (e.g. -EOPNOTSUPP, -EACCES). */
  result: number;
  /** The auth methods the server would accept. */
  allowedMethods: number[];
  /** The connection modes the server would accept. */
  allowedModes: number[];
}
/** The AUTH_BAD_METHOD frame payload. */
export function encodeAuthBadMethod(a: AuthBadMethod): Uint8Array {
  const w = new Writer(64);
  w.u32(a.method).i32(a.result);
  w.array(a.allowedMethods, (w, m) => w.u32(m));
  w.array(a.allowedModes, (w, m) => w.u32(m));
  return w.finish();
}
/** Decodes an AUTH_BAD_METHOD frame payload. */
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
/** Decodes an AUTH_REPLY_MORE or AUTH_REQUEST_MORE payload: the method's next message. */
export function decodeAuthMore(b: Uint8Array, field = 'auth_more.payload'): Uint8Array {
  return new Reader(b).blob(field);
}

/** AuthDoneFrame: authentication succeeded. */
export interface AuthDone {
  /** The global id the monitor assigned this client instance (the N of client.N in the cluster). */
  globalId: bigint;
  /** The connection mode chosen: CEPH_CON_MODE_CRC (1) or CEPH_CON_MODE_SECURE (2). */
  conMode: number;
  /** The method's final payload (for cephx: the ticket reply, with the connection secret). */
  payload: Uint8Array;
}
/** The AUTH_DONE frame payload: u64 global id, u32 mode, the payload as a bufferlist. */
export function encodeAuthDone(a: AuthDone): Uint8Array {
  return new Writer(16 + a.payload.length).u64(a.globalId).u32(a.conMode).blob(a.payload).finish();
}
/** Decodes an AUTH_DONE frame payload. */
export function decodeAuthDone(b: Uint8Array): AuthDone {
  const r = new Reader(b);
  return { globalId: r.u64('auth_done.global_id'), conMode: r.u32('auth_done.con_mode'), payload: r.blob('auth_done.auth_payload') };
}

/** AUTH_SIGNATURE: a raw sha256 digest (std::array, so no length prefix). */
export function decodeAuthSignature(b: Uint8Array): Uint8Array {
  return new Reader(b).bytes(32, 'auth_signature.sha256');
}
