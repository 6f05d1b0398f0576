// Session frames (frames_v2.h). A lossy client never sends RECONNECT, but it must understand
// what a server may send (RESET, RETRY_GLOBAL, WAIT) and the codecs keep captures round-trippable.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddrvec, type EntityAddr, encodeEntityAddrvec } from '../types/entity-addr.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';

/** ReconnectFrame (src/msg/async/frames_v2.h): a client resuming a lossless session. */
export interface Reconnect {
  /** The client's addresses. */
  addrs: EntityAddr[];
  /** The client's session cookie (from its CLIENT_IDENT). */
  clientCookie: bigint;
  /** The server's session cookie (from its SERVER_IDENT). */
  serverCookie: bigint;
  /** The client's global connection sequence. */
  globalSeq: bigint;
  /** How many times this session has reconnected. */
  connectSeq: bigint;
  /** The last message seq the client received, so the server resends what follows. */
  msgSeq: bigint;
}
/** The SESSION_RECONNECT frame payload. */
export function encodeReconnect(c: Reconnect): Uint8Array {
  const w = new Writer(96);
  encodeEntityAddrvec(w, c.addrs);
  w.u64(c.clientCookie).u64(c.serverCookie).u64(c.globalSeq).u64(c.connectSeq).u64(c.msgSeq);
  return w.finish();
}
/** Decodes a SESSION_RECONNECT frame payload. */
export function decodeReconnect(b: Uint8Array): Reconnect {
  const r = new Reader(b);
  return {
    addrs: decodeEntityAddrvec(r, 'reconnect.addrs'),
    clientCookie: r.u64('reconnect.client_cookie'),
    serverCookie: r.u64('reconnect.server_cookie'),
    globalSeq: r.u64('reconnect.global_seq'),
    connectSeq: r.u64('reconnect.connect_seq'),
    msgSeq: r.u64('reconnect.msg_seq'),
  };
}

/** SESSION_RESET: bool full. */
export const encodeReset = (full: boolean): Uint8Array => new Writer(1).bool(full).finish();
/** Decodes a SESSION_RESET payload: whether the peer reset the whole session (full) or just the connection. */
export const decodeReset = (b: Uint8Array): boolean => new Reader(b).bool('reset.full');

/** SESSION_RETRY (connect_seq), SESSION_RETRY_GLOBAL (global_seq), SESSION_RECONNECT_OK (msg_seq), ACK (seq): one u64. */
export const encodeU64Frame = (v: bigint): Uint8Array => new Writer(8).u64(v).finish();
/** Decodes a one-u64 payload (see encodeU64Frame); `field` names it in a DecodeError. */
export const decodeU64Frame = (b: Uint8Array, field: string): bigint => new Reader(b).u64(field);

/** KEEPALIVE2 and KEEPALIVE2_ACK: a utime_t stamp; the ack echoes the stamp it answers. */
export const encodeKeepalive = (t: UTime): Uint8Array => {
  const w = new Writer(8);
  encodeUtime(w, t);
  return w.finish();
};
/** Decodes a KEEPALIVE2 or KEEPALIVE2_ACK payload: its timestamp. */
export const decodeKeepalive = (b: Uint8Array): UTime => decodeUtime(new Reader(b), 'keepalive2.timestamp');
