// What a connection needs from an authentication method: the payloads of the AUTH_* frames.
// cephx (protocol/cephx) and "none" (auth-none.ts) implement it; the connection never looks inside.
import type { Writer } from '../encoding/writer.ts';
import { encodeEntityName, type EntityName } from '../types/entity-name.ts';

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

/** src/auth/Auth.h: AUTH_MODE_MON, the first byte of a mon connection's AUTH_REQUEST payload. */
export const AUTH_MODE_MON = 10;

/**
 * What every method's AUTH_REQUEST to a monitor starts with (MonConnection::get_auth_request):
 * AUTH_MODE_MON, our entity name, the global id we claim (0 for a new one).
 */
export function monAuthPreamble(w: Writer, name: EntityName, globalId: bigint): Writer {
  w.u8(AUTH_MODE_MON);
  encodeEntityName(w, name);
  w.u64(globalId);
  return w;
}

/** How the auth method renews service tickets through MAuth (MonClient::_check_auth_tickets). */
export interface TicketRenewal {
  protocol: number;
  /** The MAuth payload when tickets are due, else undefined. */
  request(): Promise<Uint8Array | undefined>;
  /** The MAuthReply payload. */
  reply(payload: Uint8Array): Promise<unknown>;
  intervalMs?: number;
}

/**
 * The client's authentication, whatever the method (none, cephx), as the messenger's
 * connections need it (librados: the MonClient's AuthClient handing out auth for mon
 * connections and authorizers for OSD/MGR ones).
 */
export interface AuthClient {
  /** Our entity name, as configured ("client.admin"), in the type.id form. */
  readonly entityName: string;
  /**
   * The exchange for a new connection to a daemon of `peerType` (EntityType): mon
   * authentication for a monitor, an authorizer for the service of any other.
   * `globalId` is ours from the monitors (0 before the first mon authentication).
   */
  exchange(peerType: number, globalId: bigint): AuthProvider;
  /** Service-ticket renewal over the mon session, for methods with tickets (cephx). */
  readonly tickets?: TicketRenewal;
}
