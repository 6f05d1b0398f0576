// Measurements behind the README's dependency table: what each card package would cost
// on the paths we keep it off.
import Long from 'long';
import { Reader } from '../protocol/encoding/reader.ts';
import { Writer } from '../protocol/encoding/writer.ts';
import { fmt, rate, table } from './measure.ts';

export default async function bench(): Promise<void> {
  console.log('\n## Card packages on our hot paths (M ops/s, higher is better)');
  const w = new Writer();
  for (let i = 0; i < 1024; i++) w.u64(BigInt(i) * 0x1_0000_0001n);
  const bytes = w.finish();
  const view = new DataView(bytes.buffer);
  const rows: Array<Array<string | number>> = [['operation', 'M ops/s']];

  // u64: our Reader (bigint and number paths) vs long's Long.fromBits.
  let sink = 0;
  const u64Bigint =
    (rate(() => {
      const r = new Reader(bytes);
      for (let i = 0; i < 1024; i++) sink ^= Number(r.u64() & 1n);
    }) *
      1024) /
    1e6;
  const u64Number =
    (rate(() => {
      const r = new Reader(bytes);
      for (let i = 0; i < 1024; i++) sink ^= r.u64n() & 1;
    }) *
      1024) /
    1e6;
  const u64Long =
    (rate(() => {
      for (let i = 0; i < 1024; i++) sink ^= Long.fromBits(view.getUint32(i * 8, true), view.getUint32(i * 8 + 4, true), true).low & 1;
    }) *
      1024) /
    1e6;
  rows.push(['u64 decode, Reader.u64 (bigint)', fmt(u64Bigint)]);
  rows.push(['u64 decode, Reader.u64n (number)', fmt(u64Number)]);
  rows.push(['u64 decode, long Long.fromBits', fmt(u64Long)]);

  // A 38-byte ceph_osd_op-shaped struct: our Reader vs buffer-layout (needs a Node Buffer).
  const BufferLayout = (await import('buffer-layout')).default;
  const layout = BufferLayout.struct([
    BufferLayout.u16('op'),
    BufferLayout.u32('flags'),
    BufferLayout.nu64('offset'),
    BufferLayout.nu64('length'),
    BufferLayout.nu64('truncateSize'),
    BufferLayout.u32('truncateSeq'),
    BufferLayout.u32('payloadLen'),
  ]);
  const op = new Writer().u16(0x2201).u32(0).u64(4096).u64(4096).u64(0).u32(0).u32(4096).finish();
  const opBuf = Buffer.from(op.buffer, op.byteOffset, op.byteLength);
  const viaReader =
    rate(() => {
      const r = new Reader(op);
      sink ^= r.u16() ^ r.u32() ^ r.u64n() ^ r.u64n() ^ r.u64n() ^ r.u32() ^ r.u32();
    }) / 1e6;
  const viaLayout =
    rate(() => {
      sink ^= layout.decode(opBuf)['op']!;
    }) / 1e6;
  rows.push(['ceph_osd_op decode, Reader', fmt(viaReader)]);
  rows.push(['ceph_osd_op decode, buffer-layout', fmt(viaLayout)]);

  // Frame-trace records with binary payloads: msgpackr vs JSON with base64.
  const { pack, unpack } = await import('msgpackr');
  const frame = { dir: 'rx', tag: 17, at: 1234.5, payload: new Uint8Array(4096).fill(7) };
  const viaMsgpack =
    rate(() => {
      sink ^= (unpack(pack(frame)) as { tag: number }).tag;
    }) / 1e6;
  const viaJson =
    rate(() => {
      const s = JSON.stringify({ ...frame, payload: Buffer.from(frame.payload).toString('base64') });
      sink ^= (JSON.parse(s) as { tag: number }).tag;
    }) / 1e6;
  rows.push(['4 KiB trace record round-trip, msgpackr', fmt(viaMsgpack, 3)]);
  rows.push(['4 KiB trace record round-trip, JSON+base64', fmt(viaJson, 3)]);
  table(rows);
  if (sink === 0.5) console.log(sink);
}
