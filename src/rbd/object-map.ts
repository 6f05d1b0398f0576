// The object-map feature as librbd keeps it (src/librbd/ObjectMap.cc, object_map/*Request.cc):
// while we hold the image's exclusive lock we also hold the map object's own lock, mark an
// object EXISTS before its first write, PENDING then NONEXISTENT around its removal, resize the
// map with the image, and copy it per snapshot (the head's EXISTS become EXISTS_CLEAN: fast-diff).
import * as om from '../../protocol/cls/cls-rbd-object-map.ts';
import { decodeObjectMap, ObjectState } from '../../protocol/cls/cls-rbd-object-map.ts';
import * as clsLock from '../../protocol/cls/cls-lock.ts';
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import type { Logger } from '../logger.ts';
import { objectMapName, RBD_LOCK_NAME } from './object-names.ts';

/**
 * A map read without its lock, to skip objects it says do not exist (librbd does with the map
 * of a snapshot it reads, object_map::RefreshRequest, and with the head's when it removes an
 * image, TrimRequest): undefined when the header flags it invalid at `snapId`, it is missing,
 * or its size does not fit the image's `objectCount`, and every object must then be tried.
 */
export async function readObjectMapStates(io: IoCtx, header: string, imageId: string, snapId: bigint, objectCount: number, options?: CallOptions): Promise<Uint8Array | undefined> {
  try {
    if ((await callCls(io, header, cls.getFlags, snapId, options)) & om.RBD_FLAG_OBJECT_MAP_INVALID) return undefined;
    const states = decodeObjectMap(await callCls(io, objectMapName(imageId, snapId), om.objectMapLoad, undefined, options));
    return states.length === objectCount ? states : undefined;
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return undefined;
    throw e;
  }
}

export class ObjectMap {
  private readonly io: IoCtx;
  private readonly imageId: string;
  private readonly oid: string;
  private states: Uint8Array = new Uint8Array(0);
  /** One update in flight per object, so concurrent writes to it share it. */
  private readonly pending = new Map<number, Promise<void>>();

  constructor(io: IoCtx, imageId: string) {
    this.io = io;
    this.imageId = imageId;
    this.oid = objectMapName(imageId);
  }

  /** Opens (locks and loads) the head's map; throws when it cannot be loaded or does not fit the image. */
  static async openChecked(io: IoCtx, imageId: string, objectCount: number, options: CallOptions | undefined, log: Logger): Promise<ObjectMap> {
    const map = new ObjectMap(io, imageId);
    // The error that made us give the map up is what the caller gets; a lock left on the map
    // object is broken by whoever opens it next (open() below), so a failed close is only logged.
    const closeQuietly = (): Promise<void> =>
      map.close().catch((e: unknown) => log.debug(`rbd ${map.oid}: unlocking the object map failed (the next open breaks the lock): ${(e as Error).message}`));
    try {
      await map.open(options);
    } catch (e) {
      await closeQuietly(); // the map's lock may be ours even though the load failed
      throw e;
    }
    if (map.size !== objectCount) {
      await closeQuietly();
      throw new RadosError(`its object map has ${map.size} entries for ${objectCount} objects`, Errno.EINVAL);
    }
    return map;
  }

  /**
   * object_map::LockRequest then a load: the map's own lock ("rbd_lock", empty cookie), taken
   * from any earlier holder (librbd breaks it: the image lock we hold is what counts).
   */
  async open(options?: CallOptions): Promise<void> {
    const lock = clsLock.exclusiveLockOp(RBD_LOCK_NAME, '');
    for (let attempt = 0; ; attempt++) {
      try {
        await callCls(this.io, this.oid, clsLock.lock, lock, options);
        break;
      } catch (e) {
        if (hasErrno(e, Errno.EEXIST)) break; // ours already
        if (!hasErrno(e, Errno.EBUSY) || attempt > 3) throw e;
      }
      const info = await callCls(this.io, this.oid, clsLock.getInfo, RBD_LOCK_NAME, options);
      for (const l of info.lockers) {
        await callCls(this.io, this.oid, clsLock.breakLock, { name: RBD_LOCK_NAME, locker: l.locker, cookie: l.cookie }, options).catch(skipErrno(Errno.ENOENT));
      }
    }
    await this.load(options);
  }

  async load(options?: CallOptions): Promise<void> {
    try {
      this.states = decodeObjectMap(await callCls(this.io, this.oid, om.objectMapLoad, undefined, options));
    } catch (e) {
      throw new RadosError(`object map ${this.oid} cannot be loaded; the image is not written without it`, hasErrno(e, Errno.ENOENT) ? Errno.ENOENT : Errno.EINVAL, { cause: e });
    }
  }

  async close(options?: CallOptions): Promise<void> {
    await callCls(this.io, this.oid, clsLock.unlock, { name: RBD_LOCK_NAME, cookie: '' }, options).catch(skipErrno(Errno.ENOENT));
  }

  get size(): number {
    return this.states.length;
  }

  state(objectNo: number): number {
    return this.states[objectNo] ?? ObjectState.NONEXISTENT;
  }

  /** Before a write that may create the object: EXISTS on disk first, or librbd would skip it. */
  beforeWrite(objectNo: number, options?: CallOptions): Promise<void> {
    if (this.states[objectNo] === ObjectState.EXISTS) return Promise.resolve();
    return this.update(objectNo, ObjectState.EXISTS, undefined, options);
  }

  /** Before removing an object: PENDING (only if it was marked existing). */
  beforeRemove(objectNo: number, options?: CallOptions): Promise<void> {
    return this.update(objectNo, ObjectState.PENDING, ObjectState.EXISTS, options);
  }

  /** After removing it: NONEXISTENT (only if still PENDING). */
  afterRemove(objectNo: number, options?: CallOptions): Promise<void> {
    return this.update(objectNo, ObjectState.NONEXISTENT, ObjectState.PENDING, options);
  }

  private update(objectNo: number, state: number, current: number | undefined, options?: CallOptions): Promise<void> {
    const prev = this.pending.get(objectNo) ?? Promise.resolve();
    // Runs after the earlier update whatever its outcome (its failure went to its own caller).
    const run = async (): Promise<void> => {
      const now = this.states[objectNo];
      if (now === state) return;
      if (current !== undefined && now !== current && !(current === ObjectState.EXISTS && now === ObjectState.EXISTS_CLEAN)) return;
      await callCls(this.io, this.oid, om.objectMapUpdate, { start: objectNo, end: objectNo + 1, state, ...(current === undefined ? {} : { current }) }, options);
      this.states[objectNo] = state;
    };
    const next = prev.then(run, run);
    this.pending.set(objectNo, next);
    // Forgotten either way; a failure reaches our caller through `next` itself.
    const forget = (): void => {
      if (this.pending.get(objectNo) === next) this.pending.delete(objectNo);
    };
    next.then(forget, forget);
    return next;
  }

  /** One object's state in a snapshot's map (deep-flatten copy-up); a snapshot without a map is skipped. */
  async updateSnapshot(snapId: bigint, objectNo: number, state: number, options?: CallOptions): Promise<void> {
    await callCls(this.io, objectMapName(this.imageId, snapId), om.objectMapUpdate, { start: objectNo, end: objectNo + 1, state }, options).catch(skipErrno(Errno.ENOENT));
  }

  /** Growing (before the header) or shrinking (after trimming) to `count` objects. */
  async resize(count: number, options?: CallOptions): Promise<void> {
    await callCls(this.io, this.oid, om.objectMapResize, { count, state: ObjectState.NONEXISTENT }, options);
    const next = new Uint8Array(count);
    next.set(this.states.subarray(0, count));
    this.states = next;
  }

  /** object_map::SnapshotCreateRequest: the head's map copied for the snapshot, then EXISTS → EXISTS_CLEAN. */
  async snapshotAdd(snapId: bigint, options?: CallOptions): Promise<void> {
    const bytes = await callCls(this.io, this.oid, om.objectMapLoad, undefined, options);
    await callCls(this.io, objectMapName(this.imageId, snapId), om.objectMapSave, bytes, options);
    await callCls(this.io, this.oid, om.objectMapSnapAdd, undefined, options);
    for (let i = 0; i < this.states.length; i++) if (this.states[i] === ObjectState.EXISTS) this.states[i] = ObjectState.EXISTS_CLEAN;
  }

  /**
   * object_map::SnapshotRemoveRequest: the snapshot's map is folded into the next newer one's
   * (`nextSnapId`, or the head's when undefined) so fast-diff from an older snapshot still sees
   * what changed in between; then it is deleted.
   */
  async snapshotRemove(snapId: bigint, nextSnapId: bigint | undefined, options?: CallOptions): Promise<void> {
    const snapOid = objectMapName(this.imageId, snapId);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await callCls(this.io, snapOid, om.objectMapLoad, undefined, options);
    } catch (e) {
      if (!hasErrno(e, Errno.ENOENT)) throw e;
    }
    const into = nextSnapId === undefined ? this.oid : objectMapName(this.imageId, nextSnapId);
    if (bytes) await callCls(this.io, into, om.objectMapSnapRemove, bytes, options);
    await this.io.remove(snapOid, options).catch(skipErrno(Errno.ENOENT));
    if (nextSnapId === undefined) await this.load(options);
  }

  /** object_map::SnapshotRollbackRequest: the head's map becomes the snapshot's. */
  async rollback(snapId: bigint, options?: CallOptions): Promise<void> {
    const bytes = await callCls(this.io, objectMapName(this.imageId, snapId), om.objectMapLoad, undefined, options);
    await callCls(this.io, this.oid, om.objectMapSave, bytes, options);
    await this.load(options);
  }
}
