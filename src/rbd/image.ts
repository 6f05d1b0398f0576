// An open RBD image (librbd's ImageCtx + the Python `rbd.Image` surface, in camelCase): header
// state read through cls_rbd, data striped over rbd_data objects, writes carrying the image's
// snapshot context, reads at the head or a snapshot, snapshots through self-managed snap ids.
// Kept in our .d.ts (preserve) so consumers without Node types or lib esnext see Symbol.asyncDispose.
/// <reference lib="esnext.disposable" preserve="true" />
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import { utf8Encode } from '../../protocol/encoding/utf8.ts';
import type { CallOptions } from '../abort.ts';
import type { IoCtx } from '../ioctx.ts';
import { HeaderWatcher } from './header-watcher.ts';
import { Feature, featureNames, OP_CLONE_PARENT, OP_SNAP_TRASH, WRITABLE_FEATURES } from './features.ts';
import { headerName } from './object-names.ts';
import { formatInfo, type ImageInfo, imageNameById } from './image-info.ts';
import { dataObjectName, type Layout, numObjects } from './striper.ts';
import { copyupAll, type ImageState, type Progress, rollbackObjects, trim } from './image-ops.ts';
import { discardData, readData, writeData } from './image-io.ts';
import { ExclusiveLock } from './exclusive-lock.ts';
import { ObjectMap } from './object-map.ts';
import { RBD_FLAG_OBJECT_MAP_INVALID } from '../../protocol/cls/cls-rbd-object-map.ts';
import { type ChildInfo, detachParent, leaveParent, listChildren, OP_CLONE_CHILD, parentIoCtx } from './clone.ts';
import { createSnapshot, protectSnapshot, removeSnapshot, renameSnapshot, type SnapshotHost, unprotectSnapshot, userSnapNamed } from './image-snapshots.ts';
import { metadataGet, metadataList, metadataRemove, metadataSet } from './image-metadata.ts';
import { callCls, type ObjectClsCall } from '../cls-call.ts';
import { imageIdByName } from './image-id.ts';
import { imageReadable, imageWritable, type ReadableOptions, type WritableOptions } from './image-streams.ts';
import { type ParentSpec, readHeader, readParent, type SnapInfo, toDate } from './image-header.ts';

export { headerName, idObjectName } from './object-names.ts';

export type { ImageInfo } from './image-info.ts';

export type { ParentSpec, SnapInfo } from './image-header.ts';

/** `RBD.open` options. */
export interface OpenOptions extends CallOptions {
  /** Open at this snapshot (read-only). */
  snapshot?: string;
  /** Open read-only: writes fail with EROFS and no exclusive lock is taken. */
  readOnly?: boolean;
}

/** An open RBD image (Python `rbd.Image`): I/O, snapshots, clones, metadata. From `RBD.open`. */
export class Image {
  /** The image's name. */
  readonly name: string;
  /** The image's id (its header is `rbd_header.<id>`). */
  readonly id: string;
  /** The pool holding the header (and the data). */
  readonly ioctx: IoCtx;
  private data: IoCtx;
  private readonly header: string;
  private order = 22;
  private headSize = 0;
  private features = 0n;
  private opFeatures = 0n;
  private objectPrefix = '';
  private layout: Layout = { objectSize: 1 << 22, stripeUnit: 1 << 22, stripeCount: 1 };
  private snaps: SnapInfo[] = [];
  private readSnap: SnapInfo | undefined;
  private parentSpec: ParentSpec | undefined;
  /** The header's parent link, kept while the head or a snapshot still uses the parent. */
  private parentLink: cls.ParentImageSpec | undefined;
  private parentImage: Promise<Image> | undefined;
  private readonly readOnlyAsked: boolean;
  private closed = false;
  /** Our watch on the header (writable opens): other clients' header changes mark us stale. */
  private watcher: HeaderWatcher | undefined;
  private stale = false;
  private refreshing: Promise<void> | undefined;
  /** exclusive-lock: writes wait for it; undefined without the feature or when read-only. */
  private lock: ExclusiveLock | undefined;
  /** object-map: loaded while we hold the lock. */
  private objectMap: ObjectMap | undefined;
  /** Why the object map cannot be trusted (load failed, wrong size), if so. */
  private objectMapProblem: string | undefined;
  private flags = 0n;
  /** The data IoCtx with an empty snapshot context, for deep-flatten copy-ups. */
  private noSnapc: IoCtx | undefined;

  private constructor(ioctx: IoCtx, name: string, id: string, readOnly: boolean) {
    this.ioctx = ioctx;
    this.data = ioctx.dup();
    this.name = name;
    this.id = id;
    this.header = headerName(id);
    this.readOnlyAsked = readOnly;
  }

  /** Opens an image by name (Python: `rbd.Image(ioctx, name, snapshot=None, read_only=False)`). */
  static async open(ioctx: IoCtx, name: string, opts: OpenOptions = {}): Promise<Image> {
    return Image.openById(ioctx, name, await imageIdByName(ioctx, name, opts), opts);
  }

  /** Opens an image by id (parents are found by id); `name` is for messages and info. */
  static async openById(ioctx: IoCtx, name: string, id: string, opts: OpenOptions & { snapId?: bigint } = {}): Promise<Image> {
    const img = new Image(ioctx, name, id, opts.readOnly === true || opts.snapshot !== undefined || opts.snapId !== undefined);
    await img.refresh(opts);
    if (!img.readOnlyAsked) {
      // As librbd's ImageWatcher: any notification on the header (a snapshot made by `rbd`, a
      // resize) means our header state may be old; refresh before the next write.
      img.watcher = await HeaderWatcher.start(ioctx, img.header, {
        notify: (payload) => {
          img.stale = true;
          return img.lock?.handleNotify(payload);
        },
        lost: () => {
          img.stale = true;
          img.lock?.lost('watch');
        },
        rewatched: (cookie) => img.lock?.rewatched(cookie),
      }, opts);
      if (img.features & Feature.EXCLUSIVE_LOCK) {
        img.lock = new ExclusiveLock(ioctx, img.header, { gid: ioctx.instanceId, handle: img.watcher.cookie }, {
          acquired: (o) => img.lockAcquired(o),
          releasing: () => img.lockReleasing(),
        });
      }
    }
    if (opts.snapshot !== undefined) await img.useSnap(img.snapNamed(opts.snapshot), opts.snapshot, opts);
    else if (opts.snapId !== undefined) await img.useSnap(img.snaps.find((s) => s.id === opts.snapId), String(opts.snapId), opts);
    return img;
  }

  /** cls calls on our header. */
  private readonly call: ObjectClsCall = (method, input, options) => callCls(this.ioctx, this.header, method, input, options);

  /** Re-reads the header: size, features, snapshots, parent (librbd's RefreshRequest). */
  async refresh(options?: CallOptions): Promise<void> {
    const h = await readHeader(this.ioctx, this.header, this.name, this.readOnlyAsked, options);
    this.order = h.order;
    this.headSize = h.headSize;
    this.features = h.features;
    this.flags = h.flags;
    this.objectPrefix = h.objectPrefix;
    this.layout = h.layout;
    this.opFeatures = h.opFeatures;
    this.snaps = h.snaps;
    if (h.dataPoolId !== undefined && this.data.poolId === this.ioctx.poolId) {
      // The data-pool feature: data objects live in another pool (same namespace), header here.
      const pool = this.ioctx.lookupPool(h.dataPoolId);
      if (!pool) throw new RadosError(`data pool ${h.dataPoolId} of image ${this.name} does not exist`, Errno.ENOENT);
      this.data = this.ioctx.forPool(pool.id, pool.name);
    }
    if (this.features & Feature.LAYERING) await this.loadParent(options);
    this.data.setSelfManagedSnapWriteCtx(h.snapContext.seq, h.snapContext.snaps);
  }

  private async loadParent(options?: CallOptions): Promise<void> {
    const p = await readParent(this.ioctx, this.header, this.readSnap?.id ?? cls.HEAD, options);
    this.parentSpec = p.atSnap;
    this.parentLink = p.link;
  }

  /** Reads at snapshot `s`; a clone's overlap at a snapshot is the snapshot's own (it may differ
   *  from the head's after a resize or a flatten), so the parent link is re-read for it. */
  private async useSnap(s: SnapInfo | undefined, what: string, options?: CallOptions): Promise<void> {
    if (!s) throw new RadosError(`image ${this.name} has no snapshot ${what}`, Errno.ENOENT);
    this.readSnap = s;
    this.data.setReadSnap(s.id);
    if (this.features & Feature.LAYERING) await this.loadParent(options);
  }

  /** The image's size (at the open snapshot, if any). */
  get size(): number {
    return this.readSnap?.size ?? this.headSize;
  }

  /** The image's striping: object size, stripe unit and count. */
  get layoutInfo(): Layout {
    return { ...this.layout };
  }

  /** Why writes are refused, or undefined when they are allowed. */
  get readOnlyReason(): string | undefined {
    if (this.readSnap) return `image ${this.name} is open at snapshot ${this.readSnap.name}`;
    if (this.readOnlyAsked) return `image ${this.name} was opened read-only`;
    // The operations feature only says op_features are in use; clone-parent/-child and the
    // snapshot trash we honour.
    const ops = this.opFeatures & ~(OP_CLONE_PARENT | OP_CLONE_CHILD | OP_SNAP_TRASH) ? 0n : Feature.OPERATIONS;
    const rw = this.features & ~(WRITABLE_FEATURES | ops);
    if (rw !== 0n) return `image ${this.name} has features this client does not write yet (${featureNames(rw).join(', ')}); it is open read-only`;
    if (this.features & Feature.OBJECT_MAP && this.flags & RBD_FLAG_OBJECT_MAP_INVALID) return `image ${this.name}: its object map is flagged invalid (\`rbd object-map rebuild\` mends it); it is open read-only`;
    if (this.objectMapProblem) return `image ${this.name}: ${this.objectMapProblem}; it is open read-only`;
    return undefined;
  }

  private checkWritable(): void {
    if (this.closed) throw new RadosError(`image ${this.name} is closed`, Errno.EBADF);
    if (this.stale) return; // the header changed: fresh() re-reads it, then checks again
    const why = this.readOnlyReason;
    if (why) throw new RadosError(why, Errno.EROFS);
  }

  /**
   * Runs a change to the image: with a fresh header, and with the exclusive lock held for its
   * whole length when the image has that feature (librbd never writes without it).
   */
  private async guarded<T>(options: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    await this.fresh(options); // checks writability too
    if (!this.lock) return fn();
    const leave = await this.lock.enter(options);
    try {
      this.checkWritable();
      return await fn();
    } catch (e) {
      if (hasErrno(e, Errno.EBLOCKLISTED)) {
        this.lock.lost('blocklisted');
        throw new RadosError(`image ${this.name}: this client was blocklisted (another client broke our exclusive lock); the write was not applied`, Errno.EBLOCKLISTED, { cause: e });
      }
      throw e;
    } finally {
      leave();
    }
  }

  /** The lock is ours: re-read the header, load the object map (refusing to write if it cannot be trusted). */
  private async lockAcquired(options?: CallOptions): Promise<void> {
    await this.refresh(options);
    if (!(this.features & Feature.OBJECT_MAP)) return;
    try {
      this.objectMap = await ObjectMap.openChecked(this.ioctx, this.id, numObjects(this.layout, this.headSize), options);
    } catch (e) {
      this.objectMapProblem = (e as Error).message;
      throw new RadosError(`image ${this.name}: ${this.objectMapProblem}; it is open read-only`, Errno.EROFS, { cause: e });
    }
  }

  private async lockReleasing(): Promise<void> {
    const map = this.objectMap;
    this.objectMap = undefined;
    await map?.close();
  }

  /** Before a write: the header changed under us, so read it again (one refresh for all waiters). */
  private async fresh(options?: CallOptions): Promise<void> {
    while (this.stale || this.refreshing) {
      if (!this.refreshing) {
        this.stale = false;
        // The header changed (an `rbd object-map rebuild`, say): an object map we could not
        // use is tried again when the lock is next taken.
        this.objectMapProblem = undefined;
        this.refreshing = this.refresh(options).finally(() => (this.refreshing = undefined));
      }
      await this.refreshing;
    }
    this.checkWritable();
  }

  private checkOpen(): void {
    if (this.closed) throw new RadosError(`image ${this.name} is closed`, Errno.EBADF);
  }

  /** `rbd info --format json`, field for field. */
  async info(options?: CallOptions): Promise<ImageInfo> {
    this.checkOpen();
    const ts = await Promise.all([cls.getCreateTimestamp, cls.getAccessTimestamp, cls.getModifyTimestamp].map(async (m) => toDate(await this.call(m, undefined, options))));
    const p = this.parentSpec;
    let parent: ImageInfo['parent'];
    if (p) {
      const img = await this.openParent(options);
      const snapshot = img.snaps.find((s) => s.id === p.snapId)?.name ?? '';
      parent = { pool: img.ioctx.poolName, pool_namespace: p.poolNamespace, image: await imageNameById(img.ioctx, p.imageId, options), id: p.imageId, snapshot, trash: false, overlap: p.overlap };
    }
    return formatInfo({
      name: this.name,
      id: this.id,
      size: this.size,
      order: this.order,
      layout: this.layout,
      snapshotCount: this.snaps.length,
      objectPrefix: this.objectPrefix,
      features: this.features,
      opFeatures: this.opFeatures,
      timestamps: [ts[0]!, ts[1]!, ts[2]!],
      ...(this.data.poolId !== this.ioctx.poolId ? { dataPool: this.data.poolName } : {}),
      ...(parent ? { parent } : {}),
    });
  }

  /** The parent of a clone (pool id, image id, snapshot id, overlap), or undefined. */
  parentInfo(): ParentSpec | undefined {
    return this.parentSpec ? { ...this.parentSpec } : undefined;
  }

  // --- data --------------------------------------------------------------------------------

  private checkRange(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RadosError(`${what}: offset and length must be non-negative integers`, Errno.EINVAL);
    }
  }

  /** Reads [offset, offset + length), clipped to the image's end; holes read as zeros. */
  async read(offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    this.checkOpen();
    this.checkRange(offset, length, 'read');
    if (offset > this.size) throw new RadosError(`read at ${offset} is past the end of image ${this.name} (${this.size} bytes)`, Errno.EINVAL);
    return readData(this.state(), offset, Math.min(length, this.size - offset), options);
  }

  /** A clone's missing object reads through to the parent, within the overlap. */
  private async readFromParent(imageOffset: number, length: number, out: Uint8Array, at: number, options?: CallOptions): Promise<void> {
    const p = this.parentSpec;
    if (!p || imageOffset >= p.overlap) return;
    const len = Math.min(length, p.overlap - imageOffset);
    const parent = await this.openParent(options);
    out.set(await parent.read(imageOffset, len, options), at);
  }

  /** The parent image at the clone's snapshot, opened once (read-only). */
  private async openParent(options?: CallOptions): Promise<Image> {
    const p = this.parentSpec!;
    if (!this.parentImage) {
      const pio = parentIoCtx(this.ioctx, p);
      if (!pio) throw new RadosError(`parent pool ${p.poolId} of image ${this.name} does not exist`, Errno.ENOENT);
      this.parentImage = Image.openById(pio, `(parent of ${this.name})`, p.imageId, { ...options, snapId: p.snapId });
      this.parentImage.catch(() => (this.parentImage = undefined));
    }
    return this.parentImage;
  }

  /** Writes `data` at `offset` (Python: `write(data, offset)`); returns the bytes written. */
  async write(data: Uint8Array | string, offset: number, options?: CallOptions): Promise<number> {
    this.checkWritable();
    const d = typeof data === 'string' ? utf8Encode(data) : data;
    this.checkRange(offset, d.length, 'write');
    return this.guarded(options, async () => {
      if (offset + d.length > this.size) throw new RadosError(`write of ${d.length} bytes at ${offset} runs past the end of image ${this.name} (${this.size} bytes)`, Errno.EINVAL);
      await writeData(this.state(), offset, d, options);
      return d.length;
    });
  }

  /**
   * Discards a range: whole objects are removed, an object's tail truncated, anything else
   * zeroed (librbd's discard without the skip-partial option); reads then return zeros.
   */
  async discard(offset: number, length: number, options?: CallOptions): Promise<void> {
    this.checkWritable();
    this.checkRange(offset, length, 'discard');
    await this.guarded(options, async () => {
      if (offset < this.size) await discardData(this.state(), offset, Math.min(length, this.size - offset), options);
    });
  }

  /** Nothing is cached: every write is on the OSDs when its promise resolves. */
  async flush(): Promise<void> {
    this.checkOpen();
  }

  // --- snapshots ---------------------------------------------------------------------------

  /** Python `list_snaps`: the snapshots `rbd snap ls` shows; `{ all: true }` adds the trash (`--all`). */
  listSnaps(opts: { all?: boolean } = {}): SnapInfo[] {
    return this.snaps.filter((s) => opts.all || s.namespaceType === cls.SnapNamespaceType.USER).map((s) => ({ ...s }));
  }

  /** What the snapshot operations (image-snapshots.ts) see of this image. */
  private snapHost(): SnapshotHost {
    const img = this;
    return {
      name: img.name,
      id: img.id,
      ioctx: img.ioctx,
      data: img.data,
      get features() { return img.features; },
      get snaps() { return img.snaps; },
      get objectMap() { return img.objectMap; },
      get headParent() { return img.parentSpec; },
      get parentLink() { return img.parentLink; },
      call: img.call,
      refresh: (o) => img.refresh(o),
      detachChild: (o) => img.detachChild(o),
    };
  }

  /** Python `create_snap`: a self-managed snap id from the monitors, recorded in the header. */
  async createSnap(name: string, options?: CallOptions): Promise<void> {
    this.checkWritable();
    await this.guarded(options, () => createSnapshot(this.snapHost(), name, options));
  }

  private snapNamed(name: string): SnapInfo {
    return userSnapNamed(this.snapHost(), name);
  }

  /**
   * Python `remove_snap`, as librbd: EBUSY while protected; a snapshot v2 clones still use moves
   * to the trash namespace instead (gone from listSnaps; deleted when its last clone goes).
   */
  async removeSnap(name: string, options?: CallOptions): Promise<void> {
    await this.guarded(options, async () => {
      await this.refresh(options);
      await removeSnapshot(this.snapHost(), this.snapNamed(name), options);
    });
  }

  /** Removes the snapshot with this id, in any namespace (trashed ones included): 'trashed' when v2 clones keep it. */
  async removeSnapById(snapId: bigint, options?: CallOptions): Promise<'removed' | 'trashed'> {
    return this.guarded(options, async () => {
      await this.refresh(options);
      const s = this.snaps.find((x) => x.id === snapId);
      if (!s) throw new RadosError(`image ${this.name} has no snapshot with id ${snapId}`, Errno.ENOENT);
      return removeSnapshot(this.snapHost(), s, options);
    });
  }

  /** Renames a snapshot (Python `rename_snap`). */
  async renameSnap(from: string, to: string, options?: CallOptions): Promise<void> {
    this.checkWritable();
    await renameSnapshot(this.snapHost(), from, to, options);
  }

  /** Reads from now on see snapshot `name` (null: the head again). Python `set_snap`. */
  async setSnap(name: string | null, options?: CallOptions): Promise<void> {
    this.checkOpen();
    if (name === null) {
      this.readSnap = undefined;
      this.data.setReadSnap(undefined);
      if (this.features & Feature.LAYERING) await this.loadParent(options);
      return;
    }
    await this.useSnap(this.snapNamed(name), name, options);
  }

  private state(): ImageState {
    return {
      name: this.name,
      data: this.data,
      layout: this.layout,
      objectPrefix: this.objectPrefix,
      headSize: this.headSize,
      overlap: this.parentSpec?.overlap ?? 0,
      readParent: (off, len, out, at, o) => this.readFromParent(off, len, out, at, o),
      objectMap: this.objectMap,
      deep: this.features & Feature.DEEP_FLATTEN && this.parentSpec && this.snaps.length > 0 ? this.deepCopyup() : undefined,
    };
  }

  private deepCopyup(): NonNullable<ImageState['deep']> {
    if (this.noSnapc?.poolId !== this.data.poolId) {
      this.noSnapc = this.data.dup();
      this.noSnapc.setSelfManagedSnapWriteCtx(0n, []);
    }
    return {
      snaps: [...this.snaps].sort((a, b) => (a.id < b.id ? -1 : 1)).map((sn) => ({ id: sn.id, overlap: sn.overlap ?? 0 })),
      noSnapc: this.noSnapc,
      fastDiff: (this.features & Feature.FAST_DIFF) !== 0n,
    };
  }

  /** Python `protect_snap`: clones (v1) may only be made from protected snapshots. */
  async protectSnap(name: string, options?: CallOptions): Promise<void> {
    this.checkWritable();
    await protectSnapshot(this.snapHost(), name, options);
  }

  /** Python `unprotect_snap`: EBUSY while the snapshot has clones (in any pool). */
  async unprotectSnap(name: string, options?: CallOptions): Promise<void> {
    this.checkWritable();
    await unprotectSnapshot(this.snapHost(), name, options);
  }

  /** Whether a snapshot is protected (Python `is_protected_snap`), from the header as last read. */
  isProtectedSnap(name: string): boolean {
    return this.snapNamed(name).protected;
  }

  /** The clones of this image's snapshot (the open one, or `snapName`): Python `list_children2`. */
  async listChildren(snapName?: string, options?: CallOptions): Promise<ChildInfo[]> {
    this.checkOpen();
    const s = snapName !== undefined ? this.snapNamed(snapName) : this.readSnap;
    if (!s) throw new RadosError(`listChildren needs a snapshot (open one, or name it)`, Errno.EINVAL);
    return listChildren(this.ioctx, this.id, s.id, options);
  }

  /** Bytes of a clone still backed by its parent (Python `overlap`); 0 when not a clone. */
  get overlap(): number {
    return this.parentSpec?.overlap ?? 0;
  }

  /** Python `flatten`: copies the parent's data into every object of the overlap, then detaches. */
  async flatten(opts: { onProgress?: Progress } & CallOptions = {}): Promise<void> {
    await this.guarded(opts, async () => {
      const p = this.parentSpec;
      if (!p) throw new RadosError(`image ${this.name} is not a clone`, Errno.EINVAL);
      await copyupAll(this.state(), opts.onProgress, opts);
      // librbd FlattenRequest: without deep-flatten, snapshots keep using the parent, and the
      // child stays attached until the last of them goes (removeSnap detaches it then).
      const snapsKeepParent = !(this.features & Feature.DEEP_FLATTEN) && this.snaps.some((s) => s.overlap !== undefined);
      if (!snapsKeepParent) await this.detachChild(opts);
      // cls parent_detach drops the snapshots' links too under deep-flatten, and clone-child when none is left.
      await detachParent(this.ioctx, this.id, opts);
      await (await this.parentImage)?.close();
      this.parentImage = undefined;
      await this.refresh(opts);
    });
  }

  /** Python `resize`: shrinking removes the data past the new end first, as librbd does. */
  async resize(size: number, opts: { onProgress?: Progress } & CallOptions = {}): Promise<void> {
    this.checkRange(size, 0, 'resize');
    await this.guarded(opts, async () => {
      // librbd ResizeRequest: a growing object map before the header, a shrinking one after the trim.
      const count = numObjects(this.layout, size);
      if (this.objectMap && count > this.objectMap.size) await this.objectMap.resize(count, opts);
      await trim(this.state(), size, opts.onProgress, opts);
      await this.call(cls.setSize, BigInt(size), opts);
      if (this.objectMap && count < this.objectMap.size) await this.objectMap.resize(count, opts);
      opts.onProgress?.(1, 1);
      await this.refresh(opts);
    });
  }

  /** Python `rollback_to_snap`: the image's size and every object as they were at the snapshot. */
  async rollbackToSnap(name: string, opts: { onProgress?: Progress } & CallOptions = {}): Promise<void> {
    await this.guarded(opts, async () => {
      const s = this.snapNamed(name);
      const count = Math.max(numObjects(this.layout, this.headSize), numObjects(this.layout, s.size));
      if (s.size !== this.headSize) {
        await trim(this.state(), s.size, undefined, opts);
        await this.call(cls.setSize, BigInt(s.size), opts);
        await this.refresh(opts);
      }
      await rollbackObjects(this.state(), s.id, count, opts.onProgress, opts);
      // librbd SnapshotRollbackRequest: the head's object map becomes the snapshot's.
      await this.objectMap?.rollback(s.id, opts);
    });
  }

  // --- streams -----------------------------------------------------------------------------

  /** The image (or a range of it) as a Web Stream of object-sized chunks, reads in flight ahead. */
  readable(opts: ReadableOptions = {}): ReadableStream<Uint8Array> {
    return imageReadable(this, opts);
  }

  /** A Web Stream writing at `offset` onwards, with bounded writes in flight and backpressure. */
  writable(opts: WritableOptions = {}): WritableStream<Uint8Array> {
    return imageWritable(this, opts);
  }

  // --- metadata (image-metadata.ts) ----------------------------------------------------------

  /** Sets an image-meta key (Python `metadata_set`). */
  async metadataSet(key: string, value: string, options?: CallOptions): Promise<void> {
    this.checkWritable();
    await metadataSet(this.call, key, value, options);
  }

  /** An image-meta value (Python `metadata_get`). */
  async metadataGet(key: string, options?: CallOptions): Promise<string> {
    this.checkOpen();
    return metadataGet(this.call, key, options);
  }

  /** Removes an image-meta key (Python `metadata_remove`). */
  async metadataRemove(key: string, options?: CallOptions): Promise<void> {
    this.checkWritable();
    await metadataRemove(this.call, key, options);
  }

  /** Every image-meta key and value (Python `metadata_list`). */
  async metadataList(options?: CallOptions): Promise<Map<string, string>> {
    this.checkOpen();
    return metadataList(this.call, options);
  }

  /** Releases the exclusive lock and the header watch, and closes the parent; later calls fail with EBADF. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock?.shutdown().catch(() => {});
    await this.watcher?.close();
    await (await this.parentImage?.catch(() => undefined))?.close();
  }

  /** `close()`, for `await using img = await rbd.open(io, name)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** librbd DetachChildRequest (clone.ts leaveParent): this clone leaves its parent's snapshot. */
  async detachChild(options?: CallOptions): Promise<void> {
    if (!this.parentLink) return;
    await leaveParent(this.parentLink, this.ioctx, this.id, this.isCloneV2, (pio, id) => Image.openById(pio, `(parent of ${this.name})`, id, options), options);
  }

  /** Where the data objects live: the image's pool, or its data pool. */
  get dataIoCtx(): IoCtx {
    return this.data;
  }

  /** Every data object the image's head may have (for removal). */
  dataObjects(): string[] {
    return Array.from({ length: numObjects(this.layout, this.headSize) }, (_, i) => dataObjectName(this.objectPrefix, i));
  }

  /** A v2 clone (clone-child op feature): detached from the parent's snapshot, not rbd_children. */
  get isCloneV2(): boolean {
    return (this.opFeatures & OP_CLONE_CHILD) !== 0n;
  }

  /** The header object's name (RBD.remove lists its watchers). */
  get headerObject(): string {
    return this.header;
  }
}

