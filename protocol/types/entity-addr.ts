import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';
import { ALL_FEATURES, FEATURE_MSG_ADDR2, FEATURE_SERVER_NAUTILUS } from '../features.ts';
import { formatIp, parseIp } from './ip.ts';

/** entity_addr_t::TYPE_* (src/msg/msg_types.h). */
export const AddrType = {
  /** TYPE_NONE: a blank address. */
  NONE: 0,
  /** TYPE_LEGACY: a msgr1 (v1) address, port 6789 for monitors. */
  LEGACY: 1,
  /** TYPE_MSGR2: a msgr2 (v2) address, port 3300 for monitors. */
  MSGR2: 2,
  /** TYPE_ANY: either protocol (what a client advertises). */
  ANY: 3,
  /** TYPE_CIDR: a network range (range blocklist entries). */
  CIDR: 4,
} as const;
const TYPE_NAMES = ['none', 'v1', 'v2', 'any', 'cidr'] as const;

/** AF_INET as Linux numbers it (entity_addr_t keeps the Linux value on the wire): IPv4. */
export const AF_INET = 2;
/** AF_INET6 as Linux numbers it: IPv6. */
export const AF_INET6 = 10;

/** A decoded entity_addr_t. `ip` is text ('127.0.0.1', '::1'); `raw` keeps an unknown family's bytes. */
export interface EntityAddr {
  /** entity_addr_t::type: an AddrType value. */
  type: number;
  /** entity_addr_t::nonce: distinguishes instances at the same address (a client's random nonce, a daemon's pid). */
  nonce: number;
  /** The socket address family: AF_INET, AF_INET6, or 0 for a blank address. */
  family: number;
  /** The IP address as text; empty for a blank address. */
  ip: string;
  /** The TCP port; 0 for a blank address. */
  port: number;
  /** IPv6 only: sin6_flowinfo. */
  flowinfo?: number;
  /** IPv6 only: sin6_scope_id (the interface of a link-local address). */
  scopeId?: number;
  /** The sockaddr bytes of a family other than AF_INET/AF_INET6, kept for re-encoding. */
  raw?: Uint8Array;
}

/**
 * entity_addr_t (src/msg/msg_types.h). New format: u8 marker 1, ENCODE_START(1,1)
 * { le32 type, le32 nonce, le32 sockaddr_len, le16 family, sockaddr data with the port
 * big-endian }. Legacy format (marker 0): 3 pad bytes, le32 nonce, a 128-byte
 * sockaddr_storage whose family is big-endian.
 */
export function decodeEntityAddr(r: Reader, field = 'entity_addr_t'): EntityAddr {
  const marker = r.u8(field);
  if (marker === 0) return decodeLegacyAfterMarker(r, field);
  if (marker !== 1) r.fail(field, `entity_addr_t marker ${marker} is not 0 or 1`, r.offset - 1);
  return r.struct(field, 1, (r) => decodeAddrBody(r, field));
}

function decodeAddrBody(r: Reader, field: string): EntityAddr {
  const type = r.u32(`${field}.type`);
  const nonce = r.u32(`${field}.nonce`);
  const elen = r.u32(`${field}.elen`);
  if (elen === 0) return { type, nonce, family: 0, ip: '', port: 0 };
  const at = r.offset;
  const sa = r.bytes(elen, `${field}.sockaddr`);
  if (elen < 2) r.fail(`${field}.sockaddr`, `sockaddr length ${elen} too short`, at);
  const family = sa[0]! | (sa[1]! << 8);
  return fromSockaddr(type, nonce, family, sa, `${field}.sockaddr`, r, at);
}

function decodeLegacyAfterMarker(r: Reader, field: string): EntityAddr {
  r.skip(3, `${field}.pad`);
  const nonce = r.u32(`${field}.nonce`);
  const at = r.offset;
  const ss = r.bytes(128, `${field}.sockaddr_storage`);
  const family = (ss[0]! << 8) | ss[1]!;
  if (family === 0) return { type: AddrType.LEGACY, nonce, family: 0, ip: '', port: 0 };
  return fromSockaddr(AddrType.LEGACY, nonce, family, ss, `${field}.sockaddr_storage`, r, at);
}

function fromSockaddr(type: number, nonce: number, family: number, sa: Uint8Array, field: string, r: Reader, at: number): EntityAddr {
  const port = sa.length >= 4 ? (sa[2]! << 8) | sa[3]! : 0;
  if (family === AF_INET) {
    if (sa.length < 8) r.fail(field, 'IPv4 sockaddr shorter than 8 bytes', at);
    return { type, nonce, family, ip: formatIp(sa.subarray(4, 8)), port };
  }
  if (family === AF_INET6) {
    if (sa.length < 28) r.fail(field, 'IPv6 sockaddr shorter than 28 bytes', at);
    const dv = new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
    return {
      type,
      nonce,
      family,
      ip: formatIp(sa.subarray(8, 24)),
      port,
      flowinfo: dv.getUint32(4, false),
      scopeId: dv.getUint32(24, true),
    };
  }
  return { type, nonce, family, ip: '', port, raw: sa.slice() };
}

/** The sockaddr bytes after the le16 family, as the kernel lays them out (port and addresses big-endian). */
function sockaddrTail(a: EntityAddr): Uint8Array {
  if (a.family === AF_INET) {
    const out = new Uint8Array(14);
    out[0] = a.port >> 8;
    out[1] = a.port & 0xff;
    out.set(parseIp(a.ip, 4), 2);
    return out;
  }
  if (a.family === AF_INET6) {
    const out = new Uint8Array(26);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, a.port, false);
    dv.setUint32(2, a.flowinfo ?? 0, false);
    out.set(parseIp(a.ip, 16), 6);
    dv.setUint32(22, a.scopeId ?? 0, true);
    return out;
  }
  return a.raw ? a.raw.subarray(2) : new Uint8Array(0);
}

/** Encodes an entity_addr_t; without CEPH_FEATURE_MSG_ADDR2 in features, the legacy 136-byte form. */
export function encodeEntityAddr(w: Writer, a: EntityAddr, features: bigint = ALL_FEATURES): void {
  if ((features & FEATURE_MSG_ADDR2) === 0n) {
    encodeLegacyAddr(w, a);
    return;
  }
  w.u8(1);
  w.struct(1, 1, (w) => {
    let type = a.type;
    if ((features & FEATURE_SERVER_NAUTILUS) === 0n && type === AddrType.ANY) type = AddrType.LEGACY;
    w.u32(type).u32(a.nonce);
    if (a.family === 0) {
      w.u32(0);
      return;
    }
    const tail = sockaddrTail(a);
    w.u32(tail.length + 2)
      .u16(a.family)
      .bytes(tail);
  });
}

function encodeLegacyAddr(w: Writer, a: EntityAddr): void {
  w.u32(0).u32(a.nonce);
  const ss = new Uint8Array(128);
  ss[0] = a.family >> 8;
  ss[1] = a.family & 0xff;
  if (a.family !== 0) ss.set(sockaddrTail(a), 2);
  w.bytes(ss);
}

/** entity_addrvec_t: u8 marker 2 + vector<entity_addr_t>; markers 0 and 1 are a single (legacy or new) address. */
export function decodeEntityAddrvec(r: Reader, field = 'entity_addrvec_t'): EntityAddr[] {
  const marker = r.u8(field);
  if (marker === 0) return [decodeLegacyAfterMarker(r, field)];
  if (marker === 1) return [r.struct(field, 1, (r) => decodeAddrBody(r, field))];
  if (marker !== 2) r.fail(field, `entity_addrvec_t marker ${marker} > 2`, r.offset - 1);
  return r.array(field, (r, i) => decodeEntityAddr(r, `${field}[${i}]`), 7);
}

/** Encodes an entity_addrvec_t; without CEPH_FEATURE_MSG_ADDR2 in features, only its legacy address in legacy form. */
export function encodeEntityAddrvec(w: Writer, addrs: readonly EntityAddr[], features: bigint = ALL_FEATURES): void {
  if ((features & FEATURE_MSG_ADDR2) === 0n) {
    // Unfeatured peers get the single legacy address (entity_addrvec_t::legacy_addr()).
    const legacy = addrs.find((a) => a.type === AddrType.LEGACY) ?? { type: 0, nonce: 0, family: 0, ip: '', port: 0 };
    encodeLegacyAddr(w, legacy);
    return;
  }
  w.u8(2);
  w.array(addrs, (w, a) => encodeEntityAddr(w, a, features));
}

/** As Ceph prints an address: `v2:127.0.0.1:3300/0`, `v1:[::1]:6789/0`, `-` for none. */
export function formatEntityAddr(a: EntityAddr): string {
  if (a.type === AddrType.NONE) return '-';
  const prefix = a.type === AddrType.ANY ? '' : `${TYPE_NAMES[a.type] ?? 'unknown'}:`;
  return `${prefix}${formatLegacyAddr(a)}`;
}

/**
 * entity_addr_t::get_legacy_str: the address without its type (`127.0.0.1:0/3925580493`), as
 * librados hands out a lock holder's address (list_lockers) and librbd blocklists it.
 */
export function formatLegacyAddr(a: EntityAddr): string {
  if (a.type === AddrType.NONE) return '-';
  let host: string;
  if (a.family === AF_INET) host = `${a.ip}:${a.port}`;
  else if (a.family === AF_INET6) host = `[${a.ip}]:${a.port}`;
  else host = `(unrecognized address family ${a.family})`;
  return `${host}/${a.nonce}`;
}

/** As Ceph prints an entity_addrvec_t: one address bare, several in brackets. */
export function formatEntityAddrvec(addrs: readonly EntityAddr[]): string {
  if (addrs.length === 1) return formatEntityAddr(addrs[0]!);
  return `[${addrs.map(formatEntityAddr).join(',')}]`;
}

/**
 * Parses one address as Ceph writes it in `mon host` and dumps:
 * `v2:127.0.0.1:3300/0`, `v1:[::1]:6789`, `127.0.0.1:6789` (type from `defaultType`).
 */
export function parseEntityAddr(text: string, defaultType: number = AddrType.ANY): EntityAddr {
  let s = text.trim();
  let type: number = defaultType;
  const m = /^(v1|v2|any):/.exec(s);
  if (m) {
    type = m[1] === 'v1' ? AddrType.LEGACY : m[1] === 'v2' ? AddrType.MSGR2 : AddrType.ANY;
    s = s.slice(m[0].length);
  }
  let nonce = 0;
  const slash = s.lastIndexOf('/');
  if (slash >= 0 && !s.slice(slash + 1).includes(':')) {
    nonce = Number(s.slice(slash + 1));
    s = s.slice(0, slash);
  }
  let ip: string;
  let portText = '';
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) throw new RangeError(`bad address: ${text}`);
    ip = s.slice(1, close);
    if (s[close + 1] === ':') portText = s.slice(close + 2);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon >= 0 && s.indexOf(':') === colon) {
      ip = s.slice(0, colon);
      portText = s.slice(colon + 1);
    } else ip = s;
  }
  const family = ip.includes(':') ? AF_INET6 : AF_INET;
  parseIp(ip, family === AF_INET ? 4 : 16); // validates
  const port = portText === '' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(nonce) || nonce < 0) {
    throw new RangeError(`bad address: ${text}`);
  }
  const addr: EntityAddr = { type, nonce, family, ip, port };
  if (family === AF_INET6) {
    addr.flowinfo = 0;
    addr.scopeId = 0;
  }
  return addr;
}

/** Parses `[v2:a,v1:b]` or a single address into an address vector. */
export function parseEntityAddrvec(text: string, defaultType: number = AddrType.ANY): EntityAddr[] {
  const s = text.trim();
  if (s.startsWith('[') && /^\[(v1|v2|any):/.test(s)) {
    return s
      .slice(1, -1)
      .split(',')
      .map((p) => parseEntityAddr(p, defaultType));
  }
  return [parseEntityAddr(s, defaultType)];
}
