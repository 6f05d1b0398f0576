// Removing an image (librbd image/RemoveRequest.cc, PreRemoveRequest.cc). The image is opened
// read-write and, with the exclusive-lock feature, its lock taken as PreRemoveRequest takes it
// (acquire_lock: a live owner is asked for it, a dead one's broken; EBUSY if it cannot be had)
// and kept until the image is closed (other clients' requests for it are refused, EROFS). Then
// PreRemoveRequest's checks in its order: migration (EBUSY), snapshots (ENOTEMPTY), other
// watchers (EBUSY), a group (EMLINK); trashed snapshots are pruned (ENOTEMPTY while a clone
// still uses one: librbd's ECHILD, which RemoveRequest turns into ENOTEMPTY). Then the data
// objects go (TrimRequest) and a clone leaves its parent (DetachChildRequest), all under the
// lock; once the image is closed, its object map, header, id object and directory entry.
import * as cls from '../../../protocol/cls/cls-rbd.ts';
import { ObjectState, RBD_FLAG_OBJECT_MAP_INVALID } from '../../../protocol/cls/cls-rbd-object-map.ts';
import { Errno, hasErrno, RadosError, skipErrno, TimeoutError } from '../../../protocol/errors.ts';
import type { CallOptions } from '../../abort.ts';
import { callCls } from '../../cls-call.ts';
import type { IoCtx } from '../../ioctx.ts';
import { Feature, OpFeature } from '../features.ts';
import { ImageCtx } from '../image-ctx.ts';
import { imageIdByName } from '../image-id.ts';
import { eachLimited, OBJECT_OPS_IN_FLIGHT } from '../limited-parallel.ts';
import { dataObjectName, DIRECTORY, headerName, idObjectName, objectMapName } from '../object-names.ts';
import { numObjects } from '../striper.ts';
import { detachFromParent, removeSnapshotById } from './snapshot.ts';

/** RemoveRequest, for an image named in the directory: ENOENT if there is none. */
export async function removeImage(io: IoCtx, name: string, options?: CallOptions): Promise<void> {
  const id = await imageIdByName(io, name, options);
  await removeImageById(io, name, id, false, options);
  await io.remove(idObjectName(name), options);
  await callCls(io, DIRECTORY, cls.dirRemoveImage, { name, id }, options);
}

/**
 * RemoveRequest by id, up to the id object and directory entry (RemoveRequest with
 * from_trash_remove stops there: the trash move took both). An image whose header is already
 * gone (`fromTrash`: a removal interrupted after it) has only its leftovers removed, as
 * RemoveRequest does when its open finds no header.
 */
export async function removeImageById(io: IoCtx, name: string, id: string, fromTrash: boolean, options?: CallOptions): Promise<void> {
  let ctx: ImageCtx;
  try {
    ctx = await ImageCtx.open(io, name, id, { ...options, forRemoval: true });
  } catch (e) {
    if (!fromTrash || !hasErrno(e, Errno.ENOENT)) throw e;
    await io.remove(objectMapName(id), options).catch(skipErrno(Errno.ENOENT));
    await io.remove(headerName(id), options).catch(skipErrno(Errno.ENOENT));
    return;
  }
  // Set once the lock is ours (a mutate callback's assignment, so an object TS does not narrow).
  const under = { lock: false };
  try {
    await ctx.mutate(options, { lock: true }, async () => {
      under.lock = true;
      await preRemove(ctx, options);
      await removeDataObjects(ctx, options);
      await detachFromParent(ctx, options);
    });
  } catch (e) {
    throw lockRefusal(ctx, under.lock, e, 'not removing');
  } finally {
    await ctx.close();
  }
  // After the close, as RemoveRequest: the lock, the object map's own lock and our watch are
  // let go on objects that still exist.
  await io.remove(objectMapName(id), options).catch(skipErrno(Errno.ENOENT));
  await io.remove(ctx.header, options).catch(skipErrno(Errno.ENOENT));
}

/**
 * PreRemoveRequest's (and Trash::move's) "cannot obtain exclusive lock": an owner that refused
 * to release it (EROFS; not operations_disabled's, which stays EROFS) or never did is EBUSY;
 * any other error, or one once the lock was ours, is the error itself.
 */
export function lockRefusal(ctx: ImageCtx, locked: boolean, e: unknown, what: string): Error {
  const lockRefused = hasErrno(e, Errno.EROFS) && !ctx.operationsDisabled;
  if (!locked && (e instanceof TimeoutError || lockRefused))
    return new RadosError(`image ${ctx.name}: could not take its exclusive lock (${e.message}); ${what}`, Errno.EBUSY, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}

/** PreRemoveRequest past the lock: validate_image_removal, check_image_snaps, check_image_watchers, check_group, remove_snapshot. */
async function preRemove(ctx: ImageCtx, options?: CallOptions): Promise<void> {
  if (ctx.features & Feature.MIGRATING) throw new RadosError(`image ${ctx.name} is being migrated; not removing`, Errno.EBUSY);
  // Mirror snapshots do not block (librbd's mirror DisableRequest takes them); trashed ones are pruned below.
  const blocking = ctx.snaps.filter((s) => s.namespaceType !== cls.SnapNamespaceType.TRASH && s.namespaceType !== cls.SnapNamespaceType.MIRROR);
  if (blocking.length > 0) throw new RadosError(`image ${ctx.name} has snapshots (${blocking.map((s) => s.name).join(', ')}); remove them first`, Errno.ENOTEMPTY);
  const watchers = await ctx.otherWatchers(options);
  if (watchers.length > 0) throw new RadosError(`image ${ctx.name} is still open (watched by ${watchers.map((w) => w.client).join(', ')})`, Errno.EBUSY);
  // cls_rbd's image_group_add sets the group op feature; librbd reads the group link itself.
  if (ctx.opFeatures & OpFeature.GROUP) throw new RadosError(`image ${ctx.name} is in a group; remove it from the group first`, Errno.EMLINK);
  await pruneTrashedSnaps(ctx, options);
}

/** Trashed snapshots (removed while v2 clones used them) are deleted; ENOTEMPTY if a clone still uses one. */
async function pruneTrashedSnaps(ctx: ImageCtx, options?: CallOptions): Promise<void> {
  const trashed = ctx.snaps.filter((s) => s.namespaceType === cls.SnapNamespaceType.TRASH);
  let linked = 0;
  for (const s of trashed) {
    await removeSnapshotById(ctx, s.id, options).catch((e: unknown) => {
      if (hasErrno(e, Errno.EBUSY)) linked++;
      else if (!hasErrno(e, Errno.ENOENT)) throw e;
    });
  }
  if (linked > 0) throw new RadosError(`image ${ctx.name} has snapshots with linked clones (${linked} in the trash); delete or flatten those clones first`, Errno.ENOTEMPTY);
}

/**
 * TrimRequest to size 0: the data objects the head's object map (loaded with the lock) says may
 * exist (C_RemoveObject skips the others), or every object the head may have without a map to
 * trust (none, flagged invalid, or one that would not load): removing a 1 TiB image with one
 * object written is one removal, not 262,144.
 */
async function removeDataObjects(ctx: ImageCtx, options?: CallOptions): Promise<void> {
  const all = Array.from({ length: numObjects(ctx.layout, ctx.headSize) }, (_, i) => dataObjectName(ctx.objectPrefix, i));
  const map = ctx.flags & RBD_FLAG_OBJECT_MAP_INVALID ? undefined : ctx.objectMap;
  const objects = map?.size === all.length ? all.filter((_, i) => map.state(i) !== ObjectState.NONEXISTENT) : all;
  await eachLimited(objects, OBJECT_OPS_IN_FLIGHT, (oid) => ctx.data.remove(oid, options).catch(skipErrno(Errno.ENOENT)));
}
