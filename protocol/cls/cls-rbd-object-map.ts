// The RBD object map: one 2-bit state per data object, kept in rbd_object_map.<id>[.<snap id
// %016x>] as a BitVector<2> (src/common/bit_vector.hpp) and changed only through cls_rbd's
// object_map_* methods (src/cls/rbd/cls_rbd.cc), which also keep the vector's CRCs.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { type ClsMethod, clsRead, clsWrite, decodeNoInput, decodeWhole, noInput, rawBytes } from './cls-method.ts';

/** OBJECT_NONEXISTENT, OBJECT_EXISTS, OBJECT_PENDING, OBJECT_EXISTS_CLEAN (src/include/rbd/object_map_types.h). */
export const ObjectState = { NONEXISTENT: 0, EXISTS: 1, PENDING: 2, EXISTS_CLEAN: 3 } as const;

/** Header flags (get_flags/set_flags): the object map or fast-diff data cannot be trusted. */
export const RBD_FLAG_OBJECT_MAP_INVALID = 1n;
export const RBD_FLAG_FAST_DIFF_INVALID = 2n;

/** object_map_update: objects [start, end) to `state`, optionally only those now in `current`
 *  (the class treats current EXISTS as also matching EXISTS_CLEAN). */
export function encodeObjectMapUpdate(start: number, end: number, state: number, current?: number): Uint8Array {
  const w = new Writer(24).u64(start).u64(end).u8(state);
  if (current === undefined) w.bool(false);
  else w.bool(true).u8(current);
  return w.finish();
}

/** object_map_update input read back: the class always reads the optional current state's presence byte. */
export const decodeObjectMapUpdate = (b: Uint8Array): { start: number; end: number; state: number; current?: number } =>
  decodeWhole(b, 'object_map_update input', (r) => {
    const start = r.u64n('start_object_no');
    const end = r.u64n('end_object_no');
    const state = r.u8('new_object_state');
    const current = r.optional('current_object_state', (r) => r.u8('current_object_state'));
    return current === undefined ? { start, end, state } : { start, end, state, current };
  });

/** object_map_resize: le64 object count, u8 state for new entries. */
export const encodeObjectMapResize = (count: number, state: number): Uint8Array => new Writer(16).u64(count).u8(state).finish();
/** object_map_resize input read back. */
export const decodeObjectMapResize = (b: Uint8Array): { count: number; state: number } =>
  decodeWhole(b, 'object_map_resize input', (r) => ({ count: r.u64n('object_count'), state: r.u8('default_state') }));

/**
 * BitVector<2> as object_map_load returns it: bufferlist header (ENCODE_START(1,1) le64 size),
 * ceil(size / 4) data bytes with element 0 in the top two bits of byte 0, bufferlist footer
 * (CRCs, ignored here: the class checks them). Returns one state per object.
 */
export function decodeObjectMap(b: Uint8Array): Uint8Array {
  const r = new Reader(b);
  const header = new Reader(r.blob('BitVector header'));
  const size = header.struct('BitVector header', 1, (h) => h.u64n('size'));
  const data = r.bytes(Math.ceil(size / 4), 'BitVector data');
  r.blob('BitVector footer');
  const states = new Uint8Array(size);
  for (let i = 0; i < size; i++) states[i] = (data[i >> 2]! >> (6 - 2 * (i & 3))) & 3;
  return states;
}

// --- methods (src/cls/rbd/cls_rbd.cc; object_map_load is RD, the rest RD|WR) ----------------

/** The map as stored: the encoded BitVector<2> (decodeObjectMap reads it; save and snap_remove take it as is). */
// Annotated where inference would print `Uint8Array<ArrayBufferLike>` (TS >= 5.7 only) in our .d.ts.
export const objectMapLoad: ClsMethod<undefined, Uint8Array, 'read'> = clsRead('rbd', 'object_map_load', noInput, decodeNoInput, rawBytes);
export const objectMapSave: ClsMethod<Uint8Array, void, 'write'> = clsWrite('rbd', 'object_map_save', rawBytes, rawBytes);
export const objectMapUpdate = clsWrite(
  'rbd',
  'object_map_update',
  (i: { start: number; end: number; state: number; current?: number }) => encodeObjectMapUpdate(i.start, i.end, i.state, i.current),
  decodeObjectMapUpdate,
);
export const objectMapResize = clsWrite('rbd', 'object_map_resize', (i: { count: number; state: number }) => encodeObjectMapResize(i.count, i.state), decodeObjectMapResize);
/** The head's EXISTS become EXISTS_CLEAN (after its map was saved for a new snapshot). */
export const objectMapSnapAdd = clsWrite('rbd', 'object_map_snap_add', noInput, decodeNoInput);
/** A removed snapshot's map (as object_map_load returned it) folded into this one. */
export const objectMapSnapRemove: ClsMethod<Uint8Array, void, 'write'> = clsWrite('rbd', 'object_map_snap_remove', rawBytes, rawBytes);
