// The state of an open image and the one path every change to it takes (librbd's ImageCtx,
// ImageState::refresh_if_required, the lock taking of Operations' invoke_async_request):
// header state read through cls_rbd, the header watch, the exclusive lock and object map, the
// parent. Every operation module (io/, operation/, image-streams.ts) works on an ImageCtx and
// this module imports none of them (layering.test.ts): reading through to the parent is
// io/read-request.ts, DetachChildRequest operation/snapshot.ts.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { RBD_FLAG_OBJECT_MAP_INVALID } from '../../protocol/cls/cls-rbd-object-map.ts';
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls, type ObjectClsCall } from '../cls-call.ts';
import { type IoCtx, ioctxLogger } from '../ioctx.ts';
import type { Watcher } from '../../protocol/messages/watch-notify.ts';
import type { Logger } from '../logger.ts';
import { decodeImageNotify, encodeImageNotify, NotifyOp } from '../../protocol/rbd/image-notify.ts';
import { parentIoCtx } from './clone.ts';
import { ExclusiveLock } from './exclusive-lock.ts';
import { Feature, featureNames, LIBRBD_OP_FEATURES, OpFeature, WRITABLE_FEATURES, WRITABLE_OP_FEATURES } from './features.ts';
import { HeaderWatcher } from './header-watcher.ts';
import { type ParentSpec, readHeader, readParent, type SnapInfo } from './image-header.ts';
import { ObjectMap, readObjectMapStates } from './object-map.ts';
import { headerName } from './object-names.ts';
import { RefreshGenerations } from './refresh-generations.ts';
import { type Layout, numObjects } from './striper.ts';

/** `RBD.open` options. */
export interface OpenOptions extends CallOptions {
  /** Open at this snapshot (read-only). */
  snapshot?: string;
  /** Open read-only: writes fail with EROFS and no exclusive lock is taken. */
  readOnly?: boolean;
  /** Where the image reports trouble it gets past by itself (a lock notification that failed); silent by default. */
  logger?: Logger;
}

/** `Image.openById` options: `RBD.open`'s, and a snapshot by id (a clone's parent is opened at its snapshot id). */
export interface OpenByIdOptions extends OpenOptions {
  /** Open at the snapshot with this id (read-only), in any snapshot namespace. */
  snapId?: bigint;
}

/** How a change runs in mutate() (librbd Operations.cc decides the same per operation). */
export interface MutateHow {
  /**
   * Under the exclusive lock (when the image has that feature): writes, resize, flatten,
   * rollback, snapshot create, metadata set/remove, and snapshot remove on images with
   * fast-diff or journaling (Operations::snap_remove's proxy_op; without them it runs
   * unlocked). Snapshot rename/protect/unprotect run without it: librbd only goes through the
   * lock for them on journaled images (Operations::snap_rename/snap_protect/snap_unprotect).
   * For resize, flatten, snapshot create/remove and metadata set/remove librbd proxies the
   * operation to the lock owner (invoke_async_request: RESIZE, METADATA_UPDATE, …) and takes
   * the lock when the owner declines; we do not proxy, we always ask for the lock
   * (REQUEST_LOCK), which a librbd owner releases. Rollback: librbd (prepare_image_update
   * without request_lock) only tries the lock and fails with EROFS while another live client
   * holds it, and so do we (`tryLock`).
   * An image's removal takes it too (PreRemoveRequest's acquire_lock, which asks a live owner).
   */
  lock: boolean;
  /** Re-read the header first even if no notification said it changed (snapshot operations check names against it). */
  refreshFirst?: boolean;
  /**
   * Allowed on a handle whose reads are set to a snapshot (`setSnap`): librbd's
   * permit_snapshot (snapshot create/remove/rename/protect/unprotect); the rest (writes,
   * resize, flatten, rollback, metadata set/remove) are EROFS there. A handle opened at a snapshot is
   * read-only for every change (librbd's read_only).
   */
  permitSnapshot?: boolean;
  /**
   * Only try the lock: a live owner is not asked for it (REQUEST_LOCK) and the change fails
   * with EROFS (librbd Operations::prepare_image_update without request_lock, for a rollback).
   */
  tryLock?: boolean;
  /** The change rewrites the header: re-read it after (also after a failure, which may have changed part of it). */
  changesHeader?: boolean;
}

/** deep-flatten in a clone with snapshots: copy-ups must reach the snapshots too. */
export interface DeepCopyup {
  /** The image's snapshots, oldest first, with their parent overlaps. */
  snaps: Array<{ id: bigint; overlap: number }>;
  /** The data IoCtx with an empty snapshot context (a copy-up written "before" every snapshot). */
  noSnapc: IoCtx;
  fastDiff: boolean;
}

/** How long a header update notification waits for watchers (librbd watcher::Notifier::NOTIFY_TIMEOUT). */
const HEADER_UPDATE_TIMEOUT_MS = 5_000;
/** At most this long a HEADER_UPDATE's acknowledgement waits for our refresh (refreshOnUpdate). */
const REFRESH_ON_UPDATE_MS = 3_000;

/** Whether a header notification is HEADER_UPDATE (an undecodable one is not). */
function isHeaderUpdate(payload: Uint8Array): boolean {
  try {
    return decodeImageNotify(payload).op === NotifyOp.HEADER_UPDATE;
  } catch {
    return false;
  }
}

export class ImageCtx {
  readonly name: string;
  readonly id: string;
  /** The header's pool. */
  readonly ioctx: IoCtx;
  /** The data objects' pool (librbd's data_ctx): the header's, or the data pool. */
  data: IoCtx;
  readonly header: string;
  order = 22;
  headSize = 0;
  features = 0n;
  opFeatures = 0n;
  flags = 0n;
  objectPrefix = '';
  layout: Layout = { objectSize: 1 << 22, stripeUnit: 1 << 22, stripeCount: 1 };
  /** Every snapshot, in every namespace. */
  snaps: SnapInfo[] = [];
  /** The snapshot reads see (undefined: the head). */
  readSnap: SnapInfo | undefined;
  /** The parent as seen at readSnap (or the head); undefined when not a clone there. */
  parentSpec: ParentSpec | undefined;
  /** The header's parent link, kept while the head or a snapshot still uses the parent. */
  parentLink: cls.ParentImageSpec | undefined;
  readonly readOnlyAsked: boolean;
  /**
   * Opened to remove the image (librbd RemoveRequest's open): features are checked as a
   * read-only open checks them and writability is only librbd's operations_disabled, so an
   * image we could not write (an object map we cannot trust, say) can still be removed.
   */
  readonly forRemoval: boolean;
  /** Where trouble the image gets past by itself is reported (OpenOptions.logger). */
  readonly log: Logger;
  closed = false;
  /** object-map: loaded while we hold the lock. */
  objectMap: ObjectMap | undefined;
  /** Why the object map cannot be trusted (load failed, wrong size), if so. */
  private objectMapProblem: string | undefined;
  /** Our watch on the header (writable opens): other clients' header changes mark us stale. */
  private watcher: HeaderWatcher | undefined;
  /** A notification said the header changed: re-read it before the next change. */
  private stale = false;
  private refreshing: Promise<void> | undefined;
  /** Which header reads have landed (mutate skips a refresh one begun after it, e.g. the lock's acquisition, has done). */
  private readonly generations = new RefreshGenerations();
  /** exclusive-lock: changes wait for it; undefined without the feature or when read-only. */
  private lock: ExclusiveLock | undefined;
  private parentCtx: Promise<ImageCtx> | undefined;
  /** The data IoCtx with an empty snapshot context, for deep-flatten copy-ups. */
  private noSnapc: IoCtx | undefined;
  /** The object map of readSnap, read once (snapshotObjectMap). */
  private snapMap: { snapId: bigint; states: Promise<Uint8Array | undefined> } | undefined;

  private constructor(ioctx: IoCtx, name: string, id: string, readOnly: boolean, forRemoval: boolean, log: Logger) {
    this.ioctx = ioctx;
    this.data = ioctx.dup();
    this.name = name;
    this.id = id;
    this.header = headerName(id);
    this.readOnlyAsked = readOnly;
    this.forRemoval = forRemoval;
    this.log = log;
  }

  /** librbd OpenRequest: header read, and for writable opens the header watch and the lock. `forRemoval`: see the field. */
  static async open(ioctx: IoCtx, name: string, id: string, opts: OpenByIdOptions & { forRemoval?: boolean } = {}): Promise<ImageCtx> {
    const readOnly = opts.readOnly === true || opts.snapshot !== undefined || opts.snapId !== undefined;
    const ctx = new ImageCtx(ioctx, name, id, readOnly, opts.forRemoval === true && !readOnly, opts.logger ?? ioctxLogger(ioctx));
    await ctx.refresh(opts);
    if (!ctx.readOnlyAsked) {
      // As librbd's ImageWatcher: any notification on the header (a snapshot made by `rbd`, a
      // resize) means our header state may be old; refresh before the next change.
      ctx.watcher = await HeaderWatcher.start(
        ioctx,
        ctx.header,
        {
          notify: (payload) => {
            ctx.stale = true;
            const reply = ctx.lock?.handleNotify(payload);
            return isHeaderUpdate(payload) ? ctx.refreshOnUpdate().then(() => reply) : reply;
          },
          lost: () => {
            ctx.stale = true;
            ctx.lock?.lost('watch');
          },
          rewatched: (cookie) => ctx.lock?.rewatched(cookie),
        },
        opts,
        ctx.log,
      );
      if (ctx.features & Feature.EXCLUSIVE_LOCK) {
        ctx.lock = new ExclusiveLock(
          ioctx,
          ctx.header,
          { gid: ioctx.instanceId, handle: ctx.watcher.cookie },
          {
            acquired: (o, kept) => ctx.lockAcquired(o, kept === true),
            releasing: () => ctx.lockReleasing(),
          },
          ctx.log,
          ctx.forRemoval,
        );
      }
    }
    if (opts.snapshot !== undefined) await ctx.useSnap(ctx.userSnap(opts.snapshot), opts);
    else if (opts.snapId !== undefined) await ctx.useSnap(ctx.snapById(opts.snapId), opts);
    return ctx;
  }

  /** The exclusive lock (image-locks.ts drives it for lockAcquire and friends); undefined without the feature or when read-only. */
  get exclusiveLock(): ExclusiveLock | undefined {
    return this.lock;
  }

  /** cls calls on our header. */
  readonly call: ObjectClsCall = (method, input, options) => callCls(this.ioctx, this.header, method, input, options);

  /** Re-reads the header: size, features, snapshots, parent (librbd's RefreshRequest). */
  async refresh(options?: CallOptions): Promise<void> {
    const n = this.generations.begin();
    const h = await readHeader(this.ioctx, this.header, this.name, this.readOnlyAsked || this.forRemoval, options);
    // A read begun later has landed meanwhile: ours is older, keep its result.
    if (!this.generations.mayApply(n)) return;
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
    this.generations.landed(n);
  }

  private async loadParent(options?: CallOptions): Promise<void> {
    const p = await readParent(this.ioctx, this.header, this.readSnap?.id ?? cls.HEAD, options);
    this.parentSpec = p.atSnap;
    this.parentLink = p.link;
  }

  /** Reads at snapshot `s` (undefined: the head); a clone's overlap at a snapshot is the
   *  snapshot's own (it may differ from the head's after a resize or a flatten), so the parent
   *  link is re-read for it. */
  async useSnap(s: SnapInfo | undefined, options?: CallOptions): Promise<void> {
    this.readSnap = s;
    this.data.setReadSnap(s?.id);
    if (this.features & Feature.LAYERING) await this.loadParent(options);
  }

  /**
   * The object map of the snapshot this context reads (a clone's parent is opened at one), read
   * once without a lock, as librbd loads a snapshot's map on open; undefined at the head,
   * without the object-map feature, or when the map cannot be trusted (every object may exist).
   */
  snapshotObjectMap(options?: CallOptions): Promise<Uint8Array | undefined> {
    const snap = this.readSnap;
    if (!snap || !(this.features & Feature.OBJECT_MAP)) return Promise.resolve(undefined);
    if (this.snapMap?.snapId !== snap.id) {
      const states = readObjectMapStates(this.ioctx, this.header, this.id, snap.id, numObjects(this.layout, snap.size), options);
      const entry = { snapId: snap.id, states };
      this.snapMap = entry;
      // A failed read is tried again by the next caller.
      states.catch(() => {
        if (this.snapMap === entry) this.snapMap = undefined;
      });
    }
    return this.snapMap.states;
  }

  /** A snapshot `rbd snap ls` shows (the user namespace), by name: ENOENT if there is none. */
  userSnap(name: string): SnapInfo {
    const s = this.snaps.find((x) => x.namespaceType === cls.SnapNamespaceType.USER && x.name === name);
    if (!s) throw new RadosError(`image ${this.name} has no snapshot ${name}`, Errno.ENOENT);
    return s;
  }

  /** A snapshot in any namespace, by id: ENOENT if there is none. */
  snapById(snapId: bigint): SnapInfo {
    const s = this.snaps.find((x) => x.id === snapId);
    if (!s) throw new RadosError(`image ${this.name} has no snapshot with id ${snapId}`, Errno.ENOENT);
    return s;
  }

  /** The image's size (at the open snapshot, if any). */
  get size(): number {
    return this.readSnap?.size ?? this.headSize;
  }

  /** Bytes of a clone still backed by its parent; 0 when not a clone. */
  get overlap(): number {
    return this.parentSpec?.overlap ?? 0;
  }

  /** A v2 clone (clone-child op feature): detached from the parent's snapshot, not rbd_children. */
  get isCloneV2(): boolean {
    return (this.opFeatures & OpFeature.CLONE_CHILD) !== 0n;
  }

  /** Why writes are refused, or undefined when they are allowed. */
  get readOnlyReason(): string | undefined {
    return this.readOnlyWhy(false);
  }

  /** Why changes are refused; `permitSnapshot`: reads set to a snapshot (`setSnap`) do not refuse this change. */
  private readOnlyWhy(permitSnapshot: boolean): string | undefined {
    if (this.readOnlyAsked) return `image ${this.name} was opened ${this.readSnap ? `at snapshot ${this.readSnap.name} (read-only)` : 'read-only'}`;
    if (this.readSnap && !permitSnapshot) return `image ${this.name} is set to snapshot ${this.readSnap.name}`;
    // The operations feature only says op_features are in use; those we keep as librbd does
    // (clone-parent/-child, the snapshot trash) leave the image writable (librbd's operations_disabled otherwise).
    const ops = this.opFeatures & ~WRITABLE_OP_FEATURES ? 0n : Feature.OPERATIONS;
    const rw = this.features & ~(WRITABLE_FEATURES | ops);
    if (rw !== 0n) return `image ${this.name} has features this client does not write yet (${featureNames(rw).join(', ')}); it is open read-only`;
    if (this.features & Feature.OBJECT_MAP && this.flags & RBD_FLAG_OBJECT_MAP_INVALID)
      return `image ${this.name}: its object map is flagged invalid (\`rbd object-map rebuild\` mends it); it is open read-only`;
    if (this.objectMapProblem) return `image ${this.name}: ${this.objectMapProblem}; it is open read-only`;
    return undefined;
  }

  checkOpen(): void {
    // As the Python binding (its own check before librbd: InvalidArgument, "image is closed").
    if (this.closed) throw new RadosError(`image ${this.name} is closed`, Errno.EINVAL);
  }

  /** EINVAL when closed, EROFS when read-only (unless the header is stale: mutate re-reads it, then checks again). */
  checkWritable(permitSnapshot = false): void {
    this.checkOpen();
    if (this.stale) return;
    const why = this.readOnlyWhy(permitSnapshot);
    if (why) throw new RadosError(why, Errno.EROFS);
  }

  /**
   * What a change must pass: checkWritable, or for a context opened for removal only what
   * PreRemoveRequest checks (EROFS for op features librbd itself does not know: operations_disabled).
   */
  private checkChangeable(permitSnapshot: boolean): void {
    if (!this.forRemoval) {
      this.checkWritable(permitSnapshot);
      return;
    }
    this.checkOpen();
    const why = this.operationsDisabled;
    if (why) throw new RadosError(`image ${this.name}: ${why}; not removing`, Errno.EROFS);
  }

  /** librbd's operations_disabled: op features librbd itself does not know (why, or undefined). */
  get operationsDisabled(): string | undefined {
    const unknown = this.opFeatures & ~LIBRBD_OP_FEATURES;
    return unknown ? `operations disabled by op features librbd does not know (${unknown})` : undefined;
  }

  /**
   * The clients watching the header other than this context (librbd ListWatchersRequest with
   * FILTER_OUT_MY_INSTANCE: our own watch, by its cookie).
   */
  async otherWatchers(options?: CallOptions): Promise<Watcher[]> {
    const me = `client.${this.ioctx.instanceId}`;
    const cookie = this.watcher?.cookie;
    return (await this.ioctx.listWatchers(this.header, options)).filter((w) => !(w.client === me && w.cookie === cookie));
  }

  /**
   * The one path of every change to the image: the header re-read if a notification said it
   * changed (librbd refresh_if_required), writability checked (EINVAL when closed, EROFS), the exclusive
   * lock held for the change's whole length when the image has the feature and `how.lock`
   * says the operation takes it, and the header re-read after a change that rewrites it, the
   * header's other watchers then told (HEADER_UPDATE) as librbd's C_NotifyUpdate tells them.
   */
  async mutate<T>(options: CallOptions | undefined, how: MutateHow, fn: () => Promise<T>): Promise<T> {
    const mark = this.generations.mark();
    await this.fresh(options);
    const permitSnapshot = how.permitSnapshot === true;
    this.checkChangeable(permitSnapshot);
    const lock = how.lock ? this.lock : undefined;
    if (lock && how.tryLock && (await lock.heldByLiveOther(options)))
      throw new RadosError(`image ${this.name}: another client holds the exclusive lock (this change only tries it, as librbd's)`, Errno.EROFS);
    const leave = await lock?.enter(options);
    try {
      // A stale header or taking the lock re-read it (a read begun after we started, and landed);
      // else re-read it if this operation wants it first.
      if (how.refreshFirst && !this.generations.landedSince(mark)) await this.refresh(options);
      this.checkChangeable(permitSnapshot);
      const out = await fn();
      if (how.changesHeader) {
        await this.refresh(options);
        await this.notifyHeaderUpdate();
      }
      return out;
    } catch (e) {
      if (how.changesHeader)
        await this.refresh(options).catch((re: unknown) => {
          // The change's own error is what the caller gets; the next call refreshes first.
          this.log.debug(`rbd ${this.name}: refreshing the header after a failed change failed (${(re as Error).message}); the next call refreshes`);
          this.stale = true;
        });
      if (lock && hasErrno(e, Errno.EBLOCKLISTED)) {
        lock.lost('blocklisted');
        throw new RadosError(`image ${this.name}: this client was blocklisted (another client broke our exclusive lock); the change was not applied`, Errno.EBLOCKLISTED, {
          cause: e,
        });
      }
      throw e;
    } finally {
      leave?.();
    }
  }

  /**
   * Tells the header's other watchers it changed (librbd's C_NotifyUpdate after an operation,
   * ImageWatcher::notify_header_update): their next call re-reads it. As librbd, a watcher that
   * does not answer within 5 s, or a failed notify, does not fail the change.
   */
  private async notifyHeaderUpdate(): Promise<void> {
    await this.ioctx
      .notify(this.header, encodeImageNotify({ op: NotifyOp.HEADER_UPDATE }), { timeoutMs: HEADER_UPDATE_TIMEOUT_MS })
      .catch((e: unknown) =>
        this.log.debug(`rbd ${this.name}: the header update notification failed (${(e as Error).message}); other clients see the change on their next refresh`),
      );
  }

  /**
   * A HEADER_UPDATE came: re-read the header before acknowledging it (at most
   * REFRESH_ON_UPDATE_MS), so that what the notifier changed is what our synchronous getters
   * (`size`, `listSnaps`, `overlap`) show once its operation returns. librbd only marks the
   * image for refresh (ImageState::handle_update_notification) and refreshes on the next call,
   * which every async call here does too (`fresh`); a failed refresh leaves it marked.
   */
  refreshOnUpdate(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const refreshed = this.fresh().catch((e: unknown) => {
      this.stale = true;
      this.log.debug(`rbd ${this.name}: refreshing on a header update failed (${(e as Error).message}); the next call refreshes`);
    });
    return Promise.race([refreshed, new Promise<void>((r) => (setTimeout(r, REFRESH_ON_UPDATE_MS) as { unref?: () => void }).unref?.())]);
  }

  /**
   * librbd's refresh_if_required, which every public call runs first: the header is re-read
   * when a notification said it changed (one refresh for all waiters); nothing when none did.
   */
  async fresh(options?: CallOptions): Promise<void> {
    this.checkOpen();
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
  }

  /**
   * The lock is ours: re-read the header, load the object map (refusing to write if it cannot be
   * trusted). A lock we kept through a lost watch keeps its map: an operation from before the
   * loss (a snapshot's EXISTS → EXISTS_CLEAN, say) may still be updating it, and a map loaded
   * meanwhile from the OSD would undo that in memory (the thrasher saw our writes skip the
   * EXISTS update after a snapshot, leaving fast-diff blind to them).
   */
  private async lockAcquired(options?: CallOptions, kept = false): Promise<void> {
    await this.refresh(options);
    if (!(this.features & Feature.OBJECT_MAP)) return;
    if (kept && this.objectMap) return;
    try {
      this.objectMap = await ObjectMap.openChecked(this.ioctx, this.id, numObjects(this.layout, this.headSize), options, this.log);
    } catch (e) {
      this.objectMapProblem = (e as Error).message;
      // Removal goes on without the map (every object the head may have is removed, as librbd's
      // TrimRequest does without a valid map); anything else must not write past it.
      if (this.forRemoval) {
        this.log.debug(`rbd ${this.name}: removing without its object map (${this.objectMapProblem})`);
        return;
      }
      throw new RadosError(`image ${this.name}: ${this.objectMapProblem}; it is open read-only`, Errno.EROFS, { cause: e });
    }
  }

  private async lockReleasing(): Promise<void> {
    const map = this.objectMap;
    this.objectMap = undefined;
    await map?.close();
  }

  /** deep-flatten in a clone with snapshots: what copy-ups must also give the snapshots. */
  deepCopyup(): DeepCopyup | undefined {
    if (!(this.features & Feature.DEEP_FLATTEN && this.parentSpec && this.snaps.length > 0)) return undefined;
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

  /** The parent image at the clone's snapshot, opened once (read-only). */
  async openParent(options?: CallOptions): Promise<ImageCtx> {
    const p = this.parentSpec!;
    if (!this.parentCtx) {
      const pio = parentIoCtx(this.ioctx, p);
      if (!pio) throw new RadosError(`parent pool ${p.poolId} of image ${this.name} does not exist`, Errno.ENOENT);
      this.parentCtx = ImageCtx.open(pio, `(parent of ${this.name})`, p.imageId, { ...options, snapId: p.snapId, logger: this.log });
      // Only forgotten, so that the next read opens it again: the open's error reaches this
      // call's caller (and any other awaiting parentCtx) through the promise returned.
      this.parentCtx.catch(() => (this.parentCtx = undefined));
    }
    return this.parentCtx;
  }

  /** Closes the parent opened for reads (a flatten left it). */
  async closeParent(): Promise<void> {
    const p = this.parentCtx;
    this.parentCtx = undefined;
    const parent = await p?.catch((e: unknown) => {
      // A failed open reached the read that asked for the parent; nothing is left open to close.
      this.log.debug(`rbd ${this.name}: the parent was not open (its open failed: ${(e as Error).message}); nothing to close`);
      return undefined;
    });
    await parent?.close();
  }

  /** Releases the exclusive lock and the header watch, and closes the parent; later calls fail with EINVAL (as the Python binding). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Closing goes on: the lock, if still ours, is broken by the next client once our watch is gone.
    await this.lock?.shutdown().catch((e: unknown) => this.log.warn(`rbd ${this.name}: releasing the exclusive lock on close failed: ${(e as Error).message}`));
    await this.watcher?.close();
    await this.closeParent();
  }
}
