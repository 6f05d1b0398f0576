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
import { Feature } from './features.ts';
import * as locks from './image-locks.ts';
import type { ImageLockers, LockModeValue, LockOwner } from './image-locks.ts';
import { formatInfo, type ImageInfo, imageNameById } from './image-info.ts';
import type { ParentSpec, SnapInfo } from './image-header.ts';
import { toDate } from './image-header.ts';
import { type DiffCallback, diffExtents, type DiffExtent, diffIterate, type DiffIterateOptions } from './diff-iterate.ts';
import { exportDiffStream, type ExportDiffOptions, importDiffStream, type ImportDiffOptions } from './export-diff.ts';
import { imageReadable, imageWritable, type ReadableOptions, type WritableOptions } from './image-streams.ts';
import { discardImage, readImage, writeImage } from './io/image-request.ts';
import { flatten } from './operation/flatten.ts';
import { metadataGet, metadataList, metadataRemove, metadataSet } from './operation/metadata.ts';
import { resize } from './operation/resize.ts';
import { getSnapLimit, NO_SNAP_LIMIT, setSnapLimit } from './operation/snap-limit.ts';
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

/** `Image.snapGetTrashNamespace`: what a snapshot in the trash namespace was called. */
export interface TrashSnapNamespace {
  /** Its name before it moved to the trash. */
  originalName: string;
  /** Its namespace type then (0 user, 1 group; Python's `original_namespace_type`, Quincy and later). */
  originalNamespaceType: number;
}

/** A client watching an image's header (`Image.watchersList`; librbd's image_watcher_t). */
export interface ImageWatcher {
  /** The watcher's address, as the OSD reports it. */
  addr: string;
  /** Its client id (the N of client.N). */
  id: bigint;
  /** Its watch cookie. */
  cookie: bigint;
}

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

  /**
   * Re-reads the header: size, features, snapshots, parent (librbd's RefreshRequest). Seldom
   * needed: every call refreshes first when another client said the header changed, as librbd.
   */
  refresh(options?: CallOptions): Promise<void> {
    return this.ctx.refresh(options);
  }

  /**
   * The image's size (at the open snapshot, if any), as last read: another client's resize is
   * here once its operation returns (its HEADER_UPDATE notification refreshed us).
   */
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
    await ctx.fresh(options);
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
    this.ctx.checkOpen();
    return this.ctx.parentSpec ? { ...this.ctx.parentSpec } : undefined;
  }

  // --- properties (Python rbd.Image's accessors) -----------------------------------------------

  /** Python `features()`: the image's feature bits (RBD_FEATURE_*; `RBD.featuresToString` names them). */
  features(): bigint {
    this.ctx.checkOpen();
    return this.ctx.features;
  }

  /** Python `op_features()`: the header's operation feature bits (clone-parent, clone-child, snap-trash, …). */
  opFeatures(): bigint {
    this.ctx.checkOpen();
    return this.ctx.opFeatures;
  }

  /** Python `flags()`: the header's flags (RBD_FLAG_OBJECT_MAP_INVALID 1, RBD_FLAG_FAST_DIFF_INVALID 2). */
  flags(): bigint {
    this.ctx.checkOpen();
    return this.ctx.flags;
  }

  /** Python `stripe_unit()`, in bytes. */
  stripeUnit(): number {
    this.ctx.checkOpen();
    return this.ctx.layout.stripeUnit;
  }

  /** Python `stripe_count()`. */
  stripeCount(): number {
    this.ctx.checkOpen();
    return this.ctx.layout.stripeCount;
  }

  /** Python `data_pool_id()`: the pool of the data objects (the header's pool when there is no data pool). */
  dataPoolId(): number {
    this.ctx.checkOpen();
    return this.ctx.data.poolId;
  }

  /** Python `block_name_prefix()`: the data objects' name prefix (`rbd_data.<id>`). */
  blockNamePrefix(): string {
    this.ctx.checkOpen();
    return this.ctx.objectPrefix;
  }

  /** Python `old_format()`: whether this is a format-1 image; this library opens format 2 only. */
  oldFormat(): boolean {
    this.ctx.checkOpen();
    return false;
  }

  /** The snapshot of this id in any namespace; ENOENT when there is none. */
  #snapById(snapId: bigint): SnapInfo {
    this.ctx.checkOpen();
    const s = this.ctx.snaps.find((x) => x.id === snapId);
    if (!s) throw new RadosError(`image ${this.ctx.name} has no snapshot ${snapId}`, Errno.ENOENT);
    return s;
  }

  /** Python `snap_exists(name)`: whether a user snapshot of that name exists. */
  snapExists(name: string): boolean {
    this.ctx.checkOpen();
    return this.ctx.snaps.some((s) => s.name === name && s.namespaceType === cls.SnapNamespaceType.USER);
  }

  /** Python `snap_get_id(name)`: a user snapshot's id; ENOENT when there is none. */
  snapGetId(name: string): bigint {
    this.ctx.checkOpen();
    const s = this.ctx.snaps.find((x) => x.name === name && x.namespaceType === cls.SnapNamespaceType.USER);
    if (!s) throw new RadosError(`image ${this.ctx.name} has no snapshot ${name}`, Errno.ENOENT);
    return s.id;
  }

  /** Python `snap_get_name(snap_id)`; ENOENT when there is none. */
  snapGetName(snapId: bigint): string {
    return this.#snapById(snapId).name;
  }

  /** Python `get_snap_timestamp(snap_id)`: when the snapshot was taken. */
  getSnapTimestamp(snapId: bigint): Date {
    return this.#snapById(snapId).timestamp;
  }

  /** Python `snap_get_namespace_type(snap_id)`: 0 user, 1 group, 2 trash (RBD_SNAP_NAMESPACE_TYPE_*). */
  snapGetNamespaceType(snapId: bigint): number {
    return this.#snapById(snapId).namespaceType;
  }

  /** Python `create_timestamp()`: when the image was created (cls_rbd get_create_timestamp). */
  async createTimestamp(options?: CallOptions): Promise<Date> {
    this.ctx.checkOpen();
    return toDate(await this.ctx.call(cls.getCreateTimestamp, undefined, options));
  }

  /** Python `access_timestamp()` (cls_rbd get_access_timestamp). */
  async accessTimestamp(options?: CallOptions): Promise<Date> {
    this.ctx.checkOpen();
    return toDate(await this.ctx.call(cls.getAccessTimestamp, undefined, options));
  }

  /** Python `modify_timestamp()` (cls_rbd get_modify_timestamp). */
  async modifyTimestamp(options?: CallOptions): Promise<Date> {
    this.ctx.checkOpen();
    return toDate(await this.ctx.call(cls.getModifyTimestamp, undefined, options));
  }

  /** Python `parent_id()`: the parent image's id; ENOENT when this is not a clone (at the open snapshot). */
  parentId(): string {
    this.ctx.checkOpen();
    const p = this.ctx.parentSpec;
    if (!p) throw new RadosError(`image ${this.ctx.name} has no parent`, Errno.ENOENT);
    return p.imageId;
  }

  /** Python `get_snap_limit()`: the most snapshots the image may have; 2^64-1 when no limit is set. */
  getSnapLimit(options?: CallOptions): Promise<bigint> {
    return getSnapLimit(this.ctx, options);
  }

  /** Python `set_snap_limit(limit)` (`rbd snap limit set`): snapshot creation past it fails with EDQUOT (the OSD's class checks it). */
  setSnapLimit(limit: bigint, options?: CallOptions): Promise<void> {
    return setSnapLimit(this.ctx, limit, options);
  }

  /** Python `remove_snap_limit()` (`rbd snap limit clear`). */
  removeSnapLimit(options?: CallOptions): Promise<void> {
    return setSnapLimit(this.ctx, NO_SNAP_LIMIT, options);
  }

  /** Python `snap_get_trash_namespace(snap_id)`: the name a snapshot in the trash namespace had; EINVAL for one not in the trash. */
  snapGetTrashNamespace(snapId: bigint): TrashSnapNamespace {
    const s = this.#snapById(snapId);
    if (s.namespaceType !== cls.SnapNamespaceType.TRASH) throw new RadosError(`snapshot ${snapId} is not in the trash`, Errno.EINVAL);
    // The namespace it had (SnapshotNamespaceType; user = 0 when the header does not say, as before Quincy).
    const type = Object.entries(cls.SNAP_NAMESPACE_NAMES).find(([, n]) => n === s.trashOriginalNamespace)?.[0];
    return { originalName: s.trashOriginalName ?? '', originalNamespaceType: type !== undefined ? Number(type) : cls.SnapNamespaceType.USER };
  }

  /** Python `set_snap_by_id(snap_id)`: reads at the snapshot of this id, in any namespace (null: the head again). */
  async setSnapById(snapId: bigint | null, options?: CallOptions): Promise<void> {
    await this.ctx.fresh(options);
    await this.ctx.useSnap(snapId === null ? undefined : this.#snapById(snapId), options);
  }

  /** Python `invalidate_cache()`: nothing to drop, as this library keeps no cache; EINVAL once closed. */
  invalidateCache(): Promise<void> {
    return this.flush();
  }

  /** Python `watchers_list()`: the clients watching the header (librbd's list_watchers), each with address, client id and cookie. */
  async watchersList(options?: CallOptions): Promise<ImageWatcher[]> {
    this.ctx.checkOpen();
    const ws = await this.ctx.ioctx.listWatchers(this.ctx.header, options);
    return ws.map((w) => ({ addr: w.addr, id: BigInt(w.client.replace(/^client\./, '')), cookie: w.cookie }));
  }

  // --- data (io/image-request.ts) --------------------------------------------------------------

  /**
   * Reads [offset, offset + length), clipped to the image's end; EINVAL when it starts at or past
   * the end (an empty read never fails), as librbd's clip_io; holes read as zeros.
   */
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

  /**
   * Python `write_zeroes(offset, length)`: the range reads as zeros after it, as librbd's
   * write_zeroes without flags (a discard that zeroes partial objects; here the same as `discard`).
   */
  writeZeroes(offset: number, length: number, options?: CallOptions): Promise<void> {
    return discardImage(this.ctx, offset, length, options);
  }

  /** Nothing is cached: every write is on the OSDs when its promise resolves. */
  flush(): Promise<void> {
    // On a closed image the promise rejects (EINVAL), as every other call's, rather than the call throwing.
    return new Promise((resolve) => {
      this.ctx.checkOpen();
      resolve();
    });
  }

  // --- snapshots (operation/snapshot.ts) -------------------------------------------------------

  /** Python `list_snaps`: the snapshots `rbd snap ls` shows; `{ all: true }` adds the trash (`--all`). */
  listSnaps(opts: ListSnapsOptions = {}): SnapInfo[] {
    this.ctx.checkOpen();
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
    await this.ctx.fresh(options);
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
    this.ctx.checkOpen();
    return this.ctx.userSnap(name).protected;
  }

  // --- clones (clone.ts, operation/flatten.ts) ---------------------------------------------------

  /**
   * The clones of this image's snapshot `snapName`, else of the open snapshot, else of every
   * snapshot (trashed ones included): Python `list_children2` (with `snapName`, no binding
   * counterpart). Each says whether it is in the trash.
   */
  async listChildren(snapName?: string, options?: CallOptions): Promise<ChildInfo[]> {
    return listChildren(this.ctx.ioctx, this.ctx.id, await this.#childSnaps(snapName, options), 1, options);
  }

  /** Python `list_descendants`: as listChildren, then their clones, and so on down. */
  async listDescendants(options?: CallOptions): Promise<ChildInfo[]> {
    return listChildren(this.ctx.ioctx, this.ctx.id, await this.#childSnaps(undefined, options), Infinity, options);
  }

  /** The snapshots whose clones listChildren looks for (librbd: none without the layering feature). */
  async #childSnaps(snapName: string | undefined, options?: CallOptions): Promise<bigint[]> {
    await this.ctx.fresh(options);
    if ((this.features() & Feature.LAYERING) === 0n) return [];
    const s = snapName !== undefined ? this.ctx.userSnap(snapName) : this.ctx.readSnap;
    return s ? [s.id] : this.ctx.snaps.map((x) => x.id);
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

  // --- diffs (diff-iterate.ts) ----------------------------------------------------------------

  /**
   * Python `diff_iterate(offset, length, from_snapshot, iterate_cb, include_parent=True,
   * whole_object=False)`: calls `callback(offset, length, exists)` for each extent of
   * [offset, offset + length) that changed since `fromSnapshot` (null: since creation), in
   * image order, at the version this handle reads (the head, or the snapshot set). `exists`
   * false: the extent now reads as zeros. EINVAL when `offset` is at or past the end (an empty
   * range never fails) or the start snapshot is not older; ENOENT for an unknown snapshot.
   */
  diffIterate(offset: number, length: number, fromSnapshot: string | null, callback: DiffCallback, opts: DiffIterateOptions = {}): Promise<void> {
    return diffIterate(this.ctx, offset, length, fromSnapshot, callback, opts);
  }

  /** `diffIterate`'s extents as an async iterable, for `for await`: the same extents, in the same order. */
  diffExtents(offset: number, length: number, fromSnapshot: string | null, opts: DiffIterateOptions = {}): AsyncIterable<DiffExtent> {
    return diffExtents(this.ctx, offset, length, fromSnapshot, opts);
  }

  /**
   * `rbd export-diff [--from-snap S] [--whole-object] IMAGE[@SNAP] FILE`, byte for byte, as a
   * Web Stream: the changes of the version this handle reads since `fromSnapshot` (or creation).
   */
  exportDiff(opts: ExportDiffOptions = {}): ReadableStream<Uint8Array> {
    return exportDiffStream(this.ctx, opts);
  }

  /**
   * `rbd import-diff FILE IMAGE`: applies an export-diff stream to the head (the start snapshot
   * must exist: EINVAL; the end one must not: EEXIST), then creates the end snapshot it names.
   */
  importDiff(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, opts: ImportDiffOptions = {}): Promise<void> {
    return importDiffStream(this.ctx, source, opts);
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

  /** Releases the exclusive lock and the header watch, and closes the parent; later calls fail with EINVAL (as the Python binding). */
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
