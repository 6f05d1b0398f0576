// msgr2 frame tags (src/msg/async/frames_v2.h, `enum class Tag`). Pacific has the first 20;
// msgr2.1 (Quincy+) adds the on-wire compression handshake, 21 and 22.
export const Tag = {
  HELLO: 1,
  AUTH_REQUEST: 2,
  AUTH_BAD_METHOD: 3,
  AUTH_REPLY_MORE: 4,
  AUTH_REQUEST_MORE: 5,
  AUTH_DONE: 6,
  AUTH_SIGNATURE: 7,
  CLIENT_IDENT: 8,
  SERVER_IDENT: 9,
  IDENT_MISSING_FEATURES: 10,
  SESSION_RECONNECT: 11,
  SESSION_RESET: 12,
  SESSION_RETRY: 13,
  SESSION_RETRY_GLOBAL: 14,
  SESSION_RECONNECT_OK: 15,
  WAIT: 16,
  MESSAGE: 17,
  KEEPALIVE2: 18,
  KEEPALIVE2_ACK: 19,
  ACK: 20,
  COMPRESSION_REQUEST: 21,
  COMPRESSION_DONE: 22,
} as const;
export type TagValue = (typeof Tag)[keyof typeof Tag];

const NAMES = new Map<number, string>(Object.entries(Tag).map(([k, v]) => [v, k]));

export function tagName(tag: number): string {
  return NAMES.get(tag) ?? `TAG_${tag}`;
}

export function isKnownTag(tag: number): boolean {
  return NAMES.has(tag);
}

/** Connection modes negotiated in AUTH_REQUEST/AUTH_DONE (src/include/ceph_fs.h CEPH_CON_MODE_*). */
export const ConMode = { UNKNOWN: 0, CRC: 1, SECURE: 2 } as const;

/** Auth methods (src/include/ceph_fs.h CEPH_AUTH_*). */
export const AuthMethod = { UNKNOWN: 0, NONE: 1, CEPHX: 2 } as const;
