// CLIENT_IDENT / SERVER_IDENT / IDENT_MISSING_FEATURES payloads (frames_v2.h).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddr, decodeEntityAddrvec, type EntityAddr, encodeEntityAddr, encodeEntityAddrvec } from '../types/entity-addr.ts';

/** CEPH_MSG_CONNECT_LOSSY: the client policy; a lossy session is never reconnected, only replaced. */
export const CONNECT_LOSSY = 1n;

/** ClientIdentFrame (src/msg/async/frames_v2.h): who the client is, sent once authentication is done. */
export interface ClientIdent {
  /** The client's own addresses (entity_addrvec_t); a client often sends one blank address with its nonce. */
  addrs: EntityAddr[];
  /** The address the client connected to. */
  targetAddr: EntityAddr;
  /** The client's global id (from AUTH_DONE), or -1 if it has none. */
  gid: bigint;
  /** The client's connection sequence across all its sessions, for ordering reconnect races. */
  globalSeq: bigint;
  /** CEPH_FEATURE_* bits the client supports. */
  supportedFeatures: bigint;
  /** CEPH_FEATURE_* bits the client requires of the server. */
  requiredFeatures: bigint;
  /** CEPH_MSG_CONNECT_* flags; CONNECT_LOSSY for a client policy. */
  flags: bigint;
  /** A random cookie naming this session, echoed when reconnecting it. */
  cookie: bigint;
}
/** The CLIENT_IDENT frame payload. */
export function encodeClientIdent(c: ClientIdent): Uint8Array {
  const w = new Writer(128);
  encodeEntityAddrvec(w, c.addrs);
  encodeEntityAddr(w, c.targetAddr);
  w.i64(c.gid).u64(c.globalSeq).u64(c.supportedFeatures).u64(c.requiredFeatures).u64(c.flags).u64(c.cookie);
  return w.finish();
}
/** Decodes a CLIENT_IDENT frame payload. */
export function decodeClientIdent(b: Uint8Array): ClientIdent {
  const r = new Reader(b);
  return {
    addrs: decodeEntityAddrvec(r, 'client_ident.addrs'),
    targetAddr: decodeEntityAddr(r, 'client_ident.target_addr'),
    gid: r.i64('client_ident.gid'),
    globalSeq: r.u64('client_ident.global_seq'),
    supportedFeatures: r.u64('client_ident.supported_features'),
    requiredFeatures: r.u64('client_ident.required_features'),
    flags: r.u64('client_ident.flags'),
    cookie: r.u64('client_ident.cookie'),
  };
}

/** ServerIdentFrame: the server's answer to CLIENT_IDENT, accepting the session. */
export interface ServerIdent {
  /** The server's addresses (entity_addrvec_t). */
  addrs: EntityAddr[];
  /** The server's global id (e.g. its OSD number for an OSD). */
  gid: bigint;
  /** The server's connection sequence across its sessions. */
  globalSeq: bigint;
  /** CEPH_FEATURE_* bits the server supports; the session uses the intersection with the client's. */
  supportedFeatures: bigint;
  /** CEPH_FEATURE_* bits the server requires of the client. */
  requiredFeatures: bigint;
  /** CEPH_MSG_CONNECT_* flags (CONNECT_LOSSY when the server's policy is lossy). */
  flags: bigint;
  /** The server's cookie for this session. */
  cookie: bigint;
}
/** The SERVER_IDENT frame payload. */
export function encodeServerIdent(s: ServerIdent): Uint8Array {
  const w = new Writer(128);
  encodeEntityAddrvec(w, s.addrs);
  w.i64(s.gid).u64(s.globalSeq).u64(s.supportedFeatures).u64(s.requiredFeatures).u64(s.flags).u64(s.cookie);
  return w.finish();
}
/** Decodes a SERVER_IDENT frame payload. */
export function decodeServerIdent(b: Uint8Array): ServerIdent {
  const r = new Reader(b);
  return {
    addrs: decodeEntityAddrvec(r, 'server_ident.addrs'),
    gid: r.i64('server_ident.gid'),
    globalSeq: r.u64('server_ident.global_seq'),
    supportedFeatures: r.u64('server_ident.supported_features'),
    requiredFeatures: r.u64('server_ident.required_features'),
    flags: r.u64('server_ident.flags'),
    cookie: r.u64('server_ident.cookie'),
  };
}

/** The IDENT_MISSING_FEATURES frame payload: the required feature bits the peer lacks. */
export function encodeIdentMissingFeatures(features: bigint): Uint8Array {
  return new Writer(8).u64(features).finish();
}
/** Decodes an IDENT_MISSING_FEATURES frame payload. */
export function decodeIdentMissingFeatures(b: Uint8Array): bigint {
  return new Reader(b).u64('ident_missing_features.features');
}
