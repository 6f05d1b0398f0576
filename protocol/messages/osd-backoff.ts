// MOSDBackoff (src/messages/MOSDBackoff.h): spg_t, le32 map epoch, u8 op (1 BLOCK, 2 ACK_BLOCK,
// 3 UNBLOCK), le64 id, hobject_t begin, hobject_t end. On BLOCK a client acks and holds ops on
// objects in [begin, end) until UNBLOCK.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeHObject, encodeHObject, type HObject } from '../types/hobject.ts';
import { decodeSpgT, encodeSpgT, type SpgT } from '../types/pg.ts';

export const MOSD_BACKOFF = { type: 61, version: 1, compatVersion: 1 } as const;
export const BackoffOp = { BLOCK: 1, ACK_BLOCK: 2, UNBLOCK: 3 } as const;

export interface OsdBackoff {
  pgid: SpgT;
  epoch: number;
  op: number;
  id: bigint;
  begin: HObject;
  end: HObject;
}

export function decodeOsdBackoff(front: Uint8Array): OsdBackoff {
  const r = new Reader(front);
  return {
    pgid: decodeSpgT(r, 'MOSDBackoff.pgid'),
    epoch: r.u32('MOSDBackoff.map_epoch'),
    op: r.u8('MOSDBackoff.op'),
    id: r.u64('MOSDBackoff.id'),
    begin: decodeHObject(r, 'MOSDBackoff.begin'),
    end: decodeHObject(r, 'MOSDBackoff.end'),
  };
}

export function encodeOsdBackoff(b: OsdBackoff): Uint8Array {
  const w = new Writer(128);
  encodeSpgT(w, b.pgid);
  w.u32(b.epoch).u8(b.op).u64(b.id);
  encodeHObject(w, b.begin);
  encodeHObject(w, b.end);
  return w.finish();
}
