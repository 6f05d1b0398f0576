// Packet capture files: classic libpcap (µs or ns timestamps, either byte order) and pcapng
// (sections, several interfaces each with its own link type and timestamp resolution).
// Layouts: pcap-savefile(5) and the pcapng specification (IETF draft-ietf-opsawg-pcapng):
// Section Header 0x0A0D0D0A, Interface Description 1, Enhanced Packet 6, Simple Packet 3,
// the obsolete Packet block 2. Packets stay views into the file's bytes: nothing is copied.
import { CaptureFormatError } from './capture-errors.ts';

/** One captured packet as the file stores it. */
export interface CapturedPacket {
  /** Capture time, nanoseconds since the Unix epoch (0n where the format has none: pcapng Simple Packet). */
  timeNs: bigint;
  /** The link type of its interface (LINKTYPE_* numbers of tcpdump.org/linktypes.html). */
  linkType: number;
  /** The bytes captured (maybe fewer than were on the wire: see `originalLength`). */
  data: Uint8Array;
  /** The packet's length on the wire. */
  originalLength: number;
  /** Index of the packet in the file, from 0. */
  index: number;
}

/** What reading a capture file found. */
export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  packets: CapturedPacket[];
  /** Set when the file ends inside a record, or (pcapng) a block after the first is damaged: the packets before it are kept. */
  truncated?: { atOffset: number; reason: string };
}

const PCAP_MICRO = 0xa1b2c3d4;
const PCAP_NANO = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
/** The fixed fields' bytes of the blocks read: Section Header, Interface Description, Packet, Simple Packet, Enhanced Packet. */
const BLOCK_BODY_LEAST: Record<number, number> = { [PCAPNG_SHB]: 16, 1: 8, 2: 20, 3: 4, 6: 20 };

/** Reads a pcap or pcapng file; CaptureFormatError when it is neither. */
export function readCaptureFile(file: Uint8Array): CaptureFile {
  if (file.length < 4) throw new CaptureFormatError(`not a capture file: ${file.length} bytes`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const be = v.getUint32(0, false);
  const le = v.getUint32(0, true);
  if (be === PCAPNG_SHB) return readPcapng(file, v);
  if (be === PCAP_MICRO || be === PCAP_NANO) return readPcap(file, v, false, be === PCAP_NANO);
  if (le === PCAP_MICRO || le === PCAP_NANO) return readPcap(file, v, true, le === PCAP_NANO);
  throw new CaptureFormatError(`not a pcap or pcapng file (magic 0x${be.toString(16).padStart(8, '0')})`);
}

function readPcap(file: Uint8Array, v: DataView, little: boolean, nano: boolean): CaptureFile {
  if (file.length < 24) return { format: 'pcap', packets: [], truncated: { atOffset: 0, reason: 'file header cut short' } };
  // The link type's low 16 bits; the upper bits carry FCS flags (pcap-savefile(5)).
  const linkType = v.getUint32(20, little) & 0xffff;
  const packets: CapturedPacket[] = [];
  let at = 24;
  while (at < file.length) {
    if (at + 16 > file.length) return { format: 'pcap', packets, truncated: { atOffset: at, reason: 'record header cut short' } };
    const sec = v.getUint32(at, little);
    const frac = v.getUint32(at + 4, little);
    const incl = v.getUint32(at + 8, little);
    const orig = v.getUint32(at + 12, little);
    if (at + 16 + incl > file.length)
      return { format: 'pcap', packets, truncated: { atOffset: at, reason: `packet ${packets.length} cut short (${incl} bytes announced, ${file.length - at - 16} present)` } };
    packets.push({
      timeNs: BigInt(sec) * 1_000_000_000n + BigInt(frac) * (nano ? 1n : 1000n),
      linkType,
      data: file.subarray(at + 16, at + 16 + incl),
      originalLength: orig,
      index: packets.length,
    });
    at += 16 + incl;
  }
  return { format: 'pcap', packets };
}

interface PcapngInterface {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second, and an offset in seconds (if_tsresol, if_tsoffset). */
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

function readPcapng(file: Uint8Array, v: DataView): CaptureFile {
  const packets: CapturedPacket[] = [];
  let interfaces: PcapngInterface[] = [];
  let little = true;
  let at = 0;
  const cut = (reason: string): CaptureFile => ({ format: 'pcapng', packets, truncated: { atOffset: at, reason } });
  // A damaged block: in the first one the file is no pcapng; later, the packets before it are kept
  // (as for a file cut short) and the read stops there, saying where and why.
  const damaged = (reason: string): CaptureFile => {
    if (at === 0) throw new CaptureFormatError(reason);
    return cut(`${reason}; the packets before it are read, nothing after it`);
  };
  while (at < file.length) {
    if (at + 12 > file.length) return cut('block header cut short');
    const type = v.getUint32(at, little);
    if (type === PCAPNG_SHB) {
      // A new section may switch byte order; its interfaces replace the last section's.
      const magic = v.getUint32(at + 8, true);
      if (magic === PCAPNG_BYTE_ORDER) little = true;
      else if (v.getUint32(at + 8, false) === PCAPNG_BYTE_ORDER) little = false;
      else return damaged(`pcapng section at ${at}: bad byte-order magic 0x${magic.toString(16)}`);
      interfaces = [];
    }
    const length = v.getUint32(at + 4, little);
    if (length < 12 || length % 4 !== 0) return damaged(`pcapng block at ${at}: impossible length ${length}`);
    if (at + length > file.length) return cut(`block of type ${type} cut short (${length} bytes announced, ${file.length - at} present)`);
    // The block's length is repeated at its end: a mismatch means the length read is not the block's.
    if (v.getUint32(at + length - 4, little) !== length)
      return damaged(`pcapng block at ${at}: its trailing length ${v.getUint32(at + length - 4, little)} is not its length ${length}`);
    const body = at + 8;
    const bodyEnd = at + length - 4;
    const least = BLOCK_BODY_LEAST[type] ?? 0;
    if (bodyEnd - body < least) return damaged(`pcapng block at ${at} of type ${type}: ${bodyEnd - body} bytes of body, fewer than its ${least} fixed ones`);
    if (type === 1) interfaces.push(readInterface(file, v, body, bodyEnd, little));
    else if (type === 6 || type === 2) {
      const obsolete = type === 2;
      const ifIndex = obsolete ? v.getUint16(body, little) : v.getUint32(body, little);
      const iface = interfaces[ifIndex];
      if (!iface) return damaged(`pcapng packet at ${at} names interface ${ifIndex}, which is not described`);
      const ts = (BigInt(v.getUint32(body + 4, little)) << 32n) | BigInt(v.getUint32(body + 8, little));
      const incl = v.getUint32(body + 12, little);
      const orig = v.getUint32(body + 16, little);
      if (body + 20 + incl > bodyEnd) return damaged(`pcapng packet at ${at}: ${incl} bytes do not fit its block`);
      packets.push({ timeNs: toNanos(ts, iface), linkType: iface.linkType, data: file.subarray(body + 20, body + 20 + incl), originalLength: orig, index: packets.length });
    } else if (type === 3) {
      const iface = interfaces[0];
      if (!iface) return damaged(`pcapng simple packet at ${at} before any interface`);
      const orig = v.getUint32(body, little);
      const incl = Math.min(orig, iface.snapLength || orig, bodyEnd - body - 4);
      packets.push({ timeNs: 0n, linkType: iface.linkType, data: file.subarray(body + 4, body + 4 + incl), originalLength: orig, index: packets.length });
    }
    // Other blocks (name resolution, statistics, custom, decryption secrets) say nothing about the packets' bytes.
    at += length;
  }
  return { format: 'pcapng', packets };
}

function readInterface(file: Uint8Array, v: DataView, body: number, end: number, little: boolean): PcapngInterface {
  const iface: PcapngInterface = { linkType: v.getUint16(body, little), snapLength: v.getUint32(body + 4, little), unitsPerSecond: 1_000_000n, offsetSeconds: 0n };
  let at = body + 8;
  while (at + 4 <= end) {
    const code = v.getUint16(at, little);
    const len = v.getUint16(at + 2, little);
    if (code === 0 || at + 4 + len > end) break; // opt_endofopt, or an option that overruns its block
    if (code === 9 && len >= 1) {
      // if_tsresol: high bit clear → 10^-n seconds, set → 2^-n.
      const r = file[at + 4]!;
      iface.unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
    } else if (code === 14 && len >= 8) iface.offsetSeconds = v.getBigInt64(at + 4, little);
    at += 4 + ((len + 3) & ~3);
  }
  return iface;
}

function toNanos(ts: bigint, iface: PcapngInterface): bigint {
  return iface.offsetSeconds * 1_000_000_000n + (ts * 1_000_000_000n) / iface.unitsPerSecond;
}
