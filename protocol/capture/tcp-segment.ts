// From a captured packet to its TCP segment: the link layer (LINKTYPE_* of tcpdump.org/linktypes.html),
// IPv4 (RFC 791) or IPv6 (RFC 8200, walking extension headers), then TCP (RFC 9293).
import type { CapturedPacket } from './capture-file.ts';

/** One TCP segment of a capture: endpoints as "ip:port" ("[v6]:port" for IPv6). */
export interface TcpSegment {
  timeNs: bigint;
  /** Index of its packet in the capture file. */
  packet: number;
  src: string;
  dst: string;
  seq: number;
  ack: number;
  /** TCP flag bits: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10. */
  flags: number;
  /** The payload bytes captured. */
  payload: Uint8Array;
  /** The payload's length on the wire: more than `payload.length` when the capture's snap length cut the packet. */
  payloadLength: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

/** Where the IP header starts and which IP version it is; undefined for what is not IP. */
function ipStart(linkType: number, p: Uint8Array): { at: number; etherType: number } | undefined {
  const u16 = (i: number): number => (p[i]! << 8) | p[i + 1]!;
  switch (linkType) {
    case 0: // DLT_NULL: a 4-byte address family in the capturing host's byte order.
    case 108: {
      // DLT_LOOP: the same, in network order.
      if (p.length < 4) return undefined;
      const family = linkType === 108 ? u16(2) : p[0] || p[3]!;
      // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs, macOS).
      if (family === 2) return { at: 4, etherType: ETHERTYPE_IPV4 };
      if (family === 10 || family === 24 || family === 28 || family === 30) return { at: 4, etherType: ETHERTYPE_IPV6 };
      return undefined;
    }
    case 1: {
      // Ethernet II, with any number of 802.1Q / 802.1ad tags.
      let at = 12;
      let type = u16(at);
      while ((type === 0x8100 || type === 0x88a8) && at + 6 <= p.length) {
        at += 4;
        type = u16(at);
      }
      return { at: at + 2, etherType: type };
    }
    case 113: // Linux cooked v1: 16-byte header, protocol at 14.
      return p.length >= 16 ? { at: 16, etherType: u16(14) } : undefined;
    case 276: // Linux cooked v2: 20-byte header, protocol at 0.
      return p.length >= 20 ? { at: 20, etherType: u16(0) } : undefined;
    case 101: // Raw IP: the version nibble says which.
    case 12:
      return p.length >= 1 ? { at: 0, etherType: p[0]! >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4 } : undefined;
    case 228:
      return { at: 0, etherType: ETHERTYPE_IPV4 };
    case 229:
      return { at: 0, etherType: ETHERTYPE_IPV6 };
    default:
      return undefined;
  }
}

function ipv4Text(p: Uint8Array, at: number): string {
  return `${p[at]}.${p[at + 1]}.${p[at + 2]}.${p[at + 3]}`;
}

function ipv6Text(p: Uint8Array, at: number): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((p[at + i]! << 8) | p[at + i + 1]!).toString(16));
  // RFC 5952: the longest run of two or more zero words becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return `[${words.join(':')}]`;
  return `[${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}]`;
}

/** The TCP segment a packet carries; undefined when it carries none (ARP, UDP, fragments, an unknown link type). */
export function tcpSegmentOf(packet: CapturedPacket): TcpSegment | undefined {
  const p = packet.data;
  const start = ipStart(packet.linkType, p);
  if (!start) return undefined;
  let at = start.at;
  let src: string;
  let dst: string;
  let ipEnd: number;
  if (start.etherType === ETHERTYPE_IPV4) {
    if (at + 20 > p.length || p[at]! >> 4 !== 4) return undefined;
    const ihl = (p[at]! & 0x0f) * 4;
    if (p[at + 9] !== 6) return undefined;
    // A fragment (offset or more-fragments set) is not a whole segment; loopback never fragments.
    if ((((p[at + 6]! << 8) | p[at + 7]!) & 0x3fff) !== 0) return undefined;
    src = ipv4Text(p, at + 12);
    dst = ipv4Text(p, at + 16);
    ipEnd = at + ((p[at + 2]! << 8) | p[at + 3]!);
    at += ihl;
  } else if (start.etherType === ETHERTYPE_IPV6) {
    if (at + 40 > p.length || p[at]! >> 4 !== 6) return undefined;
    let next = p[at + 6]!;
    src = ipv6Text(p, at + 8);
    dst = ipv6Text(p, at + 24);
    ipEnd = at + 40 + ((p[at + 4]! << 8) | p[at + 5]!);
    at += 40;
    // Hop-by-hop, routing, destination options: skip; a fragment header: not a whole segment.
    while (next === 0 || next === 43 || next === 60) {
      if (at + 2 > p.length) return undefined;
      next = p[at]!;
      at += (p[at + 1]! + 1) * 8;
    }
    if (next !== 6) return undefined;
  } else return undefined;
  if (at + 20 > p.length) return undefined;
  const v = new DataView(p.buffer, p.byteOffset + at, 20);
  const dataOffset = (p[at + 12]! >> 4) * 4;
  const end = Math.min(ipEnd, p.length);
  return {
    timeNs: packet.timeNs,
    packet: packet.index,
    src: `${src}:${v.getUint16(0)}`,
    dst: `${dst}:${v.getUint16(2)}`,
    seq: v.getUint32(4),
    ack: v.getUint32(8),
    flags: p[at + 13]!,
    payload: at + dataOffset <= end ? p.subarray(at + dataOffset, end) : new Uint8Array(0),
    payloadLength: Math.max(0, ipEnd - at - dataOffset),
  };
}
