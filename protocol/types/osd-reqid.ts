import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';
import { decodeEntityNameT, encodeEntityNameT, type EntityNameT } from './entity-name.ts';

/** osd_reqid_t (src/osd/osd_types.h, DENC_START(2,2)): entity_name_t name, le64 tid, le32 inc. */
export interface OsdReqId {
  /** osd_reqid_t::name: the client that issued the request (e.g. client.4123). */
  name: EntityNameT;
  /** osd_reqid_t::tid: the client's transaction id for the request. */
  tid: bigint;
  /** osd_reqid_t::inc: the client's incarnation; 0 for librados clients. */
  inc: number;
}

/** Decodes an osd_reqid_t. */
export function decodeOsdReqId(r: Reader, field = 'osd_reqid_t'): OsdReqId {
  return r.struct(field, 2, (r) => {
    const name = decodeEntityNameT(r, `${field}.name`);
    const tid = r.u64(`${field}.tid`);
    const inc = r.i32(`${field}.inc`);
    return { name, tid, inc };
  });
}

/** Encodes an osd_reqid_t. */
export function encodeOsdReqId(w: Writer, id: OsdReqId): void {
  w.struct(2, 2, (w) => {
    encodeEntityNameT(w, id.name);
    w.u64(id.tid).i32(id.inc);
  });
}
