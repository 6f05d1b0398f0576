// Follows cephx through a capture the way the client did, to learn each secure connection's
// secret (src/auth/cephx/CephxClientHandler.cc, CephXTicketHandler::build_authorizer):
//  - a mon session: the client's AUTH_REQUEST names it (AUTH_MODE_MON, EntityName, global_id);
//    AUTH_DONE's cephx reply holds the AUTH ticket (session key encrypted with the client's key),
//    the connection secret (encrypted with that session key) and service tickets; later MAuthReply
//    messages (CEPHX_GET_PRINCIPAL_SESSION_KEY) add or renew tickets. The replay is CephxClient's
//    own code, fed the captured payloads.
//  - an OSD or MGR session: the client's authorizer carries the ticket blob of a ticket seen in a
//    mon session, whose session key opens AUTH_DONE's CephXAuthorizeReply and its connection secret.
//  - the service's side: a daemon's key opens its own mon session like any client's, and in it the
//    rotating service secrets it fetches (CEPHX_GET_ROTATING_KEY); the secret a ticket blob names
//    (secret_id) decrypts it to CephXServiceTicketInfo, whose session key opens AUTH_DONE as above —
//    so an OSD's key opens its clients' sessions when the capture holds the OSD fetching its keys.
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { AUTH_MODE_MON } from '../auth/auth-provider.ts';
import { type CephxCipher, createCipher } from '../cephx/cipher.ts';
import { CephxClient, SERVICE_AUTH } from '../cephx/client.ts';
import { decodeDecrypt, decryptEncBl } from '../cephx/envelope.ts';
import { KeyUsage } from '../cephx/key-usage.ts';
import type { KeyringEntry } from '../cephx/keyring.ts';
import { CephxRequestType, decodeAuthorizeReply, decodeResponseHeader, decodeTicketBlob } from '../cephx/messages.ts';
import { decodeRotatingSecrets, decodeServiceTicketInfo } from '../cephx/service-secrets.ts';
import type { ServiceTicket } from '../cephx/tickets.ts';
import { Reader } from '../encoding/reader.ts';
import { base64Encode } from '../encoding/base64.ts';
import { decodeAuthReply } from '../messages/auth-message.ts';
import { MsgType } from '../messages/message-types.ts';
import { decodeAuthDone, decodeAuthRequest } from '../msgr2/auth-frames.ts';
import { frameToMessage } from '../msgr2/message-frame.ts';
import { AuthMethod, Tag } from '../msgr2/tags.ts';
import { decodeEntityName, EntityType, entityTypeName, formatEntityName } from '../types/entity-name.ts';
import type { SessionFrame, TracedSession } from './trace-session.ts';

/** What following cephx learnt of one session: its connection secret, or why there is none. */
export interface SessionKeyVerdict {
  /** Who authenticated: "client.admin" on a mon session, "client.4116" (global id) on others when the ticket's owner is unknown. */
  entity: string;
  /** The peer's service ("mon", "osd", "mgr", …). */
  service: string;
  connectionSecret?: Uint8Array;
  /** Where the key that opened it came from ("client.admin's key", "osd ticket from MAuthReply in session 0"). */
  via?: string;
  /** Why there is no secret. */
  reason?: string;
}

interface KnownTicket {
  ticket: ServiceTicket;
  entity: string;
  /** Where it was seen: "AUTH_DONE of session 3", "MAuthReply in session 3". */
  source: string;
}

/** The ticket blob's identity: its secret id and bytes, as the authorizer repeats them. */
function ticketId(secretId: bigint, blob: Uint8Array): string {
  return `${secretId}:${base64Encode(blob)}`;
}

const SERVICES = [EntityType.MON, EntityType.OSD, EntityType.MGR, EntityType.MDS, SERVICE_AUTH];

/** The handshake frames of a session, in the order sent. */
function handshake(s: TracedSession): { request?: SessionFrame; done?: SessionFrame } {
  const request = s.frames.find((f) => f.dir === 'to-server' && f.tag === Tag.AUTH_REQUEST && f.crc === 'ok');
  const done = s.frames.find((f) => f.dir === 'to-client' && f.tag === Tag.AUTH_DONE && f.crc === 'ok');
  return { ...(request ? { request } : {}), ...(done ? { done } : {}) };
}

/** Follows cephx across the sessions of one capture; mon sessions must be given before the sessions that use their tickets. */
export class CephxFollower {
  private readonly keyring: Map<string, KeyringEntry> | undefined;
  private readonly crypto: CryptoProvider;
  /** Every service ticket seen, by its blob. */
  private readonly tickets = new Map<string, KnownTicket>();
  /** The replayed client of each mon session, for the MAuthReply messages that follow. */
  private readonly clients = new Map<number, { client: CephxClient; entity: string; type: number; principal: CephxCipher }>();
  /** Rotating service secrets seen ("<service type>:<secret_id>"), and whose mon session they came in. */
  private readonly rotating = new Map<string, { key: Parameters<typeof createCipher>[1]; source: string }>();

  constructor(keyring: Map<string, KeyringEntry> | undefined, crypto: CryptoProvider) {
    this.keyring = keyring;
    this.crypto = crypto;
  }

  /** Whether a session's client authenticates to a monitor (its AUTH_REQUEST starts with AUTH_MODE_MON). */
  static isMonSession(s: TracedSession): boolean {
    const { request } = handshake(s);
    if (!request) return false;
    try {
      const a = decodeAuthRequest(request.segments[0]!);
      return a.method === AuthMethod.CEPHX && a.payload[0] === AUTH_MODE_MON;
    } catch {
      return false;
    }
  }

  /** A mon session: the client's key opens AUTH_DONE, giving the connection secret and tickets. */
  async monSession(s: TracedSession): Promise<SessionKeyVerdict> {
    const { request, done } = handshake(s);
    let entity = 'an unknown entity';
    try {
      const r = new Reader(decodeAuthRequest(request!.segments[0]!).payload);
      r.u8('auth_mode');
      const name = decodeEntityName(r);
      entity = formatEntityName(name);
      if (!done) return { entity, service: 'mon', reason: `AUTH_DONE for ${entity} is not in the capture` };
      if (!this.keyring) return { entity, service: 'mon', reason: `no key given (${entity} authenticated here)` };
      const k = this.keyring.get(entity);
      if (!k) return { entity, service: 'mon', reason: `no key for ${entity} in the keyring` };
      const client = new CephxClient({ name, key: k.key, crypto: this.crypto });
      const principal = await createCipher(this.crypto, k.key);
      const d = decodeAuthDone(done.segments[0]!);
      let connectionSecret: Uint8Array;
      try {
        ({ connectionSecret } = await client.monExchange().done(d.globalId, d.conMode, d.payload));
      } catch (e) {
        return { entity, service: 'mon', reason: `key for ${entity} does not open AUTH_DONE (wrong key?): ${(e as Error).message}` };
      }
      this.clients.set(s.id, { client, entity, type: name.type, principal });
      this.register(client, SERVICES, entity, `AUTH_DONE of session ${s.id}`);
      if (s.mode === 'secure' && connectionSecret.length === 0) return { entity, service: 'mon', reason: `AUTH_DONE for ${entity} carries no connection secret` };
      return { entity, service: 'mon', connectionSecret, via: `${entity}'s key` };
    } catch (e) {
      return { entity, service: 'mon', reason: `cephx handshake of ${entity} does not decode: ${(e as Error).message}` };
    }
  }

  /**
   * Tickets a mon session's MAuthReply messages add or renew (CEPHX_GET_PRINCIPAL_SESSION_KEY,
   * encrypted with the AUTH session key); `frames` are its readable frames.
   */
  async learnTickets(s: TracedSession): Promise<number> {
    const known = this.clients.get(s.id);
    if (!known) return 0;
    let n = 0;
    for (const f of s.frames) {
      if (f.dir !== 'to-client' || f.tag !== Tag.MESSAGE || f.crc !== 'ok') continue;
      try {
        const m = frameToMessage({ tag: f.tag, segments: [...f.segments] });
        if (m.header.type !== MsgType.AUTH_REPLY) continue;
        const reply = decodeAuthReply(m.front);
        if (reply.protocol !== AuthMethod.CEPHX || reply.result < 0 || reply.payload.length < 6) continue;
        const r = new Reader(reply.payload);
        const type = decodeResponseHeader(r).requestType;
        if (type === CephxRequestType.GET_ROTATING_KEY) {
          // A daemon's rotating secrets for its own service, encrypted with its key (KeyServer::get_rotating_encrypted).
          const rs = await decodeDecrypt(known.principal, KeyUsage.ROTATING_SECRET, r, 'RotatingSecrets', decodeRotatingSecrets);
          for (const [id, { key }] of rs.secrets) {
            // Imported when a ticket needs it, so a key of a type we cannot use fails there, with its reason.
            this.rotating.set(`${known.type}:${id}`, { key, source: `${known.entity}'s rotating keys (MAuthReply in session ${s.id})` });
          }
          n += rs.secrets.size;
          continue;
        }
        if (type !== CephxRequestType.GET_PRINCIPAL_SESSION_KEY) continue;
        const services = await known.client.handleTicketReply(reply.payload);
        this.register(known.client, services, known.entity, `MAuthReply in session ${s.id}`);
        n += services.length;
      } catch {
        // A reply that does not open is left alone: the sessions that needed its tickets will say so.
      }
    }
    return n;
  }

  /** An OSD, MGR or MDS session: the authorizer's ticket names the session key that opens AUTH_DONE. */
  async serviceSession(s: TracedSession): Promise<SessionKeyVerdict> {
    const { request, done } = handshake(s);
    let entity = 'an unknown client';
    let service = 'an unknown service';
    try {
      if (!request) return { entity, service, reason: 'the AUTH_REQUEST is not in the capture' };
      const a = decodeAuthRequest(request.segments[0]!);
      if (a.method !== AuthMethod.CEPHX) return { entity, service, reason: `auth method ${a.method} is not cephx` };
      // The authorizer (CephXTicketHandler::build_authorizer): u8 1, le64 global_id, le32 service_id, CephXTicketBlob, encrypted CephXAuthorize.
      const r = new Reader(a.payload);
      r.u8('authorizer.struct_v');
      const globalId = r.u64('authorizer.global_id');
      const serviceId = r.u32('authorizer.service_id');
      service = entityTypeName(serviceId);
      const blob = decodeTicketBlob(r);
      entity = `client.${globalId}`;
      let known = this.tickets.get(ticketId(blob.secretId, blob.blob));
      if (known) entity = `${known.entity} (${entity})`;
      if (!this.keyring) return { entity, service, reason: `no key given (${service} session of ${entity})` };
      let via: string | undefined;
      const rotating = this.rotating.get(`${serviceId}:${blob.secretId}`);
      if (!known && rotating) {
        // The service's view: its rotating secret opens the ticket (cephx_verify_authorizer).
        try {
          const info = await decryptEncBl(await createCipher(this.crypto, rotating.key), KeyUsage.TICKET_INFO, blob.blob, 'CephXServiceTicketInfo', decodeServiceTicketInfo);
          entity = `${formatEntityName(info.name)} (client.${info.globalId})`;
          const cipher = await createCipher(this.crypto, info.sessionKey);
          known = { ticket: { service: serviceId, sessionKey: info.sessionKey, cipher, ticket: blob, expires: 0, renewAfter: 0 }, entity, source: rotating.source };
          via = `${service} secret ${blob.secretId} from ${rotating.source}`;
        } catch (e) {
          return { entity, service, reason: `${service} rotating secret ${blob.secretId} does not open the ticket: ${(e as Error).message}` };
        }
      }
      if (!known)
        return {
          entity,
          service,
          reason: `no ticket for ${service} seen in the capture (the mon session that gave ${entity} its ticket was not captured, or its key is not in the keyring)`,
        };
      if (!done) return { entity, service, reason: `AUTH_DONE of ${entity}'s ${service} session is not in the capture` };
      const payload = decodeAuthDone(done.segments[0]!).payload;
      try {
        const reply = await decodeDecrypt(known.ticket.cipher, KeyUsage.AUTHORIZE_REPLY, new Reader(payload), 'CephXAuthorizeReply', decodeAuthorizeReply);
        if (s.mode === 'secure' && reply.connectionSecret.length === 0) return { entity, service, reason: `the ${service}'s authorizer reply carries no connection secret` };
        return { entity, service, connectionSecret: reply.connectionSecret, via: via ?? `${service} ticket from ${known.source}` };
      } catch (e) {
        return { entity, service, reason: `the ${service} ticket's session key does not open AUTH_DONE: ${(e as Error).message}` };
      }
    } catch (e) {
      return { entity, service, reason: `cephx authorizer of ${entity} does not decode: ${(e as Error).message}` };
    }
  }

  private register(client: CephxClient, services: number[], entity: string, source: string): void {
    for (const svc of services) {
      const t = client.ticket(svc);
      if (t) this.tickets.set(ticketId(t.ticket.secretId, t.ticket.blob), { ticket: t, entity, source });
    }
  }
}
