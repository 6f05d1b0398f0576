// cls_rbd's image trash: the rbd_trash object's methods (src/cls/rbd/cls_rbd.cc trash_add,
// trash_remove, trash_list, trash_get, trash_state_set; inputs as src/cls/rbd/cls_rbd_client.cc
// sends them) and the entry they keep, cls::rbd::TrashImageSpec (src/cls/rbd/cls_rbd_types.h,
// .cc). The class keeps one omap value per trashed image under "id_<image id>".
//
// TrashImageSpec has been version 2 since Mimic (the `state` byte, for librbd's interrupted
// move / remove / restore recovery); Pacific and Tentacle both write v2. A v1 entry (written by
// Luminous) has no state: the class and librbd read it as NORMAL, and so do we.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';
import { clsRead, clsWrite, decodeWhole } from './cls-method.ts';

/** cls::rbd::TrashImageSource: who put the image in the trash. */
export const TrashImageSource = { USER: 0, MIRRORING: 1, MIGRATION: 2, REMOVING: 3, USER_PARENT: 4 } as const;
/** cls::rbd::TrashImageState: NORMAL at rest; the others mark a move, removal or restore under way. */
export const TrashImageState = { NORMAL: 0, MOVING: 1, REMOVING: 2, RESTORING: 3 } as const;

/** cls::rbd::TrashImageSpec. */
export interface TrashImageSpec {
  /** TrashImageSource. */
  source: number;
  /** The image's name before it was trashed. */
  name: string;
  deletionTime: UTime;
  /** Before this, librbd refuses to remove the image without `force` (EPERM). */
  defermentEndTime: UTime;
  /** TrashImageState (NORMAL for a v1 entry, which has none). */
  state: number;
}

const w = (): Writer => new Writer(48);

/** ENCODE_START(2, 1): u8 source, name, utime deletion_time, utime deferment_end_time, u8 state. */
export function encodeTrashImageSpec(wr: Writer, s: TrashImageSpec): Writer {
  return wr.struct(2, 1, (wr) => {
    wr.u8(s.source).string(s.name);
    encodeUtime(wr, s.deletionTime);
    encodeUtime(wr, s.defermentEndTime);
    wr.u8(s.state);
  });
}

/** TrashImageSpec::decode: the state only from v2 on. */
export function decodeTrashImageSpec(r: Reader): TrashImageSpec {
  return r.struct('TrashImageSpec', 2, (r, v) => ({
    source: r.u8('source'),
    name: r.string('name'),
    deletionTime: decodeUtime(r, 'deletion_time'),
    defermentEndTime: decodeUtime(r, 'deferment_end_time'),
    state: v >= 2 ? r.u8('state') : TrashImageState.NORMAL,
  }));
}

/** trash_add input: image id, TrashImageSpec. */
export interface TrashAdd {
  id: string;
  spec: TrashImageSpec;
}
/** trash_state_set input: image id, the state to set, the state it must be in (or already the new one). */
export interface TrashStateSet {
  id: string;
  state: number;
  expect: number;
}
/** trash_list input: ids after `startAfter`, at most `max`. */
export interface TrashListInput {
  startAfter: string;
  max: number;
}

const encodeId = (id: string): Uint8Array => w().string(id).finish();
const decodeIdInput = (b: Uint8Array): string => decodeWhole(b, 'trash id input', (r) => r.string('id'));

/** Adds an entry (creating rbd_trash); EEXIST if the id is already there. */
export const trashAdd = clsWrite(
  'rbd',
  'trash_add',
  (i: TrashAdd) => encodeTrashImageSpec(w().string(i.id), i.spec).finish(),
  (b) => decodeWhole(b, 'trash_add input', (r) => ({ id: r.string('id'), spec: decodeTrashImageSpec(r) })),
);
/** Removes an entry; ENOENT if there is none. */
export const trashRemove = clsWrite('rbd', 'trash_remove', encodeId, decodeIdInput);
/** map<image id, TrashImageSpec>, ids in order; ENOENT when rbd_trash does not exist. */
export const trashList = clsRead(
  'rbd',
  'trash_list',
  (i: TrashListInput) => w().string(i.startAfter).u64(i.max).finish(),
  (b) => decodeWhole(b, 'trash_list input', (r) => ({ startAfter: r.string('start_after'), max: r.u64n('max_return') })),
  (b) => new Reader(b).map('trash_list', (r) => r.string('id'), decodeTrashImageSpec, 4 + 6),
);
/** One entry; ENOENT if there is none. */
export const trashGet = clsRead('rbd', 'trash_get', encodeId, decodeIdInput, (b) => decodeWhole(b, 'trash_get output', decodeTrashImageSpec));
/** Sets an entry's state if it is `expect` (no-op if already `state`); ESTALE otherwise, ENOENT if no entry. */
export const trashStateSet = clsWrite(
  'rbd',
  'trash_state_set',
  (i: TrashStateSet) => w().string(i.id).u8(i.state).u8(i.expect).finish(),
  (b) => decodeWhole(b, 'trash_state_set input', (r) => ({ id: r.string('id'), state: r.u8('trash_state'), expect: r.u8('expect_state') })),
);
