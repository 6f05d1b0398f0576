// RBD pool-level operations (Python `rbd.RBD()`; librbd's image/CreateRequest, RemoveRequest,
// librbd::list): the image directory, id objects and headers, made and undone in librbd's order.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { WriteOp } from '../../protocol/osd/compound-op.ts';
import { type IoCtx, ioctxLogger } from '../ioctx.ts';
import { DEFAULT_FEATURES, Feature, featureNames, WRITABLE_FEATURES } from './features.ts';
import { objectMapResize, ObjectState } from '../../protocol/cls/cls-rbd-object-map.ts';
import { callCls } from '../cls-call.ts';
import { imageIdByName } from './image-id.ts';
import { type Layout, numObjects } from './striper.ts';
import { Image, type OpenOptions } from './image.ts';
import { attachClone, cloneFormat, detachChild } from './clone.ts';
import { removeImage } from './operation/remove.ts';
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

/** `RBD.clone` options: the child's `RBD.create` options (order and striping default to the parent's), and the clone format. */
export interface CloneOptions extends CreateOptions {
  /** 1 (the parent snapshot must be protected), 2 (clone v2), or 'auto' (default: librbd's `rbd_default_clone_format = auto`). */
  cloneFormat?: 1 | 2 | 'auto';
}

function checkImageName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new RadosError('image name must be a non-empty string', Errno.EINVAL);
  if (name.includes('/') || name.includes('@')) throw new RadosError(`image name ${name} must not contain '/' or '@'`, Errno.EINVAL);
}

/** Image management in a pool (Python `rbd.RBD`): create, clone, list, open, remove, rename. */
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
  private static async validatePool(io: IoCtx, options?: CallOptions): Promise<void> {
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

  /** Python `RBD().create(ioctx, name, size, order=None, ...)`. */
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
      try {
        await callCls(io, DIRECTORY, cls.dirAddImage, { name, id }, opts);
      } catch (e) {
        if (hasErrno(e, Errno.EEXIST)) throw new RadosError(`image ${name} already exists in pool ${io.poolName}`, Errno.EEXIST, { cause: e });
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
   */
  static async clone(parentIo: IoCtx, parentName: string, parentSnap: string, childIo: IoCtx, childName: string, opts: CloneOptions = {}): Promise<void> {
    checkImageName(childName);
    const parent = await Image.open(parentIo, parentName, { ...opts, readOnly: true });
    try {
      const snap = parent.listSnaps().find((s) => s.name === parentSnap);
      if (!snap) throw new RadosError(`image ${parentName} has no snapshot ${parentSnap}`, Errno.ENOENT);
      const format = cloneFormat(childIo, opts.cloneFormat);
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

  /** Image names in the pool (Python `RBD().list(ioctx)`), sorted. */
  static async list(io: IoCtx, options?: CallOptions): Promise<string[]> {
    const names: string[] = [];
    let after = '';
    for (;;) {
      let page: Map<string, string>;
      try {
        page = await callCls(io, DIRECTORY, cls.dirList, { startAfter: after, max: 1024 }, options);
      } catch (e) {
        if (hasErrno(e, Errno.ENOENT)) return names;
        throw e;
      }
      names.push(...page.keys());
      if (page.size < 1024) return names;
      after = names.at(-1)!;
    }
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
}
