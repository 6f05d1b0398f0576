// Snapshot operations on an open image (librbd operation/SnapshotCreateRequest.cc,
// SnapshotRemoveRequest.cc, SnapshotRenameRequest.cc, SnapshotProtect/UnprotectRequest.cc).
// Removing a snapshot first moves it to the trash namespace; it is only deleted when no v2 clone
// is attached to it, so a parent's snapshot outlives its user-visible removal until its last
// clone is removed or flattened (then the clone's DetachChildRequest deletes it).
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import type { ObjectClsCall } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { listChildren } from './clone.ts';
import { Feature } from './features.ts';
import type { ParentSpec, SnapInfo } from './image-header.ts';
import type { ObjectMap } from './object-map.ts';

/** What the snapshot operations see of an open image (kept fresh by `refresh`). */
export interface SnapshotHost {
  readonly name: string;
  readonly id: string;
  /** The header's pool. */
  readonly ioctx: IoCtx;
  /** The data objects' pool: snapshot ids are allocated there (librbd's data_ctx). */
  readonly data: IoCtx;
  readonly features: bigint;
  /** Every snapshot, in every namespace. */
  readonly snaps: SnapInfo[];
  readonly objectMap: ObjectMap | undefined;
  /** The head's parent (undefined once flattened), and the header's parent link kept for snapshots. */
  readonly headParent: ParentSpec | undefined;
  readonly parentLink: cls.ParentImageSpec | undefined;
  /** cls calls on the image's header. */
  readonly call: ObjectClsCall;
  refresh(options?: CallOptions): Promise<void>;
  /** DetachChildRequest: leave the parent's snapshot (when no snapshot or head needs it any more). */
  detachChild(options?: CallOptions): Promise<void>;
}

/** Snapshots `rbd snap ls` shows (the user namespace), by name. */
export function userSnapNamed(h: SnapshotHost, name: string): SnapInfo {
  const s = h.snaps.find((x) => x.namespaceType === cls.SnapNamespaceType.USER && x.name === name);
  if (!s) throw new RadosError(`image ${h.name} has no snapshot ${name}`, Errno.ENOENT);
  return s;
}

const hasUserSnap = (h: SnapshotHost, name: string): boolean => h.snaps.some((x) => x.namespaceType === cls.SnapNamespaceType.USER && x.name === name);

/** A self-managed snap id from the monitors, recorded in the header, then the object map copied. */
export async function createSnapshot(h: SnapshotHost, name: string, options?: CallOptions): Promise<void> {
  if (name.length === 0) throw new RadosError('snapshot name must not be empty', Errno.EINVAL);
  await h.refresh(options);
  if (hasUserSnap(h, name)) throw new RadosError(`image ${h.name} already has a snapshot ${name}`, Errno.EEXIST);
  const snapId = await h.data.createSelfManagedSnap(options);
  try {
    await h.call(cls.snapshotAdd, { snapId, name }, options);
  } catch (e) {
    await h.data.removeSelfManagedSnap(snapId).catch(() => {});
    throw e;
  }
  await h.objectMap?.snapshotAdd(snapId, options);
  await h.refresh(options);
}

/**
 * SnapshotRemoveRequest, step for step: into the trash namespace; read its clone count; if this
 * was the last snapshot still tied to a parent the head has left, leave that parent; then,
 * unless a clone is attached (the snapshot stays in the trash: 'trashed', or EBUSY when it was
 * in the trash already), fold its object map into the next, release its id and delete it.
 */
export async function removeSnapshot(h: SnapshotHost, s: SnapInfo, options?: CallOptions): Promise<'removed' | 'trashed'> {
  if (s.protected) throw new RadosError(`snapshot ${s.name} of image ${h.name} is protected`, Errno.EBUSY);
  let trashedNow = false;
  let attached = false;
  const inTrash = s.namespaceType === cls.SnapNamespaceType.TRASH;
  try {
    if (!inTrash) {
      await h.call(cls.snapshotTrashAdd, s.id, options);
      trashedNow = true;
    }
    attached = (await h.call(cls.snapshotGet, s.id, options)).childCount > 0;
  } catch (e) {
    // EOPNOTSUPP: OSDs older than the snapshot trash (no clone v2 either); EEXIST: trashed already.
    if (!hasErrno(e, Errno.EOPNOTSUPP, Errno.EEXIST)) throw e;
  }
  const othersUseParent = h.snaps.some((o) => o.id !== s.id && o.overlap !== undefined);
  if (s.overlap !== undefined && !h.headParent && !othersUseParent) await h.detachChild(options);
  if (attached) {
    await h.refresh(options);
    if (trashedNow) return 'trashed';
    throw new RadosError(`snapshot ${s.trashOriginalName ?? s.name} of image ${h.name} still has clones attached`, Errno.EBUSY);
  }
  const next = [...h.snaps].filter((o) => o.id > s.id).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  await h.objectMap?.snapshotRemove(s.id, next?.id, options);
  await h.data.removeSelfManagedSnap(s.id, options).catch(skipErrno(Errno.ENOENT));
  await h.call(cls.snapshotRemove, s.id, options);
  await h.refresh(options);
  return 'removed';
}

export async function renameSnapshot(h: SnapshotHost, from: string, to: string, options?: CallOptions): Promise<void> {
  await h.refresh(options);
  const s = userSnapNamed(h, from);
  if (hasUserSnap(h, to)) throw new RadosError(`image ${h.name} already has a snapshot ${to}`, Errno.EEXIST);
  await h.call(cls.snapshotRename, { snapId: s.id, name: to }, options);
  await h.refresh(options);
}

export async function protectSnapshot(h: SnapshotHost, name: string, options?: CallOptions): Promise<void> {
  await h.refresh(options);
  if (!(h.features & Feature.LAYERING)) throw new RadosError(`image ${h.name} does not have the layering feature`, Errno.ENOSYS);
  const s = userSnapNamed(h, name);
  if (s.protected) throw new RadosError(`snapshot ${name} of image ${h.name} is already protected`, Errno.EBUSY);
  await h.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.PROTECTED }, options);
  await h.refresh(options);
}

/** EBUSY while the snapshot has clones (in any pool); UNPROTECTING meanwhile, as librbd. */
export async function unprotectSnapshot(h: SnapshotHost, name: string, options?: CallOptions): Promise<void> {
  await h.refresh(options);
  const s = userSnapNamed(h, name);
  if (!s.protected) throw new RadosError(`snapshot ${name} of image ${h.name} is not protected`, Errno.EINVAL);
  await h.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.UNPROTECTING }, options);
  try {
    const children = await listChildren(h.ioctx, h.id, s.id, options);
    if (children.length > 0) throw new RadosError(`snapshot ${name} of image ${h.name} has ${children.length} clone(s): ${children.map((c) => `${c.pool}/${c.image}`).join(', ')}`, Errno.EBUSY);
    await h.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.UNPROTECTED }, options);
  } catch (e) {
    await h.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.PROTECTED }).catch(() => {});
    throw e;
  } finally {
    await h.refresh(options);
  }
}
