// Snapshot operations on an open image (librbd operation/SnapshotCreateRequest.cc,
// SnapshotRemoveRequest.cc, SnapshotRenameRequest.cc, SnapshotProtect/UnprotectRequest.cc,
// driven from Operations.cc). Removing a snapshot first moves it to the trash namespace; it is
// only deleted when no v2 clone is attached to it, so a parent's snapshot outlives its
// user-visible removal until its last clone is removed or flattened (then the clone's
// DetachChildRequest deletes it). Create runs under the exclusive lock; remove only with
// fast-diff or journaling; rename, protect and unprotect only with journaling (Operations.cc).
// librbd would first proxy each of those to a lock owner; we take the lock instead (image-ctx.ts MutateHow).
import * as cls from '../../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../../protocol/errors.ts';
import type { CallOptions } from '../../abort.ts';
import { detachChild, listChildren, parentIoCtx } from '../clone.ts';
import { Feature } from '../features.ts';
import type { SnapInfo } from '../image-header.ts';
import { ImageCtx } from '../image-ctx.ts';

const hasUserSnap = (ctx: ImageCtx, name: string): boolean => ctx.snaps.some((x) => x.namespaceType === cls.SnapNamespaceType.USER && x.name === name);

/** SnapshotCreateRequest: a self-managed snap id from the monitors, recorded in the header, then the object map copied. */
export async function createSnapshot(ctx: ImageCtx, name: string, options?: CallOptions): Promise<void> {
  ctx.checkWritable(true);
  await ctx.mutate(options, { lock: true, refreshFirst: true, changesHeader: true, permitSnapshot: true }, async () => {
    if (name.length === 0) throw new RadosError('snapshot name must not be empty', Errno.EINVAL);
    if (hasUserSnap(ctx, name)) throw new RadosError(`image ${ctx.name} already has a snapshot ${name}`, Errno.EEXIST);
    const snapId = await ctx.data.createSelfManagedSnap(options);
    try {
      await ctx.call(cls.snapshotAdd, { snapId, name }, options);
    } catch (e) {
      // The snap id stays allocated in the pool (as librbd's when its release fails): harmless, only logged.
      await ctx.data
        .removeSelfManagedSnap(snapId)
        .catch((e: unknown) => ctx.log.warn(`rbd ${ctx.name}: giving back snap id ${snapId} after a failed snapshot create failed: ${(e as Error).message}`));
      throw e;
    }
    await ctx.objectMap?.snapshotAdd(snapId, options);
  });
}

/**
 * How a snapshot removal runs: librbd Operations::snap_remove goes through the lock (its
 * proxy_op) only when the image has fast-diff or journaling, else runs it where it is, without
 * the lock (the object map, loaded only under the lock, is then left to its owner, as librbd's
 * SnapshotRemoveRequest leaves it when it has none open).
 */
const snapRemoveHow = (ctx: ImageCtx) => ({
  lock: (ctx.features & (Feature.FAST_DIFF | Feature.JOURNALING)) !== 0n,
  refreshFirst: true,
  changesHeader: true,
  permitSnapshot: true,
});

/** Removes a user snapshot by name (Python `remove_snap`). */
export async function removeSnapshotNamed(ctx: ImageCtx, name: string, options?: CallOptions): Promise<void> {
  await ctx.mutate(options, snapRemoveHow(ctx), () => removeSnapshot(ctx, ctx.userSnap(name), options));
}

/** Removes the snapshot with this id, in any namespace (trashed ones included). */
export async function removeSnapshotById(ctx: ImageCtx, snapId: bigint, options?: CallOptions): Promise<'removed' | 'trashed'> {
  return ctx.mutate(options, snapRemoveHow(ctx), () => removeSnapshot(ctx, ctx.snapById(snapId), options));
}

/**
 * SnapshotRemoveRequest, step for step: into the trash namespace; read its clone count; if this
 * was the last snapshot still tied to a parent the head has left, leave that parent; then,
 * unless a clone is attached (the snapshot stays in the trash: 'trashed', or EBUSY when it was
 * in the trash already), fold its object map into the next, release its id and delete it.
 */
async function removeSnapshot(ctx: ImageCtx, s: SnapInfo, options?: CallOptions): Promise<'removed' | 'trashed'> {
  if (s.protected) throw new RadosError(`snapshot ${s.name} of image ${ctx.name} is protected`, Errno.EBUSY);
  let trashedNow = false;
  let attached = false;
  const inTrash = s.namespaceType === cls.SnapNamespaceType.TRASH;
  try {
    if (!inTrash) {
      await ctx.call(cls.snapshotTrashAdd, s.id, options);
      trashedNow = true;
    }
    attached = (await ctx.call(cls.snapshotGet, s.id, options)).childCount > 0;
  } catch (e) {
    // EOPNOTSUPP: OSDs older than the snapshot trash (no clone v2 either); EEXIST: trashed already.
    if (!hasErrno(e, Errno.EOPNOTSUPP, Errno.EEXIST)) throw e;
  }
  const othersUseParent = ctx.snaps.some((o) => o.id !== s.id && o.overlap !== undefined);
  // The head's own parent at HEAD: a clone opened at a snapshot is read-only, so parentSpec is the head's here.
  if (s.overlap !== undefined && !ctx.parentSpec && !othersUseParent) await detachFromParent(ctx, options);
  if (attached) {
    if (trashedNow) return 'trashed';
    throw new RadosError(`snapshot ${s.trashOriginalName ?? s.name} of image ${ctx.name} still has clones attached`, Errno.EBUSY);
  }
  const next = [...ctx.snaps].filter((o) => o.id > s.id).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  await ctx.objectMap?.snapshotRemove(s.id, next?.id, options);
  await ctx.data.removeSelfManagedSnap(s.id, options).catch(skipErrno(Errno.ENOENT));
  await ctx.call(cls.snapshotRemove, s.id, options);
  return 'removed';
}

/**
 * librbd DetachChildRequest whole: this clone leaves its parent's snapshot (clone.ts
 * detachChild), then that snapshot is deleted if it was in the trash waiting for its last clone.
 * It lives with the snapshot operations because it ends in one (on the parent) and one (the
 * removal of a clone's last snapshot still tied to the parent) can start it.
 */
export async function detachFromParent(ctx: ImageCtx, options?: CallOptions): Promise<void> {
  const link = ctx.parentLink;
  if (!link) return;
  const pio = parentIoCtx(ctx.ioctx, link);
  if (!(await detachChild(pio, link, ctx.ioctx, ctx.id, ctx.isCloneV2, options)) || !pio) return;
  // The child is detached already; a parent we cannot open keeps its trashed snapshot for `rbd rm` to prune.
  const parent = await ImageCtx.open(pio, `(parent of ${ctx.name})`, link.imageId, { ...options, logger: ctx.log }).catch((e: unknown) => {
    ctx.log.warn(`rbd ${ctx.name}: opening the parent to prune its trashed snapshot failed: ${(e as Error).message}`);
    return undefined;
  });
  if (!parent) return;
  // Best effort, as librbd's handle_clone_v2_remove_snapshot: the child is detached already, and
  // a parent we cannot write now (locked elsewhere past our timeout, read-only, a new clone on
  // the snapshot: EBUSY) keeps the trashed snapshot for `rbd rm` of the parent to prune.
  await removeSnapshotById(parent, link.snapId, options).catch((e: unknown) =>
    ctx.log.warn(`rbd ${ctx.name}: removing the parent's trashed snapshot ${link.snapId} failed (left for \`rbd rm\` to prune): ${(e as Error).message}`),
  );
  await parent.close();
}

/**
 * How rename/protect/unprotect run: no exclusive lock (librbd Operations::snap_rename etc.
 * without journaling), and allowed on a handle set to a snapshot (librbd checks only read_only).
 */
const UNLOCKED_SNAP_OP = { lock: false, refreshFirst: true, changesHeader: true, permitSnapshot: true } as const;

/** SnapshotRenameRequest (Python `rename_snap`). */
export async function renameSnapshot(ctx: ImageCtx, from: string, to: string, options?: CallOptions): Promise<void> {
  ctx.checkWritable(true);
  await ctx.mutate(options, UNLOCKED_SNAP_OP, async () => {
    const s = ctx.userSnap(from);
    if (hasUserSnap(ctx, to)) throw new RadosError(`image ${ctx.name} already has a snapshot ${to}`, Errno.EEXIST);
    await ctx.call(cls.snapshotRename, { snapId: s.id, name: to }, options);
  });
}

/** SnapshotProtectRequest (Python `protect_snap`): clones (v1) may only be made from protected snapshots. */
export async function protectSnapshot(ctx: ImageCtx, name: string, options?: CallOptions): Promise<void> {
  ctx.checkWritable(true);
  await ctx.mutate(options, UNLOCKED_SNAP_OP, async () => {
    if (!(ctx.features & Feature.LAYERING)) throw new RadosError(`image ${ctx.name} does not have the layering feature`, Errno.ENOSYS);
    const s = ctx.userSnap(name);
    if (s.protected) throw new RadosError(`snapshot ${name} of image ${ctx.name} is already protected`, Errno.EBUSY);
    await ctx.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.PROTECTED }, options);
  });
}

/** SnapshotUnprotectRequest (Python `unprotect_snap`): EBUSY while the snapshot has clones (in any pool); UNPROTECTING meanwhile. */
export async function unprotectSnapshot(ctx: ImageCtx, name: string, options?: CallOptions): Promise<void> {
  ctx.checkWritable(true);
  await ctx.mutate(options, UNLOCKED_SNAP_OP, async () => {
    const s = ctx.userSnap(name);
    if (!s.protected) throw new RadosError(`snapshot ${name} of image ${ctx.name} is not protected`, Errno.EINVAL);
    await ctx.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.UNPROTECTING }, options);
    try {
      const children = await listChildren(ctx.ioctx, ctx.id, [s.id], 1, options);
      if (children.length > 0)
        throw new RadosError(`snapshot ${name} of image ${ctx.name} has ${children.length} clone(s): ${children.map((c) => `${c.pool}/${c.image}`).join(', ')}`, Errno.EBUSY);
      await ctx.call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.UNPROTECTED }, options);
    } catch (e) {
      // The unprotect's own error is what the caller gets; a failed restore is logged, since
      // the snapshot then stays UNPROTECTING.
      await ctx
        .call(cls.setProtectionStatus, { snapId: s.id, status: cls.Protection.PROTECTED })
        .catch((err: unknown) => ctx.log.warn(`rbd ${ctx.name}: setting snapshot ${name} back to protected failed; it stays UNPROTECTING: ${(err as Error).message}`));
      throw e;
    }
  });
}
