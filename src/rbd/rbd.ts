// RBD pool-level operations (Python `rbd.RBD()`; librbd's image/CreateRequest, RemoveRequest,
// librbd::list): the image directory, id objects and headers, made and undone in librbd's order.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { WriteOp } from '../../protocol/osd/compound-op.ts';
import { type IoCtx, ioctxLogger } from '../ioctx.ts';
import { DEFAULT_FEATURES, Feature, featureNames, featuresFromString, featuresToString, WRITABLE_FEATURES } from './features.ts';
import { objectMapResize, ObjectState } from '../../protocol/cls/cls-rbd-object-map.ts';
import { callCls } from '../cls-call.ts';
import { imageIdByName } from './image-id.ts';
import { type Layout, numObjects } from './striper.ts';
import { Image, type OpenOptions } from './image.ts';
import { attachClone, cloneFormat, detachChild } from './clone.ts';
import { removeImage } from './operation/remove.ts';
import { createNamespace, inNamespace, listNamespaces, namespaceExists, removeNamespace } from './namespace.ts';
import { dirStateAssert, DirectoryState } from '../../protocol/cls/cls-rbd-namespace.ts';
import * as trash from './trash.ts';
import type { TrashImageInfo, TrashMoveOptions, TrashPurgeOptions, TrashRemoveOptions } from './trash.ts';
import { dataObjectPrefix, DIRECTORY, headerName, idObjectName, objectMapName, RBD_INFO } from './object-names.ts';

/** What ValidatePoolRequest leaves in rbd_info once a pool has taken a self-managed snap. */
const VALIDATED = 'overwrite validated';
/** RBD_MAX_IMAGE_ID_LENGTH (librbd/Utils generate_image_id keeps at most this many hex digits). */
const MAX_ID_LENGTH = 24;

/** `RBD.create` options (Python `RBD.create` keywords). */
export interface CreateOptions extends CallOptions {
  /** log2 of the object size, 12..25 (default, and 0: 22, 4 MiB objects). */
  order?: number;
  /** Feature bits (default: Ceph's rbd_default_features, 61: layering, exclusive-lock, object-map, fast-diff, deep-flatten). */
  features?: bigint;
  /** Striping (the striping-v2 feature): bytes per object before the next; must divide the object size. */
  stripeUnit?: number;
  /** Striping: objects per stripe. */
  stripeCount?: number;
  /** A pool for the data objects (the header stays in the image's pool): the data-pool feature. */
  dataPool?: string;
}

/** An image as `RBD.list2` names it (librbd's image_spec_t). */
export interface ImageSpec {
  /** The image's id (its header is rbd_header.<id>). */
  id: string;
  /** The image's name. */
  name: string;
}

/** `RBD.clone` options: the child's `RBD.create` options (order and striping default to the parent's), and the clone format. */
export interface CloneOptions extends CreateOptions {
  /** 1 (the parent snapshot must be protected), 2 (clone v2), or 'auto' (default: librbd's `rbd_default_clone_format = auto`). */
  cloneFormat?: 1 | 2 | 'auto';
}

function checkImageName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new RadosError('image name must be a non-empty string', Errno.EINVAL);
  if (name.includes('/') || name.includes('@')) throw new RadosError(`image name ${name} must not contain '/' or '@'`, Errno.EINVAL);
}

/** Image management in a pool (Python `rbd.RBD`): create, clone, list, open, remove, rename, the image trash and the pool's namespaces. */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- public API: `RBD.create(...)` keeps Python's `rbd.RBD` name as one importable namespace (our calls are static: RBD() holds no state)
export class RBD {
  /** librbd's image id: our client id in hex, then a random 32-bit number in hex. */
  static newImageId(io: IoCtx): string {
    const extra = crypto.getRandomValues(new Uint32Array(1))[0]!;
    const id = io.instanceId.toString(16) + extra.toString(16);
    return id.length > MAX_ID_LENGTH ? id.slice(-MAX_ID_LENGTH) : id;
  }

  /**
   * librbd's ValidatePoolRequest: a pool new to RBD is moved to self-managed snapshots (a
   * snap id is taken and given back) and marked in rbd_info; a pool with pool snapshots is refused.
   */
  private static async validatePool(pool: IoCtx, options?: CallOptions): Promise<void> {
    // In the pool's default namespace, whatever namespace the image goes to (ValidatePoolRequest.cc).
    const io = inNamespace(pool, '');
    try {
      if (new TextDecoder().decode(await io.read(RBD_INFO, 64, 0, options)) === VALIDATED) return;
    } catch (e) {
      if (!hasErrno(e, Errno.ENOENT)) throw e;
    }
    if (io.listSnaps().length > 0) throw new RadosError(`pool ${io.poolName} has pool snapshots; RBD needs self-managed snapshots`, Errno.EINVAL);
    const snap = await io.createSelfManagedSnap(options);
    await io.removeSelfManagedSnap(snap, options);
    await io.writeFull(RBD_INFO, VALIDATED, options);
  }

  /**
   * Python `RBD().pool_init(ioctx, force=False)` (`rbd pool init`): tags the pool with the rbd
   * application (`force` when it has another one: EPERM without, as the monitor answers), then
   * validates it for RBD as librbd's api::Pool::init does (rbd_validate_pool).
   */
  static async poolInit(io: IoCtx, force = false, options?: CallOptions): Promise<void> {
    await io.applicationEnable('rbd', force, options);
    await RBD.validatePool(io, options);
  }

  /**
   * Python `RBD().create(ioctx, name, size, order=None, ...)`, in `io`'s namespace: EEXIST if
   * the name is taken there, ENOENT if that namespace was never created (`namespaceCreate`).
   */
  static async create(io: IoCtx, name: string, size: number, opts: CreateOptions = {}): Promise<void> {
    await RBD.createImage(io, name, size, opts);
  }

  /** create, returning the new image's id. */
  private static async createImage(io: IoCtx, name: string, size: number, opts: CreateOptions): Promise<string> {
    checkImageName(name);
    if (!Number.isSafeInteger(size) || size < 0) throw new RadosError(`image size must be a non-negative integer, not ${size}`, Errno.EINVAL);
    // 0 is the default too, as librbd's CreateRequest (an order of 0 means rbd_default_order).
    const order = opts.order === undefined || opts.order === 0 ? 22 : opts.order;
    if (!Number.isInteger(order) || order < 12 || order > 25) throw new RadosError(`order must be 12..25, not ${order}`, Errno.EDOM);
    const objectSize = 2 ** order;
    let features = opts.features ?? DEFAULT_FEATURES;
    // As librbd CreateRequest: object-map brings fast-diff; each needs what it builds on.
    if (features & Feature.OBJECT_MAP) features |= Feature.FAST_DIFF;
    if (features & Feature.OBJECT_MAP && !(features & Feature.EXCLUSIVE_LOCK)) throw new RadosError('object-map needs exclusive-lock', Errno.EINVAL);
    if (features & Feature.FAST_DIFF && !(features & Feature.OBJECT_MAP)) throw new RadosError('fast-diff needs object-map', Errno.EINVAL);
    if (features & Feature.OPERATIONS) throw new RadosError('the operations feature is internal to librbd', Errno.EINVAL);
    const su = opts.stripeUnit ?? objectSize;
    const sc = opts.stripeCount ?? 1;
    if (!Number.isInteger(su) || su <= 0 || objectSize % su !== 0) throw new RadosError(`stripe unit ${su} must divide the object size ${objectSize}`, Errno.EINVAL);
    if (!Number.isInteger(sc) || sc <= 0) throw new RadosError(`stripe count must be a positive integer, not ${sc}`, Errno.EINVAL);
    const striped = su !== objectSize || sc !== 1;
    if (striped) features |= Feature.STRIPINGV2;
    features &= ~Feature.DATA_POOL;
    const unsupported = features & ~WRITABLE_FEATURES;
    if (unsupported !== 0n) throw new RadosError(`features ${featureNames(unsupported).join(', ')} are not written by this client yet`, Errno.EOPNOTSUPP);
    // As librbd: a data pool other than the image's own sets the data-pool feature and is
    // validated like any RBD pool; the header (and so the directory) stays in `io`'s pool.
    let dataIo = io;
    if (opts.dataPool !== undefined && opts.dataPool !== io.poolName) {
      const pool = io.lookupPool(opts.dataPool);
      if (!pool) throw new RadosError(`data pool ${opts.dataPool} does not exist`, Errno.ENOENT);
      dataIo = io.forPool(pool.id, pool.name);
      features |= Feature.DATA_POOL;
    }
    await RBD.validatePool(dataIo, opts);

    const id = RBD.newImageId(io);
    // With a data pool the prefix names the header's pool too (librbd CreateRequest::create_image).
    const objectPrefix = dataObjectPrefix(id, dataIo === io ? undefined : io.poolId);
    const undo: Array<() => Promise<unknown>> = [];
    try {
      // librbd's order: the directory entry first (EEXIST when the name is taken), then the id
      // object, then the header; each step is undone if a later one fails.
      // In a namespace, the same op asserts that the namespace exists (its directory is READY):
      // ENOENT for one nobody created (CreateRequest.cc add_image_to_directory).
      const ns = io.getNamespace();
      const dirOp = new WriteOp();
      if (ns !== '') dirOp.call(dirStateAssert, DirectoryState.READY);
      try {
        await io.operateWriteOp(dirOp.call(cls.dirAddImage, { name, id }), DIRECTORY, opts);
      } catch (e) {
        if (hasErrno(e, Errno.EEXIST)) throw new RadosError(`image ${name} already exists in pool ${io.poolName}${ns ? ` namespace ${ns}` : ''}`, Errno.EEXIST, { cause: e });
        if (ns !== '' && hasErrno(e, Errno.ENOENT)) throw new RadosError(`namespace ${ns} does not exist in pool ${io.poolName}`, Errno.ENOENT, { cause: e });
        throw e;
      }
      undo.push(() => callCls(io, DIRECTORY, cls.dirRemoveImage, { name, id }));
      try {
        await io.operateWriteOp(new WriteOp().create(true).call(cls.setId, id), idObjectName(name), opts);
      } catch (e) {
        if (hasErrno(e, Errno.EEXIST)) throw new RadosError(`image ${name} already exists in pool ${io.poolName} (its id object does)`, Errno.EEXIST, { cause: e });
        throw e;
      }
      undo.push(() => io.remove(idObjectName(name)));
      const header = new WriteOp().create(true).call(cls.create, { size: BigInt(size), order, features, objectPrefix, dataPoolId: BigInt(dataIo === io ? -1 : dataIo.poolId) });
      await io.operateWriteOp(header, headerName(id), opts);
      undo.push(() => io.remove(headerName(id)));
      // A separate op, as librbd sends it: the class reads the features the create just stored.
      if (striped) await io.operateWriteOp(new WriteOp().call(cls.setStripeUnitCount, { stripeUnit: BigInt(su), stripeCount: BigInt(sc) }), headerName(id), opts);
      if (features & Feature.OBJECT_MAP) {
        // An object map with every object NONEXISTENT (librbd CreateRequest::object_map_resize).
        const layout: Layout = { objectSize, stripeUnit: su, stripeCount: sc };
        await callCls(io, objectMapName(id), objectMapResize, { count: numObjects(layout, size), state: ObjectState.NONEXISTENT }, opts);
        undo.push(() => io.remove(objectMapName(id)));
      }
    } catch (e) {
      // A failed create leaves nothing behind (librbd's CreateRequest unwinds the same way).
      for (const u of undo.reverse()) {
        await u().catch((ue: unknown) => {
          ioctxLogger(io).warn(`rbd: create ${name}: could not undo a step (${(ue as Error).message}); remove the image's leftovers with rbd rm`);
        });
      }
      throw e;
    }
    return id;
  }

  /**
   * Python `RBD().clone(p_ioctx, p_name, p_snapname, c_ioctx, c_name, ...)`. The format is
   * librbd's choice for `rbd_default_clone_format = auto` (v2 once the cluster requires mimic
   * clients, else v1, whose parent snapshot must be protected) unless `cloneFormat` says.
   * EXDEV for a v1 clone into another namespace than the parent's; ENOENT into a namespace
   * nobody created (see `create`).
   */
  static async clone(parentIo: IoCtx, parentName: string, parentSnap: string, childIo: IoCtx, childName: string, opts: CloneOptions = {}): Promise<void> {
    checkImageName(childName);
    const format = cloneFormat(childIo, opts.cloneFormat);
    // Before the parent is even opened, as librbd's CloneRequest::send: a v1 clone records its
    // parent without a namespace, so parent and child must share one.
    if (format === 1 && parentIo.getNamespace() !== childIo.getNamespace()) {
      throw new RadosError(`clone v2 required for cross-namespace clones (${parentIo.getNamespace() || 'default'} → ${childIo.getNamespace() || 'default'})`, Errno.EXDEV);
    }
    const parent = await Image.open(parentIo, parentName, { ...opts, readOnly: true });
    try {
      const snap = parent.listSnaps().find((s) => s.name === parentSnap);
      if (!snap) throw new RadosError(`image ${parentName} has no snapshot ${parentSnap}`, Errno.ENOENT);
      if (format === 1 && !snap.protected) throw new RadosError(`snapshot ${parentName}@${parentSnap} must be protected to clone it (clone format 1)`, Errno.EINVAL);
      const l = parent.layoutInfo;
      const childId = await RBD.createImage(childIo, childName, snap.size, {
        ...opts,
        order: opts.order ?? Math.log2(l.objectSize),
        stripeUnit: opts.stripeUnit ?? l.stripeUnit,
        stripeCount: opts.stripeCount ?? l.stripeCount,
      });
      const spec = { poolId: parentIo.poolId, poolNamespace: parentIo.getNamespace(), imageId: parent.id, snapId: snap.id };
      try {
        await attachClone(parentIo, spec, snap.size, childIo, childId, format, opts);
      } catch (e) {
        const warn =
          (what: string) =>
          (ce: unknown): void => {
            ioctxLogger(childIo).warn(`rbd: clone ${childName}: ${what} after a failed clone (${(ce as Error).message})`);
          };
        await detachChild(parentIo, spec, childIo, childId, format === 2).catch(warn('could not detach from the parent'));
        await RBD.remove(childIo, childName).catch(warn('could not remove the half-made image'));
        throw e;
      }
    } finally {
      await parent.close();
    }
  }

  /**
   * Image names in the pool, in `io`'s namespace (Python `RBD().list(ioctx)`), sorted. As
   * librbd, a namespace nobody created lists no images (only the `rbd ls` tool says ENOENT).
   */
  static async list(io: IoCtx, options?: CallOptions): Promise<string[]> {
    return (await RBD.list2(io, options)).map((i) => i.name);
  }

  /** Python `RBD().list2(ioctx)`: the images of `io`'s namespace with their ids, by name (the directory's order). */
  static async list2(io: IoCtx, options?: CallOptions): Promise<ImageSpec[]> {
    const images: ImageSpec[] = [];
    let after = '';
    for (;;) {
      let page: Map<string, string>;
      try {
        page = await callCls(io, DIRECTORY, cls.dirList, { startAfter: after, max: 1024 }, options);
      } catch (e) {
        if (hasErrno(e, Errno.ENOENT)) return images;
        throw e;
      }
      for (const [name, id] of page) images.push({ id, name });
      if (page.size < 1024) return images;
      after = images.at(-1)!.name;
    }
  }

  /** Python `RBD().features_to_string(features)`: feature names, comma-separated, in bit order; EINVAL for a bit librbd does not name. */
  static featuresToString(features: bigint): string {
    return featuresToString(features);
  }

  /** Python `RBD().features_from_string(names)`: the feature bits of comma-separated names; EINVAL for a name librbd does not know. */
  static featuresFromString(names: string): bigint {
    return featuresFromString(names);
  }

  /**
   * Python `RBD().namespace_create(ioctx, name)`: registers an RBD namespace in the pool (librbd
   * Namespace.cc). EEXIST if the pool has it, EINVAL for the empty name.
   */
  static async namespaceCreate(io: IoCtx, name: string, options?: CallOptions): Promise<void> {
    await createNamespace(io, name, options);
  }

  /**
   * Python `RBD().namespace_remove(ioctx, name)`: EBUSY while the namespace holds images or
   * images in its trash, ENOENT if the pool has no such namespace, EINVAL for the empty name.
   */
  static async namespaceRemove(io: IoCtx, name: string, options?: CallOptions): Promise<void> {
    await removeNamespace(io, name, options);
  }

  /** Python `RBD().namespace_exists(ioctx, name)`: whether the namespace exists (EINVAL for the empty name). */
  static namespaceExists(io: IoCtx, name: string, options?: CallOptions): Promise<boolean> {
    return namespaceExists(io, name, options);
  }

  /** Python `RBD().namespace_list(ioctx)`: the pool's namespaces, sorted (whatever namespace `io` is in). */
  static namespaceList(io: IoCtx, options?: CallOptions): Promise<string[]> {
    return listNamespaces(io, options);
  }

  /** Opens an image by name (Python `rbd.Image(ioctx, name)`); close it when done. */
  static open(io: IoCtx, name: string, opts: OpenOptions = {}): Promise<Image> {
    checkImageName(name);
    return Image.open(io, name, opts);
  }

  /**
   * Python `RBD().remove(ioctx, name)`, as `rbd rm` (librbd PreRemoveRequest, RemoveRequest;
   * operation/remove.ts): the image's exclusive lock is taken first (its owner asked for it, as
   * librbd asks; EBUSY if it keeps it); then ENOTEMPTY while the image has snapshots, EBUSY while another client
   * watches its header, EMLINK while it is in a group; snapshots in the trash (removed while v2
   * clones used them) are deleted if no clone is left on them, else ENOTEMPTY as well. Then data
   * objects go and a clone leaves its parent; then object map, header, id object and directory entry.
   */
  static async remove(io: IoCtx, name: string, options?: CallOptions): Promise<void> {
    checkImageName(name);
    await removeImage(io, name, options);
  }

  /** Python `RBD().rename(ioctx, src, dest)`. */
  static async rename(io: IoCtx, src: string, dest: string, options?: CallOptions): Promise<void> {
    checkImageName(src);
    checkImageName(dest);
    const id = await imageIdByName(io, src, options);
    try {
      await io.operateWriteOp(new WriteOp().create(true).call(cls.setId, id), idObjectName(dest), options);
    } catch (e) {
      if (hasErrno(e, Errno.EEXIST)) throw new RadosError(`image ${dest} already exists in pool ${io.poolName}`, Errno.EEXIST, { cause: e });
      throw e;
    }
    try {
      await callCls(io, DIRECTORY, cls.dirRenameImage, { src, dest, id }, options);
    } catch (e) {
      await io.remove(idObjectName(dest)).catch((re: unknown) => {
        ioctxLogger(io).warn(`rbd: rename to ${dest}: ${idObjectName(dest)} left behind (${(re as Error).message})`);
      });
      throw e;
    }
    await io.remove(idObjectName(src), options);
  }

  /**
   * Python `RBD().trash_move(ioctx, name, delay=0)` (librbd api/Trash.cc move): the image leaves
   * `list` and its name but keeps its id, header and data; `trashRestore` brings it back,
   * `trashRemove` deletes it (not before `delay` seconds unless forced). Its exclusive lock is
   * taken first (a live owner is asked for it; EBUSY if it keeps it); EBUSY while it is being
   * migrated, EMLINK while it is in a group, ENOENT if there is no such image, EOPNOTSUPP for a
   * format 1 image. Other clients having it open, or clones of it, do not stop a move.
   */
  static async trashMove(io: IoCtx, name: string, opts: TrashMoveOptions = {}): Promise<void> {
    checkImageName(name);
    await trash.trashMove(io, name, opts.delay ?? 0, opts);
  }

  /** Python `RBD().trash_list(ioctx)`: the images in the pool's trash, in id order (RBD.remove's own transient entries left out, as librbd leaves them). */
  static trashList(io: IoCtx, options?: CallOptions): AsyncIterable<TrashImageInfo> {
    return trash.trashList(io, options);
  }

  /** Python `RBD().trash_get(ioctx, image_id)`: one trashed image; ENOENT if the id is not in the trash. */
  static trashGet(io: IoCtx, imageId: string, options?: CallOptions): Promise<TrashImageInfo> {
    return trash.trashGet(io, imageId, options);
  }

  /**
   * Python `RBD().trash_remove(ioctx, image_id, force=False)`: deletes a trashed image as
   * `remove` deletes one (the same checks: ENOTEMPTY with snapshots, EBUSY while open elsewhere
   * or its lock is kept, EMLINK in a group). EPERM before its deferment end unless `force`,
   * ENOENT if the id is not in the trash, EUCLEAN if its move was interrupted, EBUSY while it
   * is being restored.
   */
  static trashRemove(io: IoCtx, imageId: string, opts: TrashRemoveOptions = {}): Promise<void> {
    return trash.trashRemove(io, imageId, opts.force === true, opts);
  }

  /**
   * Python `RBD().trash_restore(ioctx, image_id, name)`: the trashed image back in the pool
   * under `name` (its old name if empty). EEXIST if another image has the name, ENOENT if the
   * id is not in the trash, EINVAL for an entry a restore may not take (a migration's), EBUSY
   * while it is being removed.
   */
  static trashRestore(io: IoCtx, imageId: string, name: string, options?: CallOptions): Promise<void> {
    if (name !== '') checkImageName(name);
    return trash.trashRestore(io, imageId, name, options);
  }

  /**
   * Python `RBD().trash_purge(ioctx, expire_ts=None, threshold=-1)`: removes (forced) every
   * user-trashed image whose deferment ended by `expireTs` (default now), retrying those a later
   * removal frees (a parent after its clones); if some stay, the first errno that kept one
   * (ENOTEMPTY, EBUSY, EMLINK, EUCLEAN). A `threshold` (pool fullness) is EINVAL outside 0..1
   * and not supported yet within (EOPNOTSUPP).
   */
  static trashPurge(io: IoCtx, opts: TrashPurgeOptions = {}): Promise<void> {
    return trash.trashPurge(io, opts.expireTs, opts.threshold ?? -1, opts);
  }
}
