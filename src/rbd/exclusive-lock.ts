// The exclusive-lock feature as librbd runs it (src/librbd/ManagedLock.cc, ExclusiveLock.cc,
// managed_lock/{Acquire,Break,GetLocker}Request.cc, ImageWatcher.cc): the header's "rbd_lock"
// taken through cls_lock with cookie "auto <our watch handle>" and tag "internal"; a live owner
// (its watch still on the header) is asked for the lock with REQUEST_LOCK and hands it over
// with RELEASED_LOCK; a dead owner is blocklisted and its lock broken. Changes only go out
// between enter() and leave(), which never overlap a hand-over. The state and its moves are
// exclusive-lock-state.ts (pure); this class runs the I/O they ask for.
import * as clsLock from '../../protocol/cls/cls-lock.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import type { NotifyResult } from '../../protocol/messages/watch-notify.ts';
import { type ClientId, decodeImageNotify, decodeNotifyResponse, encodeImageNotify, encodeNotifyResponse, NotifyOp } from '../../protocol/rbd/image-notify.ts';
import { abortable, callSignal, type CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { type LockEffect, type LockEvent, type LockMachine, type LockState, step } from './exclusive-lock-state.ts';
import { RBD_LOCK_NAME } from './object-names.ts';

/** ManagedLock's cookie prefix and tag (WATCHER_LOCK_COOKIE_PREFIX, WATCHER_LOCK_TAG). */
const COOKIE_PREFIX = 'auto ';
const LOCK_TAG = 'internal';
/** How long to wait for a RELEASED_LOCK before asking the owner again. */
const REQUEST_RETRY_MS = 2_000;
/** Without a caller's timeout, how long a write may wait for the lock. */
const ACQUIRE_TIMEOUT_MS = 60_000;

/** A watcher's answer to our notify: its ResponseMessage result, or undefined for an empty or unreadable reply. */
function replyResult(reply: Uint8Array): number | undefined {
  if (reply.length === 0) return undefined;
  try {
    return decodeNotifyResponse(reply);
  } catch {
    return undefined;
  }
}

export interface LockHooks {
  /**
   * Right after the lock is ours: open the object map, re-read the header. `kept`: it was ours
   * all along (under our cookie, or a former one after a re-watch), so no other client can have
   * changed the image under it, and an object map still open is current (ops in flight since
   * before the watch went may still be updating it: reloading it would lose their changes).
   */
  acquired(options?: CallOptions, kept?: boolean): Promise<void>;
  /** Before the lock goes (every write has ended): close the object map. */
  releasing(): Promise<void>;
}

export class ExclusiveLock {
  private readonly io: IoCtx;
  private readonly header: string;
  private me: ClientId;
  /** Cookies of watches we had before a re-watch: a lock still under one of them is ours. */
  private readonly formerCookies = new Set<string>();
  private readonly hooks: LockHooks;
  private readonly log: Logger;
  /**
   * Refuse other clients' REQUEST_LOCK while we hold the lock (librbd's StandardPolicy, which
   * PreRemoveRequest sets while an image is removed), rather than hand it over (AutomaticPolicy).
   */
  private readonly keep: boolean;
  /**
   * Taken by our user's acquire() (librbd's lock_acquire, which swaps in StandardPolicy for the
   * image's life): REQUEST_LOCK is refused as with `keep`, and changes no longer take the lock
   * themselves: without it they fail (ExclusiveLock's get_unlocked_op_error).
   */
  private manual = false;
  /** We learnt we were blocklisted (a change failed so): the error a manual-mode change gets without the lock. */
  private blocklisted = false;
  /** The state (exclusive-lock-state.ts) and the changes in flight; moved only by dispatch(). */
  private m: LockMachine = { state: { kind: 'unlocked', dropped: false }, inflight: 0 };
  /** The running acquire effect: enter() waits on it, and sees its error. */
  private acquireTask: Promise<void> | undefined;
  /** Settles once the client we hand the lock to has it (its ACQUIRED_LOCK), or after a while. */
  private requesterTook: Promise<void> | undefined;
  /** The unlock-dropped effect, which shutdown() waits for. */
  private unlockDroppedTask: Promise<void> | undefined;
  /** Woken on every transition. */
  private wake: Array<() => void> = [];
  /** Waiting for the next RELEASED_LOCK / ACQUIRED_LOCK from another client. */
  private readonly waiters = { released: [] as Array<() => void>, acquired: [] as Array<() => void> };

  constructor(io: IoCtx, header: string, me: ClientId, hooks: LockHooks, log: Logger = silentLogger, keep = false) {
    this.io = io;
    this.keep = keep;
    this.header = header;
    this.me = me;
    this.hooks = hooks;
    this.log = log;
  }

  get cookie(): string {
    return COOKIE_PREFIX + this.me.handle.toString();
  }

  /** The current state (for tests and diagnostics). */
  get state(): LockState {
    return this.m.state;
  }

  /** Moves the state machine and starts the effects the move asks for. */
  private dispatch(e: LockEvent, options?: CallOptions): void {
    const { next, effects } = step(this.m, e);
    this.m = next;
    const woken = this.wake;
    this.wake = [];
    for (const w of woken) w();
    for (const effect of effects) this.run(effect, options);
  }

  /** Resolves on the next transition. */
  private changed(): Promise<void> {
    return new Promise((r) => this.wake.push(r));
  }

  private run(effect: LockEffect, options?: CallOptions): void {
    switch (effect) {
      case 'acquire': {
        const task = (async () => {
          try {
            const kept = await this.lockLoop(options);
            await this.hooks.acquired(options, kept);
          } catch (e) {
            await this.unlockQuietly();
            this.dispatch({ type: 'acquire-failed' });
            throw e;
          }
          this.dispatch({ type: 'acquired' });
        })();
        this.acquireTask = task;
        // Cleared either way; a failure reaches enter()'s callers through acquireTask itself.
        const clear = (): void => {
          if (this.acquireTask === task) this.acquireTask = undefined;
        };
        task.then(clear, clear);
        return;
      }
      case 'notify-acquired':
        // Not awaited, as librbd's ExclusiveLock::post_acquire (notify_acquired_lock is async):
        // the requester we handed over to waits for it only a while, and writes need not.
        this.notify(NotifyOp.ACQUIRED_LOCK).catch((e: unknown) => this.log.warn(`rbd ${this.header}: ACQUIRED_LOCK notify failed: ${(e as Error).message}`));
        return;
      case 'release':
        void (async () => {
          try {
            await this.hooks.releasing();
          } catch (e) {
            // The object map could not be closed cleanly; the lock goes all the same.
            this.log.warn(`rbd ${this.header}: closing the object map before releasing the lock failed: ${(e as Error).message}`);
          } finally {
            // Under former cookies too: a re-watch during the release leaves the lock under the old one.
            await this.unlockOurs();
            await this.notify(NotifyOp.RELEASED_LOCK).catch((e: unknown) => this.log.warn(`rbd ${this.header}: RELEASED_LOCK notify failed: ${(e as Error).message}`));
            this.dispatch({ type: 'released' });
          }
        })();
        return;
      case 'await-requester':
        void (this.requesterTook ?? Promise.resolve()).then(() => this.dispatch({ type: 'requester-acquired' }));
        return;
      case 'move-cookie':
        // ManagedLock's reacquire: at once, so no other client finds our lock under a cookie
        // without a watch (which it would take for a dead owner, and fence us).
        void this.lockLoop({ signal: AbortSignal.timeout(ACQUIRE_TIMEOUT_MS) }).catch((e: unknown) => {
          this.log.debug(`rbd ${this.header}: taking the lock back under the new watch's cookie failed (${(e as Error).message}); the lock is lost`);
          this.dispatch({ type: 'lost', cause: 'watch' });
        });
        return;
      case 'unlock-dropped':
        this.unlockDroppedTask = this.unlockOurs();
        return;
    }
  }

  /** Waits until we hold the lock (acquiring it if need be) and counts one change in flight. */
  async enter(options?: CallOptions): Promise<() => void> {
    let signal: AbortSignal | undefined;
    for (;;) {
      const s = this.m.state;
      if (s.kind === 'closed' || (s.kind === 'acquiring' && s.closing) || (s.kind === 'releasing' && s.closing)) {
        throw new RadosError(`image header ${this.header}: the image is closing`, Errno.EBADF);
      }
      if (s.kind === 'locked') break;
      if (s.kind === 'releasing') {
        await this.changed();
        continue;
      }
      if (this.manual && s.kind !== 'acquiring') throw this.unlockedError();
      signal ??= callSignal(options, ACQUIRE_TIMEOUT_MS, `acquiring the exclusive lock on ${this.header}`);
      // Having handed the lock over, let the requester take it before asking for it back:
      // grabbing it again first would leave the requester asking forever.
      if (s.kind === 'handed-over') {
        await abortable(this.changed(), signal);
        continue;
      }
      if (s.kind === 'unlocked' || s.kind === 'watch-lost') this.dispatch({ type: 'acquire' }, { signal });
      if (this.acquireTask) await abortable(this.acquireTask, signal);
      else await abortable(this.changed(), signal);
    }
    this.dispatch({ type: 'enter' });
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.dispatch({ type: 'leave' });
    };
  }

  /**
   * librbd's lock_acquire: takes the lock (asking a live owner for it, which may refuse: EROFS)
   * and keeps it until release() or close: from now on other clients' REQUEST_LOCK is refused
   * and changes do not take the lock by themselves.
   */
  async acquire(options?: CallOptions): Promise<void> {
    this.manual = true;
    let signal: AbortSignal | undefined;
    for (;;) {
      const s = this.m.state;
      if (s.kind === 'closed' || (s.kind === 'acquiring' && s.closing) || (s.kind === 'releasing' && s.closing)) {
        throw new RadosError(`image header ${this.header}: the image is closing`, Errno.EBADF);
      }
      if (s.kind === 'locked') return;
      signal ??= callSignal(options, ACQUIRE_TIMEOUT_MS, `acquiring the exclusive lock on ${this.header}`);
      if (s.kind === 'releasing' || s.kind === 'handed-over') {
        await abortable(this.changed(), signal);
        continue;
      }
      if (s.kind === 'unlocked' || s.kind === 'watch-lost') this.dispatch({ type: 'acquire' }, { signal });
      if (this.acquireTask) await abortable(this.acquireTask, signal);
      else await abortable(this.changed(), signal);
    }
  }

  /** librbd's lock_release: EINVAL unless we hold the lock; resolves once it is let go (after the changes in flight). */
  async release(options?: CallOptions): Promise<void> {
    if (this.m.state.kind !== 'locked') throw new RadosError(`image header ${this.header}: this client does not hold the exclusive lock`, Errno.EINVAL);
    this.dispatch({ type: 'release' });
    while (this.state.kind === 'releasing') await (options?.signal ? abortable(this.changed(), options.signal) : this.changed());
  }

  /**
   * librbd's is_exclusive_lock_owner (ManagedLock::assert_header_locked): asks the OSD whether
   * the header's lock is held under our cookie, so a lock broken by another client reads false;
   * EBLOCKLISTED when that client also blocklisted us.
   */
  async isOwner(options?: CallOptions): Promise<boolean> {
    try {
      await callCls(this.io, this.header, clsLock.assertLocked, { name: RBD_LOCK_NAME, type: clsLock.LockType.EXCLUSIVE, cookie: this.cookie, tag: LOCK_TAG }, options);
      return true;
    } catch (e) {
      if (hasErrno(e, Errno.EBUSY, Errno.ENOENT)) return false;
      throw e;
    }
  }

  /** What a change gets without the lock once acquire() was used (ExclusiveLock::get_unlocked_op_error). */
  private unlockedError(): RadosError {
    if (this.blocklisted) return new RadosError(`image header ${this.header}: this client was blocklisted`, Errno.EBLOCKLISTED);
    return new RadosError(`image header ${this.header}: the exclusive lock is not held, and after lockAcquire changes do not take it by themselves`, Errno.EROFS);
  }

  /**
   * Whether the lock is held now by another client that is alive (its watch on the header
   * still there), which a try-only acquisition (librbd's try_acquire_lock, as
   * Operations::prepare_image_update without request_lock uses it for a rollback) fails on
   * rather than asking it with REQUEST_LOCK. False when we hold it, or nobody, or a dead owner
   * does (that one is broken by the acquisition).
   */
  async heldByLiveOther(options?: CallOptions): Promise<boolean> {
    if (this.m.state.kind === 'locked') return false;
    const info = await callCls(this.io, this.header, clsLock.getInfo, RBD_LOCK_NAME, options);
    const owner = info.lockers[0];
    if (!owner || !owner.cookie.startsWith(COOKIE_PREFIX)) return false;
    if (owner.locker.num === this.me.gid && (owner.cookie === this.cookie || this.formerCookies.has(owner.cookie))) return false;
    const client = `client.${owner.locker.num}`;
    const handle = owner.cookie.slice(COOKIE_PREFIX.length);
    return (await this.io.listWatchers(this.header, options)).some((w) => w.client === client && w.cookie.toString() === handle);
  }

  /** Takes the lock; true when it was ours already (same cookie, or moved from a former one of ours). */
  private async lockLoop(options?: CallOptions): Promise<boolean> {
    for (;;) {
      options?.signal?.throwIfAborted();
      // Built each time round: a re-watch meanwhile changes our cookie.
      const lockOp = clsLock.exclusiveLockOp(RBD_LOCK_NAME, this.cookie, LOCK_TAG);
      try {
        await callCls(this.io, this.header, clsLock.lock, lockOp, options);
        return false;
      } catch (e) {
        if (hasErrno(e, Errno.EEXIST)) return true; // already ours (same cookie)
        if (!hasErrno(e, Errno.EBUSY)) throw e;
      }
      const info = await callCls(this.io, this.header, clsLock.getInfo, RBD_LOCK_NAME, options);
      const owner = info.lockers[0];
      if (!owner) continue;
      const client = `client.${owner.locker.num}`;
      if (info.tag !== LOCK_TAG || !owner.cookie.startsWith(COOKIE_PREFIX)) {
        throw new RadosError(`image header ${this.header} is locked by ${client} (cookie "${owner.cookie}", tag "${info.tag}"), not through librbd's exclusive lock`, Errno.EBUSY);
      }
      if (owner.locker.num === this.me.gid && this.formerCookies.has(owner.cookie)) {
        // Our own lock, taken under a watch we since lost and replaced: move it to the new
        // cookie (librbd ManagedLock's ReacquireRequest) rather than fence ourselves.
        try {
          await callCls(
            this.io,
            this.header,
            clsLock.setCookie,
            { name: RBD_LOCK_NAME, type: clsLock.LockType.EXCLUSIVE, cookie: owner.cookie, tag: LOCK_TAG, newCookie: this.cookie },
            options,
          );
          return true;
        } catch (e) {
          if (!hasErrno(e, Errno.EBUSY, Errno.ENOENT)) throw e;
          continue;
        }
      }
      const handle = owner.cookie.slice(COOKIE_PREFIX.length);
      const watchers = await this.io.listWatchers(this.header, options);
      const alive = watchers.some((w) => w.client === client && w.cookie.toString() === handle);
      if (!alive) {
        // A dead owner (its watch is gone): fence it, then take its lock (librbd BreakRequest).
        await this.io.blocklistAdd(owner.address, options);
        await callCls(this.io, this.header, clsLock.breakLock, { name: RBD_LOCK_NAME, locker: owner.locker, cookie: owner.cookie }, options).catch(skipErrno(Errno.ENOENT));
        continue;
      }
      const released = this.next('released', REQUEST_RETRY_MS);
      // A failed request is asked again on the next round.
      const answered = await this.notify(NotifyOp.REQUEST_LOCK, options).catch((e: unknown) =>
        this.log.debug(`rbd ${this.header}: REQUEST_LOCK notify failed, asking again: ${(e as Error).message}`),
      );
      // An owner that keeps the lock (librbd's StandardPolicy: rbd-nbd --exclusive, an image being
      // removed) answers EROFS; the acquisition then fails with it ("peer nacked lock request").
      if (answered?.acks.some((a) => replyResult(a.reply) === -Errno.EROFS)) {
        throw new RadosError(`image header ${this.header}: the exclusive lock's owner ${client} refuses to release it`, Errno.EROFS);
      }
      await (options?.signal ? abortable(released, options.signal) : released);
    }
  }

  /** Resolves on the next such notification from another client, or after `ms`. */
  private next(kind: 'released' | 'acquired', ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const list = this.waiters[kind];
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters[kind].push(done);
    });
  }

  /** The image watches its header again under a new handle: the lock's cookie follows it. */
  rewatched(handle: bigint): void {
    this.formerCookies.add(this.cookie);
    this.me = { gid: this.me.gid, handle };
    this.dispatch({ type: 'rewatched' }, { signal: AbortSignal.timeout(ACQUIRE_TIMEOUT_MS) });
  }

  /** Our watch is gone for good or the lock was taken from us: changes must re-acquire. */
  lost(cause: 'watch' | 'blocklisted'): void {
    if (cause === 'blocklisted') this.blocklisted = true;
    this.dispatch({ type: 'lost', cause });
  }

  /**
   * Closing the image: no more acquiring, the lock handed back if held (once the changes in
   * flight end); a lock still under a cookie of ours that we lost and never took back is let go
   * too, or another client would find it without a watch and fence us.
   */
  async shutdown(): Promise<void> {
    this.dispatch({ type: 'close' });
    while (this.m.state.kind !== 'closed') await this.changed();
    await this.unlockDroppedTask;
  }

  /** After a failed acquire: we may hold the lock or not (ENOENT); never throws. */
  private async unlockQuietly(): Promise<void> {
    await this.unlock(this.cookie);
  }

  /** Unlocks under our cookie and every former one (each one not holding the lock: ENOENT, ignored). */
  private async unlockOurs(): Promise<void> {
    for (const cookie of new Set([this.cookie, ...this.formerCookies])) await this.unlock(cookie);
  }

  /**
   * Never throws: a lock we fail to let go of stays as it is, and another client asks for it
   * again or, once our watch is gone, breaks it (BreakRequest). ENOENT (not held) is expected.
   */
  private async unlock(cookie: string): Promise<void> {
    await callCls(this.io, this.header, clsLock.unlock, { name: RBD_LOCK_NAME, cookie }).catch((e: unknown) => {
      if (!hasErrno(e, Errno.ENOENT)) this.log.warn(`rbd ${this.header}: unlocking "${cookie}" failed: ${(e as Error).message}`);
    });
  }

  private notify(op: number, options?: CallOptions): Promise<NotifyResult> {
    return this.io.notify(this.header, encodeImageNotify({ op, clientId: this.me }), { timeoutMs: 5_000, ...options });
  }

  /**
   * A header notification, as ImageWatcher handles it. Returns our reply: REQUEST_LOCK while we
   * own the lock is accepted (0) and the lock handed over once our writes end; requests to run
   * an operation (resize, snapshot, …) on the owner's behalf get EOPNOTSUPP, on which librbd
   * asks for the lock and runs it itself.
   */
  handleNotify(payload: Uint8Array): Uint8Array | undefined {
    let n;
    try {
      n = decodeImageNotify(payload);
    } catch (e) {
      // Acknowledged with an empty reply (librbd's ImageWatcher::handle_notify logs such a payload too).
      this.log.debug(`rbd ${this.header}: header notify not decoded (${(e as Error).message}); acknowledged without a reply`);
      return undefined;
    }
    const fromMe = n.clientId?.gid === this.me.gid && n.clientId.handle === this.me.handle;
    switch (n.op) {
      case NotifyOp.REQUEST_LOCK: {
        const kind = this.m.state.kind;
        if (fromMe || (kind !== 'locked' && kind !== 'releasing')) return undefined;
        // Kept (librbd's StandardPolicy lock_requested): the requester's acquisition fails with EROFS.
        if ((this.keep || this.manual) && kind === 'locked') return encodeNotifyResponse(-Errno.EROFS);
        if (kind === 'locked') {
          // Listening from now: the requester may take the lock before our RELEASED_LOCK notify returns.
          this.requesterTook = this.next('acquired', REQUEST_RETRY_MS);
        }
        this.dispatch({ type: 'request-lock' });
        return encodeNotifyResponse(0);
      }
      case NotifyOp.RELEASED_LOCK:
      case NotifyOp.ACQUIRED_LOCK:
        if (!fromMe) for (const w of [...this.waiters[n.op === NotifyOp.RELEASED_LOCK ? 'released' : 'acquired']]) w();
        return undefined;
      case NotifyOp.HEADER_UPDATE:
      case NotifyOp.ASYNC_PROGRESS:
      case NotifyOp.ASYNC_COMPLETE:
        return undefined;
      default:
        return this.m.state.kind === 'locked' ? encodeNotifyResponse(-Errno.EOPNOTSUPP) : undefined;
    }
  }
}
