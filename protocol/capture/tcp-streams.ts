// TCP stream reassembly over a whole capture: segments are grouped into connections (a new SYN on
// a finished 4-tuple starts a new one), each direction is put in sequence order with
// retransmitted bytes dropped, and what the capture lacks is reported as gaps, never papered over.
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './tcp-segment.ts';

/** Bytes of one direction, at their offset in the stream, with the packet that brought them. */
export interface StreamChunk {
  offset: number;
  data: Uint8Array;
  timeNs: bigint;
  packet: number;
}

/** Stream bytes the capture does not have (dropped packets, a snap length, a capture that started late). */
export interface StreamGap {
  offset: number;
  length: number;
}

/** One direction of a connection. */
export interface HalfStream {
  from: string;
  to: string;
  /** In stream order; gaps lie between chunks whose offsets do not meet. */
  chunks: StreamChunk[];
  gaps: StreamGap[];
  /** Offset just past the last byte seen. */
  length: number;
  /** The capture holds this direction's SYN, so offset 0 is the stream's first byte. */
  fromStart: boolean;
  /** How this direction ended in the capture, if it did. */
  end: 'fin' | 'rst' | undefined;
  /** Bytes received more than once (retransmissions, keep-alive probes). */
  duplicateBytes: number;
}

/** A TCP connection of the capture. */
export interface TcpConnection {
  /** Order of first appearance in the capture, from 0. */
  id: number;
  /**
   * The side that sent the SYN; without the handshake in the capture, the side with the higher
   * port (the ephemeral one a client connects from).
   */
  client: string;
  server: string;
  toServer: HalfStream;
  toClient: HalfStream;
  firstTimeNs: bigint;
}

interface RawSegment {
  seq: number;
  payload: Uint8Array;
  payloadLength: number;
  timeNs: bigint;
  packet: number;
}

interface Direction {
  from: string;
  to: string;
  isn: number | undefined;
  segments: RawSegment[];
  end: 'fin' | 'rst' | undefined;
  /** The sequence number the FIN took: the stream's length, whatever data the capture lost. */
  finSeq: number | undefined;
}

interface Tracked {
  id: number;
  client: string | undefined;
  firstTimeNs: bigint;
  dirs: Map<string, Direction>;
}

/** Groups segments into connections and reassembles both directions of each. */
export function reassembleTcp(segments: Iterable<TcpSegment>): TcpConnection[] {
  const open = new Map<string, Tracked>();
  const done: Tracked[] = [];
  let ids = 0;
  for (const s of segments) {
    const key = s.src < s.dst ? `${s.src}|${s.dst}` : `${s.dst}|${s.src}`;
    let c = open.get(key);
    const isOpeningSyn = (s.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    // A fresh SYN on a 4-tuple that already carried data or ended is the port being reused.
    if (c && isOpeningSyn && [...c.dirs.values()].some((d) => d.segments.length > 0 || d.end !== undefined)) {
      done.push(c);
      c = undefined;
    }
    if (!c) {
      c = { id: ids++, client: undefined, firstTimeNs: s.timeNs, dirs: new Map() };
      open.set(key, c);
    }
    let d = c.dirs.get(s.src);
    if (!d) {
      d = { from: s.src, to: s.dst, isn: undefined, segments: [], end: undefined, finSeq: undefined };
      c.dirs.set(s.src, d);
    }
    if (s.flags & TCP_SYN) {
      d.isn = (s.seq + 1) >>> 0;
      c.client = isOpeningSyn ? s.src : s.dst;
    }
    if (s.payloadLength > 0) d.segments.push({ seq: s.seq, payload: s.payload, payloadLength: s.payloadLength, timeNs: s.timeNs, packet: s.packet });
    if (s.flags & TCP_RST) d.end = 'rst';
    else if (s.flags & TCP_FIN && d.end === undefined) {
      d.end = 'fin';
      d.finSeq = (s.seq + s.payloadLength) >>> 0;
    }
  }
  done.push(...open.values());
  return done.sort((a, b) => a.id - b.id).map(finish);
}

function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

function finish(c: Tracked): TcpConnection {
  const some = [...c.dirs.values()][0]!;
  const client = c.client ?? (portOf(some.to) > portOf(some.from) ? some.to : some.from);
  const dirs = [...c.dirs.values()];
  const out = dirs.find((d) => d.from === client);
  const back = dirs.find((d) => d.from !== client);
  const server = out?.to ?? back!.from;
  return {
    id: c.id,
    client,
    server,
    toServer: assemble(out, client, server),
    toClient: assemble(back, server, client),
    firstTimeNs: c.firstTimeNs,
  };
}

function assemble(d: Direction | undefined, from: string, to: string): HalfStream {
  const half: HalfStream = { from, to, chunks: [], gaps: [], length: 0, fromStart: d?.isn !== undefined, end: d?.end, duplicateBytes: 0 };
  if (!d) return half;
  if (d.segments.length === 0) {
    // Every data segment lost, but the SYN and FIN seen: the FIN says how many bytes there were.
    const sent = d.isn !== undefined && d.finSeq !== undefined ? (d.finSeq - d.isn) >>> 0 : 0;
    if (sent > 0) half.gaps.push({ offset: 0, length: sent });
    half.length = sent;
    return half;
  }
  // Offsets relative to the ISN (or the first segment seen), unwrapped past 4 GiB by taking each
  // sequence number as the nearest one to the previous segment's (signed 32-bit distance).
  const base = d.isn ?? d.segments[0]!.seq;
  let last = 0;
  const placed = d.segments.map((s) => {
    last += (s.seq - ((base + last) >>> 0)) | 0;
    return { off: last, s };
  });
  // Without the SYN, the earliest byte seen is offset 0.
  const shift = d.isn !== undefined ? 0 : placed.reduce((m, p) => Math.min(m, p.off), Infinity);
  let next = 0;
  placed.sort((a, b) => a.off - b.off || a.s.packet - b.s.packet);
  for (const { off: rawOff, s } of placed) {
    const off = rawOff - shift;
    const end = off + s.payload.length;
    if (end <= next) {
      half.duplicateBytes += s.payload.length;
      continue;
    }
    if (off > next) {
      half.gaps.push({ offset: next, length: off - next });
      next = off;
    }
    half.duplicateBytes += next - off;
    half.chunks.push({ offset: next, data: s.payload.subarray(next - off), timeNs: s.timeNs, packet: s.packet });
    next = end;
  }
  // A last segment cut by the snap length, or data lost before the FIN: the missing tail is a gap too.
  let tail = placed.reduce((m, p) => Math.max(m, p.off - shift + p.s.payloadLength), 0);
  if (d.finSeq !== undefined) tail = Math.max(tail, last + ((d.finSeq - ((base + last) >>> 0)) | 0) - shift);
  if (tail > next) half.gaps.push({ offset: next, length: tail - next });
  half.length = Math.max(next, tail);
  return half;
}
