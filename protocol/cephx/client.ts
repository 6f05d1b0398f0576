// The cephx client (src/auth/cephx/CephxClientHandler.cc, CephXTicketHandler::build_authorizer;
// the kernel's net/ceph/auth_x.c): authenticates to the monitors, keeps service tickets, and
// builds authorizers for OSD and MGR connections. Pure: crypto through a CryptoProvider,
// time through a clock function, no I/O.
import { type AuthProvider, monAuthPreamble } from '../auth/auth-provider.ts';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { AuthError, Errno } from '../errors.ts';
import { AuthMethod } from '../msgr2/tags.ts';
import { type EntityName, EntityType } from '../types/entity-name.ts';
import { type CephxCipher, createCipher } from './cipher.ts';
import type { CephCryptoKey } from './crypto-key.ts';
import { decodeDecrypt, decryptEncBl, encodeEncrypt } from './envelope.ts';
import { KeyUsage } from './key-usage.ts';
import { keyType } from './key-types.ts';
import {
  CephxRequestType,
  decodeAuthorizeReply,
  decodeResponseHeader,
  decodeServerChallenge,
  EMPTY_TICKET,
  encodeAuthenticate,
  encodeAuthorize,
  encodeTicketBlob,
} from './messages.ts';
import { challengeProof } from './proof.ts';
import { readTicketReply, type ServiceTicket } from './tickets.ts';

/** CEPH_ENTITY_TYPE_AUTH: the ticket for the auth service itself. */
export const SERVICE_AUTH = 0x20;

export interface CephxClientOptions {
  name: EntityName;
  key: CephCryptoKey;
  crypto: CryptoProvider;
  /** Services we want tickets for; librados asks for MON | OSD | MGR. */
  want?: number;
  /** ms since the epoch; injectable for tests of renewal. */
  now?: () => number;
}

export class CephxClient {
  globalId = 0n;
  readonly name: EntityName;
  private readonly key: CephCryptoKey;
  private readonly crypto: CryptoProvider;
  private readonly want: number;
  private readonly now: () => number;
  private readonly tickets = new Map<number, ServiceTicket>();
  private secret: CephxCipher | undefined;

  constructor(o: CephxClientOptions) {
    // A key of a type we cannot use fails here, naming the type (AuthError, EOPNOTSUPP).
    keyType(o.key.type);
    this.name = o.name;
    this.key = o.key;
    this.crypto = o.crypto;
    this.want = (o.want ?? EntityType.MON | EntityType.OSD | EntityType.MGR) | SERVICE_AUTH;
    this.now = o.now ?? Date.now;
  }

  /** Services (bitmask) whose ticket is missing or due for renewal. */
  need(now = this.now()): number {
    let need = 0;
    for (let bit = 1; bit <= SERVICE_AUTH; bit <<= 1) {
      if (!(this.want & bit)) continue;
      const t = this.tickets.get(bit);
      if (!t || now >= t.renewAfter) need |= bit;
    }
    return need;
  }

  ticket(service: number): ServiceTicket | undefined {
    return this.tickets.get(service);
  }

  private async clientSecret(): Promise<CephxCipher> {
    this.secret ??= await createCipher(this.crypto, this.key);
    return this.secret;
  }

  /** The exchange for a monitor connection: challenge, proof, tickets (CEPHX_GET_AUTH_SESSION_KEY). */
  monExchange(): AuthProvider {
    return {
      method: AuthMethod.CEPHX,
      request: () => {
        // Only a global id we were given with a ticket is ours to reclaim (CVE-2021-20288).
        return Promise.resolve(monAuthPreamble(new Writer(64), this.name, this.tickets.has(SERVICE_AUTH) ? this.globalId : 0n).finish());
      },
      replyMore: async (payload) => {
        const serverChallenge = decodeServerChallenge(new Reader(payload));
        const clientChallenge = randomU64(this.crypto);
        const w = new Writer(128);
        w.u16(CephxRequestType.GET_AUTH_SESSION_KEY);
        encodeAuthenticate(w, {
          clientChallenge,
          key: await challengeProof(await this.clientSecret(), serverChallenge, clientChallenge),
          oldTicket: this.tickets.get(SERVICE_AUTH)?.ticket ?? EMPTY_TICKET,
          // Every wanted service, as librados' fresh per-connection handler asks (0x35 in its
          // captures): the mon sends the connection secret only when other_keys is non-zero, so
          // asking for just the missing tickets would leave a reconnect in secure mode without one.
          otherKeys: this.want,
        });
        return w.finish();
      },
      done: async (globalId, _conMode, payload) => {
        const r = new Reader(payload);
        const header = decodeResponseHeader(r);
        if (header.status < 0) throw new AuthError(`cephx: the monitor refused us (${header.status})`, -header.status);
        if (header.requestType !== CephxRequestType.GET_AUTH_SESSION_KEY) {
          throw new AuthError(`cephx: unexpected reply type 0x${header.requestType.toString(16)}`, Errno.EACCES);
        }
        const now = this.now();
        await readTicketReply(r, await this.clientSecret(), this.crypto, this.tickets, now);
        const auth = this.tickets.get(SERVICE_AUTH);
        if (!auth) throw new AuthError('cephx: the monitor sent no auth ticket', Errno.EACCES);
        let connectionSecret: Uint8Array = new Uint8Array(0);
        if (r.remaining > 0) {
          const cbl = r.blob('cephx.connection_secret');
          const extra = r.blob('cephx.extra_tickets');
          if (cbl.length > 0) {
            connectionSecret = await decodeDecrypt(auth.cipher, KeyUsage.AUTH_CONNECTION_SECRET, new Reader(cbl), 'connection_secret', (r) => r.blob('secret').slice());
          }
          if (extra.length > 0) await readTicketReply(new Reader(extra), auth.cipher, this.crypto, this.tickets, now);
        }
        this.globalId = globalId;
        return { sessionKey: auth.sessionKey.secret, connectionSecret };
      },
    };
  }

  /**
   * The exchange for an OSD or MGR connection: the authorizer (CephXTicketHandler::build_authorizer),
   * the CEPHX_V2 challenge round if the service asks, and the check of its reply.
   */
  authorizerExchange(service: number): AuthProvider {
    const t = this.tickets.get(service);
    if (!t) throw new AuthError(`cephx: no ticket for service ${service}; authenticate to a monitor first`, Errno.EACCES);
    const nonce = randomU64(this.crypto);
    const base = new Writer(64 + t.ticket.blob.length);
    base.u8(1).u64(this.globalId).u32(service);
    encodeTicketBlob(base, t.ticket);
    const baseBytes = base.finish();
    const build = async (haveChallenge: boolean, serverChallenge: bigint): Promise<Uint8Array> => {
      const enc = await encodeEncrypt(t.cipher, KeyUsage.AUTHORIZE, (w) =>
        encodeAuthorize(w, { nonce, haveChallenge, serverChallengePlusOne: haveChallenge ? (serverChallenge + 1n) & 0xffffffffffffffffn : 0n }),
      );
      const out = new Uint8Array(baseBytes.length + enc.length);
      out.set(baseBytes);
      out.set(enc, baseBytes.length);
      return out;
    };
    return {
      method: AuthMethod.CEPHX,
      request: () => build(false, 0n),
      replyMore: async (payload) => {
        // CephXAuthorizeChallenge arrives as a raw encrypted bufferlist (encode_encrypt_enc_bl).
        const challenge = await decryptEncBl(t.cipher, KeyUsage.AUTHORIZE_CHALLENGE, payload, 'CephXAuthorizeChallenge', (r) => {
          r.u8('CephXAuthorizeChallenge.struct_v');
          return r.u64('CephXAuthorizeChallenge.server_challenge');
        });
        return build(true, challenge);
      },
      done: async (_globalId, _conMode, payload) => {
        const reply = await decodeDecrypt(t.cipher, KeyUsage.AUTHORIZE_REPLY, new Reader(payload), 'CephXAuthorizeReply', decodeAuthorizeReply);
        if (reply.noncePlusOne !== ((nonce + 1n) & 0xffffffffffffffffn)) {
          throw new AuthError('cephx: the service answered the authorizer with the wrong nonce', Errno.EACCES);
        }
        return { sessionKey: t.sessionKey.secret, connectionSecret: reply.connectionSecret };
      },
    };
  }

  /**
   * CEPHX_GET_PRINCIPAL_SESSION_KEY (CephxClientHandler::build_request): renews or adds service
   * tickets over an open mon session (sent in MAuth). Undefined when nothing is needed.
   */
  async ticketRequest(): Promise<Uint8Array | undefined> {
    const need = this.need() & ~SERVICE_AUTH;
    if (!need || !this.tickets.has(SERVICE_AUTH)) return undefined;
    const w = new Writer(256);
    w.u16(CephxRequestType.GET_PRINCIPAL_SESSION_KEY);
    w.bytes(await this.authorizerExchange(SERVICE_AUTH).request());
    w.u8(1).u32(need);
    return w.finish();
  }

  /** The MAuthReply payload answering ticketRequest(). */
  async handleTicketReply(payload: Uint8Array): Promise<number[]> {
    const r = new Reader(payload);
    const header = decodeResponseHeader(r);
    if (header.status < 0) throw new AuthError(`cephx: ticket request refused (${header.status})`, -header.status);
    const auth = this.tickets.get(SERVICE_AUTH);
    if (!auth) throw new AuthError('cephx: no auth session key', Errno.EACCES);
    return readTicketReply(r, auth.cipher, this.crypto, this.tickets, this.now());
  }
}

function randomU64(crypto: CryptoProvider): bigint {
  const b = crypto.randomBytes(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}
