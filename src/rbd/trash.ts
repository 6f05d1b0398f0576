// The image trash (librbd api/Trash.cc, trash/MoveRequest.cc, trash/RemoveRequest.cc): an image
// moved there leaves the directory and its rbd_id.<name> object but keeps its header and data,
// and is listed in rbd_trash (cls_rbd trash_*; protocol/cls/cls-rbd-trash.ts) under its id
// until it is restored under a name or removed. Each step follows librbd's order and its
// errnos, including the entry's state (MOVING, REMOVING, RESTORING) that lets an interrupted
// move, removal or restore be finished or undone by the next attempt.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import * as trash from '../../protocol/cls/cls-rbd-trash.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import { encodeTrashImageAdded, encodeTrashImageRemoved } from '../../protocol/rbd/trash-notify.ts';
import type { UTime } from '../../protocol/types/utime.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import { type IoCtx, ioctxLogger } from '../ioctx.ts';
import { WriteOp } from '../../protocol/osd/compound-op.ts';
import { Feature, OpFeature } from './features.ts';
import { ImageCtx } from './image-ctx.ts';
import { DIRECTORY, idObjectName, oldHeaderName, RBD_TRASH } from './object-names.ts';
import { lockRefusal, removeImageById } from './operation/remove.ts';

/** Who put an image in the trash: librbd's rbd_trash_image_source_t, named as the Python binding names it. */
export type TrashSource = 'USER' | 'MIRRORING' | 'MIGRATION' | 'REMOVING' | 'USER_PARENT';
const SOURCE_NAMES: readonly TrashSource[] = ['USER', 'MIRRORING', 'MIGRATION', 'REMOVING', 'USER_PARENT'];

/** A trashed image (Python `RBD().trash_get` / `trash_list` entries; times to the second, as librbd keeps them). */
export interface TrashImageInfo {
  /** The image's id (what the trash calls take). */
  id: string;
  /** Its name when it was moved. */
  name: string;
  /** Who moved it: 'USER' for `trashMove` / `rbd trash mv`. */
  source: TrashSource;
  /** When it was moved. */
  deletionTime: Date;
  /** Until then it is removed only with `force` (EPERM without); purge takes it from then on. */
  defermentEndTime: Date;
}

/** `RBD.trashMove` options. */
export interface TrashMoveOptions extends CallOptions {
  /** Seconds the image is kept from removal without `force` (Python `delay`, default 0). */
  delay?: number;
}

/** `RBD.trashRemove` options. */
export interface TrashRemoveOptions extends CallOptions {
  /** Remove it even before its deferment end time (Python `force`, default false). */
  force?: boolean;
}

/** `RBD.trashPurge` options. */
export interface TrashPurgeOptions extends CallOptions {
  /** Remove the images whose deferment ended by then (Python `expire_ts`; default now). */
  expireTs?: Date;
  /** Python `threshold`: purge only while the pool is fuller than this fraction (0..1; -1, the default, is off). */
  threshold?: number;
}

/** As librbd's rbd_trash_restore: a restore takes back what the user, mirroring or a parent's removal put there. */
const RESTORABLE = new Set<number>([trash.TrashImageSource.USER, trash.TrashImageSource.MIRRORING, trash.TrashImageSource.USER_PARENT]);
/** TrashWatcher's notify timeout (librbd watcher NOTIFY_TIMEOUT_MS). */
const NOTIFY_TIMEOUT_MS = 5000;
/** librbd list_trash_image_specs' page. */
const PAGE = 1024;

const toUtime = (ms: number): UTime => ({ sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 });
const utimeMs = (t: UTime): number => t.sec * 1000 + t.nsec / 1e6;

function info(id: string, s: trash.TrashImageSpec): TrashImageInfo {
  return {
    id,
    name: s.name,
    source: SOURCE_NAMES[s.source] ?? ('USER' as const),
    deletionTime: new Date(s.deletionTime.sec * 1000),
    defermentEndTime: new Date(s.defermentEndTime.sec * 1000),
  };
}

/** list_trash_image_specs: every entry, a page at a time (none if rbd_trash does not exist), skipping REMOVING's if asked. */
async function* trashSpecs(io: IoCtx, excludeRemoving: boolean, options?: CallOptions): AsyncGenerator<[string, trash.TrashImageSpec]> {
  let after = '';
  for (;;) {
    let page: Map<string, trash.TrashImageSpec>;
    try {
      page = await callCls(io, RBD_TRASH, trash.trashList, { startAfter: after, max: PAGE }, options);
    } catch (e) {
      if (hasErrno(e, Errno.ENOENT)) return;
      throw e;
    }
    for (const entry of page) if (!excludeRemoving || entry[1].source !== trash.TrashImageSource.REMOVING) yield entry;
    if (page.size < PAGE) return;
    after = [...page.keys()].at(-1)!;
  }
}

/** trash_get, ENOENT naming the id and pool. */
async function getSpec(io: IoCtx, id: string, options?: CallOptions): Promise<trash.TrashImageSpec> {
  try {
    return await callCls(io, RBD_TRASH, trash.trashGet, id, options);
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) throw new RadosError(`no image with id ${id} in the trash of pool ${io.poolName}`, Errno.ENOENT, { cause: e });
    throw e;
  }
}

/** trash_state_set; EOPNOTSUPP (an OSD older than the state) passes, as librbd lets it. */
const setState = (io: IoCtx, id: string, state: number, expect: number, options?: CallOptions): Promise<void> =>
  callCls(io, RBD_TRASH, trash.trashStateSet, { id, state, expect }, options).catch(skipErrno(Errno.EOPNOTSUPP));

/** TrashWatcher::notify_image_added / _removed: failures are only logged, as librbd logs them. */
async function notifyTrash(io: IoCtx, payload: Uint8Array, options?: CallOptions): Promise<void> {
  await io.notify(RBD_TRASH, payload, { ...options, timeoutMs: NOTIFY_TIMEOUT_MS }).catch((e: unknown) => {
    ioctxLogger(io).debug(`rbd trash: update notification failed (${(e as Error).message})`);
  });
}

/** Trash::get. */
export async function trashGet(io: IoCtx, id: string, options?: CallOptions): Promise<TrashImageInfo> {
  return info(id, await getSpec(io, id, options));
}

/** Trash::list with exclude_user_remove_source (as rbd_trash_list): RBD.remove's own transient entries are not shown. */
export async function* trashList(io: IoCtx, options?: CallOptions): AsyncGenerator<TrashImageInfo, void, undefined> {
  for await (const [id, s] of trashSpecs(io, true, options)) yield info(id, s);
}

/**
 * Trash::move by name. The id comes from the directory; a name gone from it may be an
 * interrupted move of ours (a USER entry still MOVING under that name), which is finished.
 */
export async function trashMove(io: IoCtx, name: string, delay: number, options?: CallOptions): Promise<void> {
  if (!Number.isSafeInteger(delay) || delay < 0) throw new RadosError(`delay must be a non-negative whole number of seconds, not ${delay}`, Errno.EINVAL);
  let id: string | undefined;
  try {
    id = await callCls(io, DIRECTORY, cls.dirGetId, name, options);
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) throw e;
    const v1 = await io.stat(oldHeaderName(name), options).then(() => true, skipErrno(Errno.ENOENT));
    if (v1) throw new RadosError(`image ${name} is a format 1 image, which cannot be moved to the trash`, Errno.EOPNOTSUPP);
    for await (const [tid, s] of trashSpecs(io, true, options)) {
      if (s.source === trash.TrashImageSource.USER && s.state === trash.TrashImageState.MOVING && s.name === name) {
        id = tid;
        break;
      }
    }
    if (id === undefined) throw new RadosError(`image ${name} does not exist in pool ${io.poolName}`, Errno.ENOENT, { cause: e });
  }
  await prepareMove(io, name, id, options);

  const now = Date.now();
  const spec: trash.TrashImageSpec = {
    source: trash.TrashImageSource.USER,
    name,
    deletionTime: toUtime(now),
    defermentEndTime: toUtime(now + delay * 1000),
    state: trash.TrashImageState.MOVING,
  };
  try {
    await moveRequest(io, id, spec, options);
  } finally {
    // As librbd, the entry leaves MOVING whether the move's steps worked or not (and a failure
    // of that, e.g. ENOENT when the entry was never added, is the error returned).
    await setState(io, id, trash.TrashImageState.NORMAL, trash.TrashImageState.MOVING, options);
  }
  await notifyTrash(io, encodeTrashImageAdded(id, { ...spec, state: trash.TrashImageState.NORMAL }), options);
}

/**
 * Trash::move's open: the image's exclusive lock is taken (a live owner is asked for it, as
 * librbd's prepare_image_update asks; EBUSY if it is kept), a migrating image is refused (EBUSY)
 * and so is one in a group (EMLINK). Nothing else stops a move: other clients may still have
 * it open, and a parent keeps its clones (they read it by id). No header: the move goes on.
 */
async function prepareMove(io: IoCtx, name: string, id: string, options?: CallOptions): Promise<void> {
  let ctx: ImageCtx;
  try {
    // forRemoval: other clients' lock requests are refused while we hold it (librbd's block_requests).
    ctx = await ImageCtx.open(io, name, id, { ...options, forRemoval: true });
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return;
    throw e;
  }
  const under = { lock: false };
  try {
    await ctx.mutate(options, { lock: true }, () => {
      under.lock = true;
      if (ctx.features & Feature.MIGRATING) throw new RadosError(`image ${name} is being migrated; not moving it to the trash`, Errno.EBUSY);
      if (ctx.opFeatures & OpFeature.GROUP) throw new RadosError(`image ${name} is in a group; not moving it to the trash`, Errno.EMLINK);
      return Promise.resolve();
    });
  } catch (e) {
    throw lockRefusal(ctx, under.lock, e, 'not moving it to the trash');
  } finally {
    await ctx.close();
  }
}

/**
 * trash::MoveRequest: the trash entry (EEXIST is an earlier unfinished move: go on), the id
 * object (ENOENT passes), the directory entry. librbd finishes with the directory removal's
 * result as it is, so a move whose entry was already gone ends in ENOENT; so does ours.
 */
async function moveRequest(io: IoCtx, id: string, spec: trash.TrashImageSpec, options?: CallOptions): Promise<void> {
  await callCls(io, RBD_TRASH, trash.trashAdd, { id, spec }, options).catch(skipErrno(Errno.EEXIST));
  await io.remove(idObjectName(spec.name), options).catch(skipErrno(Errno.ENOENT));
  try {
    await callCls(io, DIRECTORY, cls.dirRemoveImage, { name: spec.name, id }, options);
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) throw new RadosError(`image ${spec.name} (${id}) was no longer in the directory`, Errno.ENOENT, { cause: e });
    throw e;
  }
}

/**
 * Trash::remove: EPERM before the deferment end unless forced, EUCLEAN for an entry still
 * MOVING, EBUSY for one being restored; then trash::RemoveRequest: the entry marked REMOVING,
 * the image removed as RBD.remove removes it (the same checks: snapshots, watchers, lock,
 * group), the entry put back to NORMAL if that fails, else taken out.
 */
export async function trashRemove(io: IoCtx, id: string, force: boolean, options?: CallOptions): Promise<void> {
  const s = await getSpec(io, id, options);
  if (Date.now() < utimeMs(s.defermentEndTime) && !force)
    throw new RadosError(`image ${s.name} (${id}) is in the trash until ${new Date(utimeMs(s.defermentEndTime)).toISOString()}; remove it with force`, Errno.EPERM);
  if (s.state === trash.TrashImageState.MOVING) throw new RadosError(`image ${s.name} (${id}) is still being moved to the trash`, Errno.EUCLEAN);
  if (s.state !== trash.TrashImageState.NORMAL && s.state !== trash.TrashImageState.REMOVING)
    throw new RadosError(`image ${s.name} (${id}) is being restored from the trash`, Errno.EBUSY);
  await setState(io, id, trash.TrashImageState.REMOVING, trash.TrashImageState.NORMAL, options);
  try {
    await removeImageById(io, s.name, id, true, options);
  } catch (e) {
    await setState(io, id, trash.TrashImageState.NORMAL, trash.TrashImageState.REMOVING, options).catch((se: unknown) => {
      ioctxLogger(io).warn(`rbd trash: could not set ${id} back to NORMAL after a failed removal (${(se as Error).message})`);
    });
    throw e;
  }
  await callCls(io, RBD_TRASH, trash.trashRemove, id, options).catch((e: unknown) => {
    // As RemoveRequest::handle_remove_trash_entry: the image is gone; a stale entry is only reported.
    if (!hasErrno(e, Errno.ENOENT)) ioctxLogger(io).warn(`rbd trash: image ${id} removed but its trash entry was not (${(e as Error).message})`);
  });
  await notifyTrash(io, encodeTrashImageRemoved(id), options);
}

/**
 * Trash::restore: EINVAL for an entry of a source a restore may not take (migration,
 * RBD.remove's own), EBUSY for one being removed; the entry marked RESTORING, then the name
 * (the old one if `name` is empty) checked: EEXIST if another image has it (the entry goes back
 * to NORMAL); our own id object there is an interrupted restore, finished. Then the id object,
 * the directory entry, and the trash entry taken out.
 */
export async function trashRestore(io: IoCtx, id: string, name: string, options?: CallOptions): Promise<void> {
  const s = await getSpec(io, id, options);
  if (!RESTORABLE.has(s.source)) throw new RadosError(`image ${s.name} (${id}) was put in the trash by ${SOURCE_NAMES[s.source] ?? s.source}; it cannot be restored`, Errno.EINVAL);
  if (s.state !== trash.TrashImageState.NORMAL && s.state !== trash.TrashImageState.RESTORING) throw new RadosError(`image ${s.name} (${id}) is pending deletion`, Errno.EBUSY);
  await setState(io, id, trash.TrashImageState.RESTORING, trash.TrashImageState.NORMAL, options);
  const newName = name === '' ? s.name : name;
  const backToNormal = (): Promise<void> =>
    setState(io, id, trash.TrashImageState.NORMAL, trash.TrashImageState.RESTORING, options).catch((se: unknown) => {
      ioctxLogger(io).warn(`rbd trash: could not set ${id} back to NORMAL after a failed restore (${(se as Error).message})`);
    });
  let existing: string | undefined;
  try {
    existing = await callCls(io, idObjectName(newName), cls.getId, undefined, options);
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) {
      await backToNormal();
      throw e;
    }
  }
  if (existing !== undefined && existing !== id) {
    await backToNormal();
    throw new RadosError(`image ${newName} already exists in pool ${io.poolName}`, Errno.EEXIST);
  }
  if (existing === undefined) await io.operateWriteOp(new WriteOp().create(true).call(cls.setId, id), idObjectName(newName), options);
  await callCls(io, DIRECTORY, cls.dirAddImage, { name: newName, id }, options).catch(skipErrno(Errno.EEXIST));
  await callCls(io, RBD_TRASH, trash.trashRemove, id, options).catch(skipErrno(Errno.ENOENT));
  await notifyTrash(io, encodeTrashImageRemoved(id), options);
}

/**
 * Trash::purge: the USER and USER_PARENT entries whose deferment ended by `expireTs` are
 * removed (forced), in id order, in rounds while a round removes something: an image that
 * cannot go yet (ENOTEMPTY, EBUSY, EMLINK, EUCLEAN; a parent whose clones are removed later in
 * the round, say) is tried again, and the first such errno is thrown if any stay.
 */
export async function trashPurge(io: IoCtx, expireTs: Date | undefined, threshold: number, options?: CallOptions): Promise<void> {
  if (threshold !== -1) {
    if (!(threshold >= 0 && threshold <= 1)) throw new RadosError(`threshold must be 0..1 (or -1 for none), not ${threshold}`, Errno.EINVAL);
    // librbd reads the pool's fullness from the monitors' `df`; an IoCtx has no monitor session here.
    throw new RadosError('trash purge by pool usage (threshold) is not supported by this client yet', Errno.EOPNOTSUPP);
  }
  const expire = Math.floor((expireTs ?? new Date()).getTime() / 1000);
  const toRemove = new Set<string>();
  for await (const [id, s] of trashSpecs(io, true, options)) {
    if (s.source !== trash.TrashImageSource.USER && s.source !== trash.TrashImageSource.USER_PARENT) continue;
    if (expire >= s.defermentEndTime.sec) toRemove.add(id);
  }
  const ids = [...toRemove].sort();
  let progress = true;
  let firstErr: RadosError | undefined;
  while (ids.length > 0 && progress) {
    progress = false;
    firstErr = undefined;
    for (const id of [...ids]) {
      try {
        await callCls(io, RBD_TRASH, trash.trashGet, id, options);
      } catch (e) {
        // Gone already: a USER_PARENT image removed with its last clone.
        if (!hasErrno(e, Errno.ENOENT)) throw e;
        ids.splice(ids.indexOf(id), 1);
        continue;
      }
      try {
        await trashRemove(io, id, true, options);
      } catch (e) {
        if (hasErrno(e, Errno.ENOTEMPTY, Errno.EBUSY, Errno.EMLINK, Errno.EUCLEAN)) {
          firstErr ??= e;
          continue;
        }
        throw e;
      }
      ids.splice(ids.indexOf(id), 1);
      progress = true;
    }
  }
  if (ids.length > 0 && firstErr) throw firstErr;
}
