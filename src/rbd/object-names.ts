// Every RADOS object (and cls lock) name RBD uses, in one place (librbd/Utils.cc, include/rbd_types.h,
// librbd/ObjectMap.cc object_map_name, ManagedLock's RBD_LOCK_NAME).
import { HEAD } from '../../protocol/cls/cls-rbd.ts';

/** The pool's image directory (name ↔ id). */
export const DIRECTORY = 'rbd_directory';
/** v1 clones: parent snapshot → children links, per pool. */
export const CHILDREN = 'rbd_children';
/** ValidatePoolRequest's marker that a pool uses self-managed snapshots. */
export const RBD_INFO = 'rbd_info';
/** The pool's list of RBD namespaces (in the default namespace only; include/rbd_types.h RBD_NAMESPACE). */
export const RBD_NAMESPACE = 'rbd_namespace';
/** The image trash of a pool or namespace (cls_rbd trash_* methods; include/rbd_types.h RBD_TRASH). */
export const RBD_TRASH = 'rbd_trash';
/** Group directory, mirroring state and mgr task queue of a pool or namespace (RBD_GROUP_DIRECTORY, RBD_MIRRORING, RBD_TASK). */
export const RBD_GROUP_DIRECTORY = 'rbd_group_directory';
export const RBD_MIRRORING = 'rbd_mirroring';
export const RBD_TASK = 'rbd_task';
/** The cls_lock name of the exclusive lock on a header, and of an object map's own lock. */
export const RBD_LOCK_NAME = 'rbd_lock';

/** rbd_header.<id>: an image's header. */
export const headerName = (id: string): string => `rbd_header.${id}`;
/** <name>.rbd: a format 1 image's header (librbd util::old_header_name), which the trash refuses. */
export const oldHeaderName = (name: string): string => `${name}.rbd`;
/** rbd_id.<name>: an image's id, by name. */
export const idObjectName = (name: string): string => `rbd_id.${name}`;

/** librbd CreateRequest: rbd_data.<id>, or rbd_data.<header pool id>.<id> when the data lives in another pool. */
export const dataObjectPrefix = (id: string, headerPoolId?: number): string => (headerPoolId === undefined ? `rbd_data.${id}` : `rbd_data.${headerPoolId}.${id}`);
/** <prefix>.%016x: data object `objectNo` of an image. */
export const dataObjectName = (prefix: string, objectNo: number): string => `${prefix}.${objectNo.toString(16).padStart(16, '0')}`;

/** rbd_object_map.<id> for the head, rbd_object_map.<id>.<snap id %016x> for a snapshot. */
export function objectMapName(imageId: string, snapId?: bigint): string {
  return `rbd_object_map.${imageId}${snapId === undefined || snapId === HEAD ? '' : `.${snapId.toString(16).padStart(16, '0')}`}`;
}
