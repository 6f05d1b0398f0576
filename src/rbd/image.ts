// An open RBD image: the Python `rbd.Image` surface, in camelCase. The state lives in an
// ImageCtx (image-ctx.ts, librbd's ImageCtx); each method hands it to the module that does the
// work, split as librbd splits it: io/ (image and object requests), operation/ (snapshots,
// metadata, resize, rollback, flatten; an image's removal, from RBD.remove), clone.ts, image-streams.ts.
// Kept in our .d.ts (preserve) so consumers without Node types or lib esnext see Symbol.asyncDispose.
/// <reference lib="esnext.disposable" preserve="true" />
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, RadosError, skipErrno } from '../../protocol/errors.ts';
import { utf8Encode } from '../../protocol/encoding/utf8.ts';
import type { CallOptions } from '../abort.ts';
import type { IoCtx } from '../ioctx.ts';
import { type ChildInfo, listChildren } from './clone.ts';
import { ImageCtx, type OpenByIdOptions, type OpenOptions } from './image-ctx.ts';
import { imageIdByName } from './image-id.ts';
import * as locks from './image-locks.ts';
import type { ImageLockers, LockModeValue, LockOwner } from './image-locks.ts';
import { formatInfo, type ImageInfo, imageNameById } from './image-info.ts';
import type { ParentSpec, SnapInfo } from './image-header.ts';
import { toDate } from './image-header.ts';
import { imageReadable, imageWritable, type ReadableOptions, type WritableOptions } from './image-streams.ts';
import { discardImage, readImage, writeImage } from './io/image-request.ts';
import { flatten } from './operation/flatten.ts';
import { metadataGet, metadataList, metadataRemove, metadataSet } from './operation/metadata.ts';
import { resize } from './operation/resize.ts';
import { rollbackToSnapshot } from './operation/rollback.ts';
import { createSnapshot, protectSnapshot, removeSnapshotById, removeSnapshotNamed, renameSnapshot, unprotectSnapshot } from './operation/snapshot.ts';
import type { ProgressOptions } from './progress.ts';
import type { Layout } from './striper.ts';
import { trashGet } from './trash.ts';

export { headerName, idObjectName } from './object-names.ts';

export type { ImageInfo } from './image-info.ts';

export type { ParentSpec, SnapInfo } from './image-header.ts';

export type { OpenByIdOptions, OpenOptions } from './image-ctx.ts';

export { LockMode, type ImageLocker, type ImageLockers, type LockModeValue, type LockOwner } from './image-locks.ts';

/** `Image.listSnaps` options. */
export interface ListSnapsOptions {
  /** Also the snapshots in the trash (v2 clones keep them), as `rbd snap ls --all`. */
  all?: boolean;
}

/** An open RBD image (Python `rbd.Image`): I/O, snapshots, clones, metadata. From `RBD.open`. */
export class Image {
  private readonly ctx: ImageCtx;

  private constructor(ctx: ImageCtx) {
    this.ctx = ctx;
  }

  /** Opens an image by name (Python: `rbd.Image(ioctx, name, snapshot=None, read_only=False)`). */
  static async open(ioctx: IoCtx, name: string, opts: OpenOptions = {}): Promise<Image> {
    return Image.openById(ioctx, name, await imageIdByName(ioctx, name, opts), opts);
  }

  /** Opens an image by id (parents are found by id); `name` is for messages and info. */
  static async openById(ioctx: IoCtx, name: string, id: string, opts: OpenByIdOptions = {}): Promise<Image> {
    return new Image(await ImageCtx.open(ioctx, name, id, opts));
  }

  /** The image's name. */
  get name(): string {
    return this.ctx.name;
  }

  /** The image's id (its header is `rbd_header.<id>`). */
  get id(): string {
    return this.ctx.id;
  }

  /** The pool holding the header (and the data). */
  get ioctx(): IoCtx {
    return this.ctx.ioctx;
  }

  /** Re-reads the header: size, features, snapshots, parent (librbd's RefreshRequest). */
  refresh(options?: CallOptions): Promise<void> {
    return this.ctx.refresh(options);
  }

  /** The image's size (at the open snapshot, if any). */
  get size(): number {
    return this.ctx.size;
  }

  /** The image's striping: object size, stripe unit and count. */
  get layoutInfo(): Layout {
    return { ...this.ctx.layout };
  }

  /** Why writes are refused, or undefined when they are allowed. */
  get readOnlyReason(): string | undefined {
    return this.ctx.readOnlyReason;
  }

  /** `rbd info --format json`, field for field. */
  async info(options?: CallOptions): Promise<ImageInfo> {
    const ctx = this.ctx;
    ctx.checkOpen();
    const ts = await Promise.all([cls.getCreateTimestamp, cls.getAccessTimestamp, cls.getModifyTimestamp].map(async (m) => toDate(await ctx.call(m, undefined, options))));
    const p = ctx.parentSpec;
    let parent: ImageInfo['parent'];
    if (p) {
      const img = await ctx.openParent(options);
      const snapshot = img.snaps.find((s) => s.id === p.snapId)?.name ?? '';
      // librbd api/Image.cc get_parent: a parent gone from the directory is named from the trash.
      let image = await imageNameById(img.ioctx, p.imageId, options);
      let inTrash = false;
      if (image === '') {
        const t = await trashGet(img.ioctx, p.imageId, options).catch(skipErrno(Errno.ENOENT));
        if (t) [image, inTrash] = [t.name, true];
      }
      parent = {
        pool: img.ioctx.poolName,
        pool_namespace: p.poolNamespace,
        image,
        id: p.imageId,
        snapshot,
        trash: inTrash,
        overlap: p.overlap,
      };
    }
    return formatInfo({
      name: ctx.name,
      id: ctx.id,
      size: ctx.size,
      order: ctx.order,
      layout: ctx.layout,
      snapshotCount: ctx.snaps.length,
      objectPrefix: ctx.objectPrefix,
      features: ctx.features,
      opFeatures: ctx.opFeatures,
      timestamps: [ts[0]!, ts[1]!, ts[2]!],
      ...(ctx.data.poolId !== ctx.ioctx.poolId ? { dataPool: ctx.data.poolName } : {}),
      ...(parent ? { parent } : {}),
    });
  }

  /** The parent of a clone (pool id, image id, snapshot id, overlap), or undefined. */
  parentInfo(): ParentSpec | undefined {
    return this.ctx.parentSpec ? { ...this.ctx.parentSpec } : undefined;
  }

  // --- data (io/image-request.ts) --------------------------------------------------------------

  /** Reads [offset, offset + length), clipped to the image's end; holes read as zeros. */
  read(offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    return readImage(this.ctx, offset, length, options);
  }

  /** Writes `data` at `offset` (Python: `write(data, offset)`); returns the bytes written. */
  async write(data: Uint8Array | string, offset: number, options?: CallOptions): Promise<number> {
    this.ctx.checkWritable();
    return writeImage(this.ctx, typeof data === 'string' ? utf8Encode(data) : data, offset, options);
  }

  /**
   * Discards a range: whole objects are removed, an object's tail truncated, anything else
   * zeroed (librbd's discard without the skip-partial option); reads then return zeros.
   */
  discard(offset: number, length: number, options?: CallOptions): Promise<void> {
    return discardImage(this.ctx, offset, length, options);
  }

  /** Nothing is cached: every write is on the OSDs when its promise resolves. */
  flush(): Promise<void> {
    // On a closed image the promise rejects (EBADF), as every other call's, rather than the call throwing.
    return new Promise((resolve) => {
      this.ctx.checkOpen();
      resolve();
    });
  }

  // --- snapshots (operation/snapshot.ts) -------------------------------------------------------

  /** Python `list_snaps`: the snapshots `rbd snap ls` shows; `{ all: true }` adds the trash (`--all`). */
  listSnaps(opts: ListSnapsOptions = {}): SnapInfo[] {
    return this.ctx.snaps.filter((s) => opts.all || s.namespaceType === cls.SnapNamespaceType.USER).map((s) => ({ ...s }));
  }

  /** Python `create_snap`: a self-managed snap id from the monitors, recorded in the header. */
  createSnap(name: string, options?: CallOptions): Promise<void> {
    return createSnapshot(this.ctx, name, options);
  }

  /**
   * Python `remove_snap`, as librbd: EBUSY while protected; a snapshot v2 clones still use moves
   * to the trash namespace instead (gone from listSnaps; deleted when its last clone goes).
   */
  removeSnap(name: string, options?: CallOptions): Promise<void> {
    return removeSnapshotNamed(this.ctx, name, options);
  }

  /** Removes the snapshot with this id, in any namespace (trashed ones included): 'trashed' when v2 clones keep it. */
  removeSnapById(snapId: bigint, options?: CallOptions): Promise<'removed' | 'trashed'> {
    return removeSnapshotById(this.ctx, snapId, options);
  }

  /** Renames a snapshot (Python `rename_snap`). */
  renameSnap(from: string, to: string, options?: CallOptions): Promise<void> {
    return renameSnapshot(this.ctx, from, to, options);
  }

  /** Reads from now on see snapshot `name` (null: the head again). Python `set_snap`. */
  async setSnap(name: string | null, options?: CallOptions): Promise<void> {
    this.ctx.checkOpen();
    await this.ctx.useSnap(name === null ? undefined : this.ctx.userSnap(name), options);
  }

  /** Python `protect_snap`: clones (v1) may only be made from protected snapshots. */
  protectSnap(name: string, options?: CallOptions): Promise<void> {
    return protectSnapshot(this.ctx, name, options);
  }

  /** Python `unprotect_snap`: EBUSY while the snapshot has clones (in any pool). */
  unprotectSnap(name: string, options?: CallOptions): Promise<void> {
    return unprotectSnapshot(this.ctx, name, options);
  }

  /** Whether a snapshot is protected (Python `is_protected_snap`), from the header as last read. */
  isProtectedSnap(name: string): boolean {
    return this.ctx.userSnap(name).protected;
  }

  // --- clones (clone.ts, operation/flatten.ts) ---------------------------------------------------

  /** The clones of this image's snapshot (the open one, or `snapName`): Python `list_children2`. */
  async listChildren(snapName?: string, options?: CallOptions): Promise<ChildInfo[]> {
    this.ctx.checkOpen();
    const s = snapName !== undefined ? this.ctx.userSnap(snapName) : this.ctx.readSnap;
    if (!s) throw new RadosError(`listChildren needs a snapshot (open one, or name it)`, Errno.EINVAL);
    return listChildren(this.ctx.ioctx, this.ctx.id, s.id, options);
  }

  /** Bytes of a clone still backed by its parent (Python `overlap`); 0 when not a clone. */
  get overlap(): number {
    return this.ctx.overlap;
  }

  /** Python `flatten`: copies the parent's data into every object of the overlap, then detaches. */
  flatten(opts: ProgressOptions = {}): Promise<void> {
    return flatten(this.ctx, opts);
  }

  // --- resize, rollback (operation/) -----------------------------------------------------------

  /** Python `resize`: shrinking removes the data past the new end first, as librbd does. */
  resize(size: number, opts: ProgressOptions = {}): Promise<void> {
    return resize(this.ctx, size, opts);
  }

  /** Python `rollback_to_snap`: the image's size and every object as they were at the snapshot. */
  rollbackToSnap(name: string, opts: ProgressOptions = {}): Promise<void> {
    return rollbackToSnapshot(this.ctx, name, opts);
  }

  // --- streams (image-streams.ts) --------------------------------------------------------------

  /** The image (or a range of it) as a Web Stream of object-sized chunks, reads in flight ahead. */
  readable(opts: ReadableOptions = {}): ReadableStream<Uint8Array> {
    return imageReadable(this.ctx, opts);
  }

  /** A Web Stream writing at `offset` onwards, with bounded writes in flight and backpressure. */
  writable(opts: WritableOptions = {}): WritableStream<Uint8Array> {
    return imageWritable(this.ctx, opts);
  }

  // --- metadata (operation/metadata.ts) --------------------------------------------------------

  /** Sets an image-meta key (Python `metadata_set`), under the exclusive lock as librbd. */
  metadataSet(key: string, value: string, options?: CallOptions): Promise<void> {
    return metadataSet(this.ctx, key, value, options);
  }

  /** An image-meta value (Python `metadata_get`). */
  metadataGet(key: string, options?: CallOptions): Promise<string> {
    return metadataGet(this.ctx, key, options);
  }

  /** Removes an image-meta key (Python `metadata_remove`), under the exclusive lock as librbd. */
  metadataRemove(key: string, options?: CallOptions): Promise<void> {
    return metadataRemove(this.ctx, key, options);
  }

  /** Every image-meta key and value (Python `metadata_list`). */
  metadataList(options?: CallOptions): Promise<Map<string, string>> {
    return metadataList(this.ctx, options);
  }

  // --- locks (image-locks.ts) -----------------------------------------------------------------

  /**
   * Python `lock_acquire`: takes the exclusive lock (asking its owner, which may refuse: EROFS)
   * and keeps it until `lockRelease` or close: other clients asking for it are refused (EROFS),
   * and from now on changes no longer take the lock by themselves (EROFS without it). EINVAL
   * without the exclusive-lock feature or when open read-only; EOPNOTSUPP for LockMode.SHARED.
   */
  lockAcquire(lockMode: LockModeValue, options?: CallOptions): Promise<void> {
    return locks.lockAcquire(this.ctx, lockMode, options);
  }

  /** Python `lock_release`: lets the exclusive lock go (after the changes in flight); EINVAL when not ours. */
  lockRelease(options?: CallOptions): Promise<void> {
    return locks.lockRelease(this.ctx, options);
  }

  /** Python `lock_get_owners`: the exclusive lock's owner by address (empty when unlocked); EINVAL without the feature. */
  lockGetOwners(options?: CallOptions): Promise<LockOwner[]> {
    return locks.lockGetOwners(this.ctx, options);
  }

  /**
   * Python `lock_break`: blocklists the exclusive lock's owner (`lockOwner`, its address from
   * `lockGetOwners`) and breaks its lock. EBUSY when that is not the owner, ENOENT when unlocked,
   * EINVAL for our own lock or without the feature, EROFS when open read-only.
   */
  lockBreak(lockMode: LockModeValue, lockOwner: string, options?: CallOptions): Promise<void> {
    return locks.lockBreak(this.ctx, lockMode, lockOwner, options);
  }

  /** Python `is_exclusive_lock_owner`, asked of the OSD (a lock broken by another client reads false). */
  isExclusiveLockOwner(options?: CallOptions): Promise<boolean> {
    return locks.isExclusiveLockOwner(this.ctx, options);
  }

  /** Python `lock_exclusive` (`rbd lock add`): an advisory lock; EBUSY when held by another, EEXIST under this cookie already. */
  lockExclusive(cookie: string, options?: CallOptions): Promise<void> {
    return locks.lockExclusive(this.ctx, cookie, options);
  }

  /** Python `lock_shared` (`rbd lock add --shared tag`): EBUSY when held exclusively or under another tag. */
  lockShared(cookie: string, tag: string, options?: CallOptions): Promise<void> {
    return locks.lockShared(this.ctx, cookie, tag, options);
  }

  /** Python `unlock`: releases our advisory lock under `cookie`; ENOENT when there is none. */
  unlock(cookie: string, options?: CallOptions): Promise<void> {
    return locks.unlock(this.ctx, cookie, options);
  }

  /** Python `break_lock` (`rbd lock rm`): blocklists `client` (`client.<id>`) and breaks its advisory lock under `cookie`. */
  breakLock(client: string, cookie: string, options?: CallOptions): Promise<void> {
    return locks.breakLock(this.ctx, client, cookie, options);
  }

  /** Python `list_lockers` (`rbd lock ls`): the header lock's tag, type and holders. */
  listLockers(options?: CallOptions): Promise<ImageLockers> {
    return locks.listLockers(this.ctx, options);
  }

  /** Releases the exclusive lock and the header watch, and closes the parent; later calls fail with EBADF. */
  close(): Promise<void> {
    return this.ctx.close();
  }

  /** `close()`, for `await using img = await rbd.open(io, name)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A v2 clone (clone-child op feature): detached from the parent's snapshot, not rbd_children. */
  get isCloneV2(): boolean {
    return this.ctx.isCloneV2;
  }
}
