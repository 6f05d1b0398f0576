// msgr2 frame tags (src/msg/async/frames_v2.h, `enum class Tag`). Pacific has the first 20;
// msgr2.1 (Quincy+) adds the on-wire compression handshake, 21 and 22.
/** Frame tag numbers (`enum class Tag` in src/msg/async/frames_v2.h). */
export const Tag = {
  /** First frame each side sends: its entity type and the address it sees the peer at. */
  HELLO: 1,
  /** Client → server: the auth method, the connection modes it accepts, and the first auth payload. */
  AUTH_REQUEST: 2,
  /** Server → client: the method or mode was refused; carries the methods and modes it allows. */
  AUTH_BAD_METHOD: 3,
  /** Server → client: another auth round is needed (e.g. the cephx server challenge). */
  AUTH_REPLY_MORE: 4,
  /** Client → server: the answer to AUTH_REPLY_MORE. */
  AUTH_REQUEST_MORE: 5,
  /** Server → client: auth succeeded; carries the global id, the chosen connection mode and the final auth payload. */
  AUTH_DONE: 6,
  /** Each side: HMAC-SHA256, under the session key, of the bytes it received before auth ended. */
  AUTH_SIGNATURE: 7,
  /** Client → server: its addresses, the target address, global id/seq, features and session cookie. */
  CLIENT_IDENT: 8,
  /** Server → client: accepts the session; its addresses, global id/seq, features and cookie. */
  SERVER_IDENT: 9,
  /** Server → client: refused, the client lacks required features (carries the missing bits). */
  IDENT_MISSING_FEATURES: 10,
  /** Client → server: resume a lossless session after a reconnect (cookies, seqs, last message received). */
  SESSION_RECONNECT: 11,
  /** Server → client: the session is unknown; start a fresh one. */
  SESSION_RESET: 12,
  /** Server → client: the connect_seq is stale; reconnect with the one given. */
  SESSION_RETRY: 13,
  /** Server → client: the global_seq is stale; reconnect with a higher one. */
  SESSION_RETRY_GLOBAL: 14,
  /** Server → client: the reconnect is accepted; carries the last message seq it received. */
  SESSION_RECONNECT_OK: 15,
  /** Server → client: a racing connection from the server is in progress; back off and retry. */
  WAIT: 16,
  /** A Ceph message: header, front, middle and data segments. */
  MESSAGE: 17,
  /** Keepalive carrying the sender's timestamp. */
  KEEPALIVE2: 18,
  /** Reply to KEEPALIVE2, echoing its timestamp. */
  KEEPALIVE2_ACK: 19,
  /** Acknowledges received messages up to a seq (lossless sessions only). */
  ACK: 20,
  /** msgr2.1: client asks for on-wire compression (Quincy+). */
  COMPRESSION_REQUEST: 21,
  /** msgr2.1: server's answer to COMPRESSION_REQUEST: whether and how frames are compressed. */
  COMPRESSION_DONE: 22,
} as const;
/** Any frame tag number in Tag. */
export type TagValue = (typeof Tag)[keyof typeof Tag];

const NAMES = new Map<number, string>(Object.entries(Tag).map(([k, v]) => [v, k]));

/** The Tag name of a tag number (for logs and traces); `TAG_<n>` for an unknown one. */
export function tagName(tag: number): string {
  return NAMES.get(tag) ?? `TAG_${tag}`;
}

/** Whether a tag number is one of Tag (a frame with another tag is a protocol error). */
export function isKnownTag(tag: number): boolean {
  return NAMES.has(tag);
}

/** Connection modes negotiated in AUTH_REQUEST/AUTH_DONE (src/include/ceph_fs.h CEPH_CON_MODE_*). */
export const ConMode = {
  /** Not negotiated yet. */
  UNKNOWN: 0,
  /** Integrity only: each segment and the preamble carry a crc32c. */
  CRC: 1,
  /** Encrypted and authenticated with AES-128-GCM under the session key. */
  SECURE: 2,
} as const;

/** Auth methods (src/include/ceph_fs.h CEPH_AUTH_*). */
export const AuthMethod = {
  /** No method chosen. */
  UNKNOWN: 0,
  /** No authentication (`auth_client_required = none`). */
  NONE: 1,
  /** cephx: shared-secret tickets from the monitors. */
  CEPHX: 2,
} as const;
