// cephx as a service sees it (src/auth/cephx/CephxProtocol.h, src/auth/Auth.h): the rotating
// service secrets a daemon fetches from the monitors (CEPHX_GET_ROTATING_KEY), and what a ticket
// blob holds once decrypted with one of them — the ticket and its session key.
import type { Reader } from '../encoding/reader.ts';
import { decodeEntityName, type EntityName } from '../types/entity-name.ts';
import { decodeUtime, type UTime } from '../types/utime.ts';
import { type CephCryptoKey, decodeCryptoKey } from './crypto-key.ts';

/** RotatingSecrets: u8 1, map<le64 secret_id, ExpiringCryptoKey{u8 1, CryptoKey, utime_t expiration}>, le64 max_ver. */
export interface RotatingSecrets {
  secrets: Map<bigint, { key: CephCryptoKey; expiration: UTime }>;
  maxVer: bigint;
}
export function decodeRotatingSecrets(r: Reader): RotatingSecrets {
  r.u8('RotatingSecrets.struct_v');
  const secrets = r.map(
    'RotatingSecrets.secrets',
    (r) => r.u64('secret_id'),
    (r) => {
      r.u8('ExpiringCryptoKey.struct_v');
      return { key: decodeCryptoKey(r, 'ExpiringCryptoKey.key'), expiration: decodeUtime(r, 'ExpiringCryptoKey.expiration') };
    },
  );
  return { secrets, maxVer: r.u64('RotatingSecrets.max_ver') };
}

/**
 * CephXServiceTicketInfo: u8 1, AuthTicket, CryptoKey session_key. AuthTicket (v2): EntityName,
 * le64 global_id, le64 auid (always CEPH_AUTH_UID_DEFAULT), utime_t created, utime_t expires,
 * AuthCapsInfo{u8 1, bool allow_all, bufferlist caps}, le32 flags.
 */
export interface ServiceTicketInfo {
  name: EntityName;
  globalId: bigint;
  sessionKey: CephCryptoKey;
}
export function decodeServiceTicketInfo(r: Reader): ServiceTicketInfo {
  r.u8('CephXServiceTicketInfo.struct_v');
  r.u8('AuthTicket.struct_v');
  const name = decodeEntityName(r, 'AuthTicket.name');
  const globalId = r.u64('AuthTicket.global_id');
  r.u64('AuthTicket.auid');
  decodeUtime(r, 'AuthTicket.created');
  decodeUtime(r, 'AuthTicket.expires');
  r.u8('AuthCapsInfo.struct_v');
  r.bool('AuthCapsInfo.allow_all');
  r.blob('AuthCapsInfo.caps');
  r.u32('AuthTicket.flags');
  return { name, globalId, sessionKey: decodeCryptoKey(r, 'CephXServiceTicketInfo.session_key') };
}
