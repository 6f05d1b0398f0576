// A small pcap reader for loopback captures: libpcap files (µs or ns), Ethernet / Linux cooked
// (SLL, SLL2) / raw IP, IPv4 and IPv6, TCP. Streams are reassembled per direction by sequence
// number, dropping retransmitted bytes. Enough to pull real Ceph sessions out of tcpdump.
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';

export interface TcpStream {
  /** "ip:port" of the side that sent the SYN. */
  client: string;
  server: string;
  /** Bytes the client sent, then bytes the server sent, each in order. */
  clientBytes: Uint8Array;
  serverBytes: Uint8Array;
  /** False when the capture missed bytes (a gap): the stream is cut at the gap. */
  complete: boolean;
}

interface Segment {
  seq: number;
  data: Uint8Array;
}

interface Flow {
  src: string;
  dst: string;
  syn: boolean;
  /** Sent a SYN without ACK: this side opened the connection. */
  opener: boolean;
  isn: number | undefined;
  segments: Segment[];
}

function ipText(b: Uint8Array, v6: boolean): string {
  if (!v6) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return `[${parts.join(':')}]`;
}

export function readPcap(file: Uint8Array): TcpStream[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = v.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && v.getUint32(0, false) !== 0xa1b2c3d4 && v.getUint32(0, false) !== 0xa1b23c4d) throw new Error('not a pcap file');
  const link = v.getUint32(20, le);
  const flows = new Map<string, Flow>();
  let at = 24;
  while (at + 16 <= file.length) {
    const incl = v.getUint32(at + 8, le);
    const pkt = file.subarray(at + 16, at + 16 + incl);
    at += 16 + incl;
    let ipAt: number;
    let etherType: number;
    if (link === 1) {
      etherType = (pkt[12]! << 8) | pkt[13]!;
      ipAt = 14;
    } else if (link === 113) {
      etherType = (pkt[14]! << 8) | pkt[15]!;
      ipAt = 16;
    } else if (link === 276) {
      etherType = (pkt[0]! << 8) | pkt[1]!;
      ipAt = 20;
    } else if (link === 101 || link === 12) {
      etherType = pkt[0]! >> 4 === 6 ? 0x86dd : 0x0800;
      ipAt = 0;
    } else throw new Error(`unsupported pcap link type ${link}`);
    let proto: number;
    let src: string;
    let dst: string;
    let tcpAt: number;
    let ipEnd: number;
    if (etherType === 0x0800) {
      const ihl = (pkt[ipAt]! & 0x0f) * 4;
      proto = pkt[ipAt + 9]!;
      src = ipText(pkt.subarray(ipAt + 12, ipAt + 16), false);
      dst = ipText(pkt.subarray(ipAt + 16, ipAt + 20), false);
      tcpAt = ipAt + ihl;
      ipEnd = ipAt + ((pkt[ipAt + 2]! << 8) | pkt[ipAt + 3]!);
    } else if (etherType === 0x86dd) {
      proto = pkt[ipAt + 6]!;
      src = ipText(pkt.subarray(ipAt + 8, ipAt + 24), true);
      dst = ipText(pkt.subarray(ipAt + 24, ipAt + 40), true);
      tcpAt = ipAt + 40;
      ipEnd = tcpAt + ((pkt[ipAt + 4]! << 8) | pkt[ipAt + 5]!);
    } else continue;
    if (proto !== 6) continue;
    const tv = new DataView(pkt.buffer, pkt.byteOffset + tcpAt);
    const sport = tv.getUint16(0);
    const dport = tv.getUint16(2);
    const seq = tv.getUint32(4);
    const dataOff = (pkt[tcpAt + 12]! >> 4) * 4;
    const flags = pkt[tcpAt + 13]!;
    const from = `${src}:${sport}`;
    const to = `${dst}:${dport}`;
    const key = `${from}>${to}`;
    let flow = flows.get(key);
    if (!flow) {
      flow = { src: from, dst: to, syn: false, opener: false, isn: undefined, segments: [] };
      flows.set(key, flow);
    }
    if (flags & 0x02) {
      flow.syn = true;
      if (!(flags & 0x10)) flow.opener = true;
      flow.isn = (seq + 1) >>> 0;
    }
    const data = pkt.subarray(tcpAt + dataOff, Math.min(ipEnd, pkt.length));
    if (data.length > 0) flow.segments.push({ seq, data: data.slice() });
  }
  let gap = false;
  const assemble = (f: Flow | undefined): Uint8Array => {
    if (!f || f.segments.length === 0) return new Uint8Array(0);
    const base = f.isn ?? f.segments[0]!.seq;
    const rel = f.segments.map((s) => ({ off: (s.seq - base) >>> 0, data: s.data })).sort((a, b) => a.off - b.off);
    const chunks: Uint8Array[] = [];
    let next = 0;
    for (const s of rel) {
      if (s.off + s.data.length <= next) continue; // retransmission
      if (s.off > next) {
        gap = true; // the capture dropped packets: keep what is contiguous
        break;
      }
      chunks.push(s.data.subarray(next - s.off));
      next = s.off + s.data.length;
    }
    return concatBytes(chunks); // contiguous from 0 to `next`
  };
  const streams: TcpStream[] = [];
  for (const f of flows.values()) {
    const back = flows.get(`${f.dst}>${f.src}`);
    // One stream per connection, seen from the side that sent the first SYN (the client).
    if (!back || !f.opener) continue;
    gap = false;
    const clientBytes = assemble(f);
    const serverBytes = assemble(back);
    streams.push({ client: f.src, server: f.dst, clientBytes, serverBytes, complete: !gap });
  }
  return streams;
}
