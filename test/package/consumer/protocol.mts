// `rados-ts/protocol` as a consumer sees it: the pure codecs.
import { Reader, Writer, crc32c, RadosError, Errno, formatPgId, parsePgId, decodeMonSubscribeAck, type PgId, type MonSubscribeAck } from 'rados-ts/protocol';

export function roundTrip(n: number): number {
  const w = new Writer();
  w.u32(n);
  const bytes = w.finish();
  if (crc32c(0, bytes) === 0) throw new RadosError('unlikely', Errno.EIO);
  return new Reader(bytes).u32('n');
}

export function named(front: Uint8Array): string {
  const pg: PgId = parsePgId('3.1f');
  const ack: MonSubscribeAck = decodeMonSubscribeAck(front);
  return `${formatPgId(pg)} ${ack.fsid}`;
}
