// What a connection needs from an authentication method: the payloads of the AUTH_* frames.
// cephx (protocol/cephx) and "none" implement it; the connection never looks inside.

export interface AuthOutcome {
  /** Signs AUTH_SIGNATURE; empty for auth "none". */
  sessionKey: Uint8Array;
  /** Keys secure mode; empty for auth "none". */
  connectionSecret: Uint8Array;
}

export interface AuthProvider {
  /** CEPH_AUTH_* method id. */
  readonly method: number;
  /** AUTH_REQUEST payload. */
  request(): Promise<Uint8Array>;
  /** AUTH_REPLY_MORE payload → AUTH_REQUEST_MORE payload. */
  replyMore(payload: Uint8Array): Promise<Uint8Array>;
  /** AUTH_DONE; rejects with AuthError if the server's reply does not verify. */
  done(globalId: bigint, conMode: number, payload: Uint8Array): Promise<AuthOutcome>;
}
