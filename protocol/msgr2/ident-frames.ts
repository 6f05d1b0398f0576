// CLIENT_IDENT / SERVER_IDENT / IDENT_MISSING_FEATURES payloads (frames_v2.h).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import {
  decodeEntityAddr,
  decodeEntityAddrvec,
  type EntityAddr,
  encodeEntityAddr,
  encodeEntityAddrvec,
} from '../types/entity-addr.ts';

/** CEPH_MSG_CONNECT_LOSSY: the client policy; a lossy session is never reconnected, only replaced. */
export const CONNECT_LOSSY = 1n;

export interface ClientIdent {
  addrs: EntityAddr[];
  targetAddr: EntityAddr;
  gid: bigint;
  globalSeq: bigint;
  supportedFeatures: bigint;
  requiredFeatures: bigint;
  flags: bigint;
  cookie: bigint;
}
export function encodeClientIdent(c: ClientIdent): Uint8Array {
  const w = new Writer(128);
  encodeEntityAddrvec(w, c.addrs);
  encodeEntityAddr(w, c.targetAddr);
  w.i64(c.gid).u64(c.globalSeq).u64(c.supportedFeatures).u64(c.requiredFeatures).u64(c.flags).u64(c.cookie);
  return w.finish();
}
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

export interface ServerIdent {
  addrs: EntityAddr[];
  gid: bigint;
  globalSeq: bigint;
  supportedFeatures: bigint;
  requiredFeatures: bigint;
  flags: bigint;
  cookie: bigint;
}
export function encodeServerIdent(s: ServerIdent): Uint8Array {
  const w = new Writer(128);
  encodeEntityAddrvec(w, s.addrs);
  w.i64(s.gid).u64(s.globalSeq).u64(s.supportedFeatures).u64(s.requiredFeatures).u64(s.flags).u64(s.cookie);
  return w.finish();
}
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

export function encodeIdentMissingFeatures(features: bigint): Uint8Array {
  return new Writer(8).u64(features).finish();
}
export function decodeIdentMissingFeatures(b: Uint8Array): bigint {
  return new Reader(b).u64('ident_missing_features.features');
}
