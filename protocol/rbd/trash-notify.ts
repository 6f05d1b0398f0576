// librbd's notifications on rbd_trash (src/librbd/trash_watcher/Types.cc, TrashWatcher.cc):
// NotifyMessage ENCODE_START(1, 1) { le32 notify_op; payload }. IMAGE_ADDED's payload is the
// image id and its TrashImageSpec, IMAGE_REMOVED's the image id. rbd-mirror and the mgr's trash
// purge schedule watch the object to learn of trash changes without polling.
import { Writer } from '../encoding/writer.ts';
import { encodeTrashImageSpec, type TrashImageSpec } from '../cls/cls-rbd-trash.ts';

/** trash_watcher::NotifyOp. */
export const TrashNotifyOp = { IMAGE_ADDED: 0, IMAGE_REMOVED: 1 } as const;

/** NOTIFY_OP_IMAGE_ADDED: an image went into the trash. */
export const encodeTrashImageAdded = (id: string, spec: TrashImageSpec): Uint8Array =>
  new Writer(64)
    .struct(1, 1, (w) => {
      encodeTrashImageSpec(w.u32(TrashNotifyOp.IMAGE_ADDED).string(id), spec);
    })
    .finish();

/** NOTIFY_OP_IMAGE_REMOVED: an image left the trash (removed or restored). */
export const encodeTrashImageRemoved = (id: string): Uint8Array =>
  new Writer(32)
    .struct(1, 1, (w) => {
      w.u32(TrashNotifyOp.IMAGE_REMOVED).string(id);
    })
    .finish();
