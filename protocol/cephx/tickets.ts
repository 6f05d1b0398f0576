// Service tickets as the client keeps them (CephXTicketHandler / CephXTicketManager in
// CephxProtocol.cc): per service a session key, the opaque ticket blob for the service, and
// when it expires. A reply lists tickets, each with its session key encrypted for us
// (usage TICKET_SESSION_KEY) and its blob, re-encrypted with the old AUTH session key when
// renewing the AUTH ticket (usage TICKET_BLOB). A session key may be of either key type: the mon
// gives the AUTH session key the client key's type and service session keys the lower of that
// and the service's rotating key type (KeyServer::_build_session_auth_info).
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { Reader } from '../encoding/reader.ts';
import { AuthError, Errno } from '../errors.ts';
import { type CephxCipher, createCipher } from './cipher.ts';
import { type CephCryptoKey, decodeCryptoKey } from './crypto-key.ts';
import { decodeDecrypt } from './envelope.ts';
import { KeyUsage } from './key-usage.ts';
import { decodeTicketBlob, type TicketBlob } from './messages.ts';
import { decodeUtime } from '../types/utime.ts';

export interface ServiceTicket {
  service: number;
  sessionKey: CephCryptoKey;
  cipher: CephxCipher;
  ticket: TicketBlob;
  /** ms since the epoch, by the client's clock. */
  expires: number;
  /** Renew from here on: expires - validity / 4, as CephXTicketHandler does. */
  renewAfter: number;
}

/** CephXTicketManager::verify_service_ticket_reply: decodes every ticket in a reply into `into`. */
export async function readTicketReply(r: Reader, principal: CephxCipher, provider: CryptoProvider, into: Map<number, ServiceTicket>, now: number): Promise<number[]> {
  r.u8('service_ticket_reply.struct_v');
  const n = r.count('service_ticket_reply.count', 8);
  const services: number[] = [];
  for (let i = 0; i < n; i++) {
    const service = r.u32('service_ticket.type');
    r.u8('service_ticket.struct_v');
    const info = await decodeDecrypt(principal, KeyUsage.TICKET_SESSION_KEY, r, 'CephXServiceTicket', (r) => {
      r.u8('CephXServiceTicket.struct_v');
      const sessionKey = decodeCryptoKey(r, 'CephXServiceTicket.session_key');
      const validity = decodeUtime(r, 'CephXServiceTicket.validity');
      return { sessionKey, validity };
    });
    const encrypted = r.u8('service_ticket.ticket_enc');
    let blobBytes: Uint8Array;
    if (encrypted) {
      const old = into.get(service);
      if (!old) throw new AuthError(`cephx: ticket for service ${service} is encrypted with a session key we do not have`, Errno.EACCES);
      blobBytes = await decodeDecrypt(old.cipher, KeyUsage.TICKET_BLOB, r, 'service_ticket.blob', (r) => r.blob('blob').slice());
    } else {
      blobBytes = r.blob('service_ticket.blob').slice();
    }
    const ticket = decodeTicketBlob(new Reader(blobBytes));
    const validityMs = info.validity.sec * 1000 + Math.floor(info.validity.nsec / 1e6);
    into.set(service, {
      service,
      sessionKey: info.sessionKey,
      cipher: await createCipher(provider, info.sessionKey),
      ticket,
      expires: now + validityMs,
      renewAfter: now + validityMs - (info.validity.sec * 1000) / 4,
    });
    services.push(service);
  }
  return services;
}
