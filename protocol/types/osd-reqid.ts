import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';
import { decodeEntityNameT, encodeEntityNameT, type EntityNameT } from './entity-name.ts';

/** osd_reqid_t (src/osd/osd_types.h, DENC_START(2,2)): entity_name_t name, le64 tid, le32 inc. */
export interface OsdReqId {
  name: EntityNameT;
  tid: bigint;
  inc: number;
}

export function decodeOsdReqId(r: Reader, field = 'osd_reqid_t'): OsdReqId {
  return r.struct(field, 2, (r) => {
    const name = decodeEntityNameT(r, `${field}.name`);
    const tid = r.u64(`${field}.tid`);
    const inc = r.i32(`${field}.inc`);
    return { name, tid, inc };
  });
}

export function encodeOsdReqId(w: Writer, id: OsdReqId): void {
  w.struct(2, 2, (w) => {
    encodeEntityNameT(w, id.name);
    w.u64(id.tid).i32(id.inc);
  });
}
