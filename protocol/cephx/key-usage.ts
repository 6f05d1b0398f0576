// cephx key usages (src/auth/cephx/CephxProtocol.h, CEPHX_KEY_USAGE_*; Ceph 20.2 "Tentacle").
// Every encrypt/decrypt in cephx names the message it protects. aes256k keys derive their
// cipher and integrity keys from it (RFC 8009, protocol/cephx/rfc8009.ts), so a ciphertext made
// for one usage does not decrypt as another; aes (type 1) keys ignore it. CryptoKeyHandler's
// usage-less encrypt()/decrypt() (src/auth/Crypto.h) use usage 0.
export const KeyUsage = {
  /** CryptoKey::encrypt without a usage (default_usage); for aes keys, the challenge proof. */
  DEFAULT: 0x00,
  /** The AUTH session's connection secret (AUTH_DONE), with the AUTH ticket session key. */
  AUTH_CONNECTION_SECRET: 0x03,
  /** CephXServiceTicket (session key + validity): the principal's key for the AUTH ticket, the AUTH session key for others. */
  TICKET_SESSION_KEY: 0x04,
  /** A CephXTicketBlob re-encrypted with the old AUTH session key. */
  TICKET_BLOB: 0x05,
  /** CephXAuthorize, the authorizer's encrypted half, with the ticket session key. */
  AUTHORIZE: 0x10,
  /** CephXAuthorizeChallenge from the service. */
  AUTHORIZE_CHALLENGE: 0x11,
  /** CephXAuthorizeReply from the service. */
  AUTHORIZE_REPLY: 0x12,
  /** Rotating service secrets fetched by daemons. */
  ROTATING_SECRET: 0x20,
  /** CephXServiceTicketInfo inside a ticket blob, with the rotating service key. */
  TICKET_INFO: 0x30,
} as const;
