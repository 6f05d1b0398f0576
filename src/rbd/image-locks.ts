// Lock control on an open image, as Python's rbd.Image has it. Two kinds share the header's
// cls_lock "rbd_lock" (src/librbd/internal.cc):
// - the exclusive lock's control (lock_acquire, lock_release, lock_get_owners, lock_break,
//   is_exclusive_lock_owner): the lock librbd takes by itself for writes (exclusive-lock.ts),
//   held on demand; its owner is named by address (managed_lock/GetLockerRequest.cc) and
//   broken by blocklisting it first (managed_lock/BreakRequest.cc);
// - advisory locks (lock_exclusive, lock_shared, unlock, break_lock, list_lockers; `rbd lock
//   add/rm/ls`): plain cls_lock calls under the caller's cookie and tag, which librbd itself
//   never looks at, each followed by a HEADER_UPDATE notify (ImageCtx::notify_update).
import * as clsLock from '../../protocol/cls/cls-lock.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { encodeImageNotify, NotifyOp } from '../../protocol/rbd/image-notify.ts';
import type { CallOptions } from '../abort.ts';
import { Feature } from './features.ts';
import type { ImageCtx } from './image-ctx.ts';
import { RBD_LOCK_NAME } from './object-names.ts';

/** Python's RBD_LOCK_MODE_EXCLUSIVE and RBD_LOCK_MODE_SHARED (librbd.h rbd_lock_mode_t). */
export const LockMode = {
  /** The exclusive lock: the only mode librbd's lock control takes. */
  EXCLUSIVE: 0,
  /** Shared: librbd refuses it (EOPNOTSUPP). */
  SHARED: 1,
} as const;

/** A value of LockMode. */
export type LockModeValue = (typeof LockMode)[keyof typeof LockMode];

/** The exclusive lock's owner (Python `lock_get_owners` yields `{'mode': …, 'owner': …}`). */
export interface LockOwner {
  /** Always LockMode.EXCLUSIVE. */
  mode: LockModeValue;
  /** The owner's address (`10.0.0.1:0/123456`), what `lockBreak` takes. */
  owner: string;
}

/** One holder of an advisory image lock (a tuple of Python `list_lockers`' `lockers`). */
export interface ImageLocker {
  /** The holder's entity name, `client.<global id>`. */
  client: string;
  /** The cookie it locked with. */
  cookie: string;
  /** Its address, as `rbd lock ls` shows it. */
  address: string;
}

/** The image's advisory lock and its holders (Python `list_lockers`). */
export interface ImageLockers {
  /** The lock's tag (shared holders must all give the same one); "" without holders. */
  tag: string;
  /** Whether the lock is exclusive (false when shared, or without holders). */
  exclusive: boolean;
  /** The holders; empty when nobody holds it (Python then returns `[]`). */
  lockers: ImageLocker[];
}

/** librbd's ManagedLock tag and cookie ("auto <watch handle>", managed_lock/Utils.cc), which tell its own lock apart. */
const WATCHER_LOCK_TAG = 'internal';
const WATCHER_COOKIE = /^auto \d+$/;

function noExclusiveLockFeature(ctx: ImageCtx): RadosError {
  return new RadosError(`image ${ctx.name}: the exclusive-lock feature is not enabled`, Errno.EINVAL);
}

/** EOPNOTSUPP for any mode but exclusive (internal.cc lock_acquire, lock_break). */
function checkMode(mode: LockModeValue): void {
  if (mode !== LockMode.EXCLUSIVE) throw new RadosError(`lock mode ${mode}: only the exclusive mode is supported`, Errno.EOPNOTSUPP);
}

/** internal.cc lock_acquire: EINVAL without the feature or when open read-only (librbd has no exclusive lock then). */
export async function lockAcquire(ctx: ImageCtx, mode: LockModeValue, options?: CallOptions): Promise<void> {
  checkMode(mode);
  ctx.checkOpen();
  const lock = ctx.exclusiveLock;
  if (!lock) throw noExclusiveLockFeature(ctx);
  await lock.acquire(options);
}

/** internal.cc lock_release: EINVAL unless we hold the lock. */
export async function lockRelease(ctx: ImageCtx, options?: CallOptions): Promise<void> {
  ctx.checkOpen();
  const lock = ctx.exclusiveLock;
  if (!lock) throw new RadosError(`image ${ctx.name}: this client does not hold the exclusive lock`, Errno.EINVAL);
  await lock.release(options);
}

/** The exclusive lock's holder as GetLockerRequest reads it: ENOENT when unlocked, EBUSY when held otherwise than by librbd's lock. */
async function exclusiveLocker(ctx: ImageCtx, options?: CallOptions): Promise<clsLock.Locker> {
  const info = await ctx.call(clsLock.getInfo, RBD_LOCK_NAME, options);
  const owner = info.lockers[0];
  if (!owner) throw new RadosError(`image ${ctx.name}: the exclusive lock is not held`, Errno.ENOENT);
  if (info.tag !== WATCHER_LOCK_TAG || info.type !== clsLock.LockType.EXCLUSIVE || !WATCHER_COOKIE.test(owner.cookie)) {
    throw new RadosError(`image ${ctx.name}: the header is locked by client.${owner.locker.num} otherwise than by librbd's exclusive lock`, Errno.EBUSY);
  }
  if (owner.address === '') throw new RadosError(`image ${ctx.name}: the exclusive lock has no valid holder`, Errno.ENOENT);
  return owner;
}

/** internal.cc lock_get_owners: EINVAL without the feature; no owner is an empty list, as Python's iterator gives. */
export async function lockGetOwners(ctx: ImageCtx, options?: CallOptions): Promise<LockOwner[]> {
  ctx.checkOpen();
  if (!(ctx.features & Feature.EXCLUSIVE_LOCK)) throw noExclusiveLockFeature(ctx);
  try {
    const owner = await exclusiveLocker(ctx, options);
    return [{ mode: LockMode.EXCLUSIVE, owner: owner.address }];
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return [];
    throw e;
  }
}

/**
 * internal.cc lock_break with managed_lock/BreakRequest.cc (forced, blocklisting): EROFS when
 * open read-only, EINVAL without the feature, ENOENT when unlocked, EBUSY when `owner` is not
 * the current owner's address or this image holds the lock, EINVAL when another image of this
 * client does (librbd will not blocklist itself). The
 * owner is blocklisted first, so it cannot write once its lock is gone.
 */
export async function lockBreak(ctx: ImageCtx, mode: LockModeValue, owner: string, options?: CallOptions): Promise<void> {
  checkMode(mode);
  ctx.checkOpen();
  if (ctx.readOnlyAsked || ctx.readSnap) throw new RadosError(`image ${ctx.name} is open read-only`, Errno.EROFS);
  if (!ctx.exclusiveLock) throw noExclusiveLockFeature(ctx);
  const locker = await exclusiveLocker(ctx, options);
  if (locker.address !== owner) throw new RadosError(`image ${ctx.name}: the exclusive lock's owner is ${locker.address}, not ${owner}`, Errno.EBUSY);
  // ManagedLock::break_lock refuses while this image holds the lock; BreakRequest refuses to
  // blocklist its own client (another image of ours holding it).
  if (ctx.exclusiveLock.state.kind === 'locked') throw new RadosError(`image ${ctx.name}: this image holds the exclusive lock`, Errno.EBUSY);
  if (locker.locker.num === ctx.ioctx.instanceId) throw new RadosError(`image ${ctx.name}: the exclusive lock is held by this client; not blocklisting ourselves`, Errno.EINVAL);
  // BreakRequest reads the locker again after listing the watchers: a lock that changed hands meanwhile is not broken.
  const again = await exclusiveLocker(ctx, options).catch((e: unknown) => {
    if (hasErrno(e, Errno.ENOENT)) return undefined;
    throw e;
  });
  if (!again) return;
  if (again.cookie !== locker.cookie || again.locker.num !== locker.locker.num) {
    throw new RadosError(`image ${ctx.name}: the exclusive lock changed hands while breaking it`, Errno.EAGAIN);
  }
  await ctx.ioctx.blocklistAdd(locker.address, options);
  await ctx.call(clsLock.breakLock, { name: RBD_LOCK_NAME, locker: locker.locker, cookie: locker.cookie }, options).catch(skipErrno(Errno.ENOENT));
}

/** internal.cc is_exclusive_lock_owner: false without the feature or read-only; else the OSD is asked. */
export async function isExclusiveLockOwner(ctx: ImageCtx, options?: CallOptions): Promise<boolean> {
  ctx.checkOpen();
  return (await ctx.exclusiveLock?.isOwner(options)) ?? false;
}

/** ImageCtx::notify_update: other clients re-read the header (their list_lockers is from it). Best effort, as librbd's. */
async function notifyUpdate(ctx: ImageCtx, options?: CallOptions): Promise<void> {
  await ctx.ioctx
    .notify(ctx.header, encodeImageNotify({ op: NotifyOp.HEADER_UPDATE }), { timeoutMs: 5_000, ...options })
    .catch((e: unknown) => ctx.log.debug(`rbd ${ctx.name}: HEADER_UPDATE notify failed: ${(e as Error).message}`));
}

/** internal.cc lock: one cls_lock call on the header's "rbd_lock", no expiry, no description. */
async function advisoryLock(ctx: ImageCtx, type: number, cookie: string, tag: string, options?: CallOptions): Promise<void> {
  ctx.checkOpen();
  await ctx.call(clsLock.lock, { name: RBD_LOCK_NAME, type, cookie, tag, description: '', duration: { sec: 0, nsec: 0 }, flags: 0 }, options);
  await notifyUpdate(ctx, options);
}

/** Python `lock_exclusive`: EEXIST when we hold it under this cookie already, EBUSY when anyone else holds it. */
export function lockExclusive(ctx: ImageCtx, cookie: string, options?: CallOptions): Promise<void> {
  return advisoryLock(ctx, clsLock.LockType.EXCLUSIVE, cookie, '', options);
}

/** Python `lock_shared`: EBUSY when held exclusively or under another tag, EEXIST under our cookie already. */
export function lockShared(ctx: ImageCtx, cookie: string, tag: string, options?: CallOptions): Promise<void> {
  return advisoryLock(ctx, clsLock.LockType.SHARED, cookie, tag, options);
}

/** Python `unlock`: ENOENT when we hold no lock under this cookie. */
export async function unlock(ctx: ImageCtx, cookie: string, options?: CallOptions): Promise<void> {
  ctx.checkOpen();
  await ctx.call(clsLock.unlock, { name: RBD_LOCK_NAME, cookie }, options);
  await notifyUpdate(ctx, options);
}

/**
 * internal.cc break_lock with rbd_blocklist_on_break_lock (true by default): EINVAL for a
 * client that is not `client.<id>`, ENOENT when that client holds no lock; the holder is
 * blocklisted (by the address it locked from), then its lock under `cookie` broken (ENOENT
 * when it holds none under that cookie).
 */
export async function breakLock(ctx: ImageCtx, client: string, cookie: string, options?: CallOptions): Promise<void> {
  ctx.checkOpen();
  const m = /^client\.(\d+)$/.exec(client);
  if (!m) throw new RadosError(`break_lock: ${client} is not an entity name like client.<id>`, Errno.EINVAL);
  const num = BigInt(m[1]!);
  const info = await ctx.call(clsLock.getInfo, RBD_LOCK_NAME, options);
  const holder = info.lockers.find((l) => l.locker.type === EntityType.CLIENT && l.locker.num === num);
  if (!holder) throw new RadosError(`image ${ctx.name}: ${client} holds no lock`, Errno.ENOENT);
  await ctx.ioctx.blocklistAdd(holder.address, options);
  await ctx.call(clsLock.breakLock, { name: RBD_LOCK_NAME, locker: { type: EntityType.CLIENT, num }, cookie }, options);
  await notifyUpdate(ctx, options);
}

/** Python `list_lockers`, read from the header now (librbd answers from its last header read). */
export async function listLockers(ctx: ImageCtx, options?: CallOptions): Promise<ImageLockers> {
  ctx.checkOpen();
  const info = await ctx.call(clsLock.getInfo, RBD_LOCK_NAME, options);
  if (info.lockers.length === 0) return { tag: '', exclusive: false, lockers: [] };
  return {
    tag: info.tag,
    exclusive: info.type === clsLock.LockType.EXCLUSIVE,
    lockers: info.lockers.map((l) => ({ client: `client.${l.locker.num}`, cookie: l.cookie, address: l.address })),
  };
}
