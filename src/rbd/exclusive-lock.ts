// The exclusive-lock feature as librbd runs it (src/librbd/ManagedLock.cc, ExclusiveLock.cc,
// managed_lock/{Acquire,Break,GetLocker}Request.cc, ImageWatcher.cc): the header's "rbd_lock"
// taken through cls_lock with cookie "auto <our watch handle>" and tag "internal"; a live owner
// (its watch still on the header) is asked for the lock with REQUEST_LOCK and hands it over
// with RELEASED_LOCK; a dead owner is blocklisted and its lock broken. Writes only go out
// between enter() and leave(), which never overlap a hand-over.
import * as clsLock from '../../protocol/cls/cls-lock.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import { type ClientId, decodeImageNotify, encodeImageNotify, encodeNotifyResponse, NotifyOp } from '../../protocol/rbd/image-notify.ts';
import { abortable, callSignal, type CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { RBD_LOCK_NAME } from './object-names.ts';

/** ManagedLock's cookie prefix and tag (WATCHER_LOCK_COOKIE_PREFIX, WATCHER_LOCK_TAG). */
const COOKIE_PREFIX = 'auto ';
const LOCK_TAG = 'internal';
/** How long to wait for a RELEASED_LOCK before asking the owner again. */
const REQUEST_RETRY_MS = 2_000;
/** Without a caller's timeout, how long a write may wait for the lock. */
const ACQUIRE_TIMEOUT_MS = 60_000;

export interface LockHooks {
  /** Right after the lock is ours: open the object map, re-read the header. */
  acquired(options?: CallOptions): Promise<void>;
  /** Before the lock goes (every write has ended): close the object map. */
  releasing(): Promise<void>;
}

type State = 'unlocked' | 'acquiring' | 'locked' | 'releasing';

export class ExclusiveLock {
  private readonly io: IoCtx;
  private readonly header: string;
  private me: ClientId;
  /** Cookies of watches we had before a re-watch: a lock still under one of them is ours. */
  private readonly formerCookies = new Set<string>();
  private readonly hooks: LockHooks;
  private state: State = 'unlocked';
  private acquiring: Promise<void> | undefined;
  private releasing: Promise<void> | undefined;
  private inflight = 0;
  private drained: (() => void) | undefined;
  /** Waiting for the next RELEASED_LOCK / ACQUIRED_LOCK from another client. */
  private readonly waiters = { released: [] as Array<() => void>, acquired: [] as Array<() => void> };
  /** After handing the lock over on request: settles once the requester has it (or after a while). */
  private handedOver: Promise<void> | undefined;
  /** The lock went from us without our releasing it (watch lost, blocklisted), not taken back since. */
  private droppedUnreleased = false;
  /** The watch went while we held the lock: take it back as soon as we watch again. */
  private reacquireOnRewatch = false;
  private shuttingDown = false;

  constructor(io: IoCtx, header: string, me: ClientId, hooks: LockHooks) {
    this.io = io;
    this.header = header;
    this.me = me;
    this.hooks = hooks;
  }

  get cookie(): string {
    return COOKIE_PREFIX + this.me.handle.toString();
  }

  /** Waits until we hold the lock (acquiring it if need be) and counts one write in flight. */
  async enter(options?: CallOptions): Promise<() => void> {
    let signal: AbortSignal | undefined;
    for (;;) {
      if (this.shuttingDown) throw new RadosError(`image header ${this.header}: the image is closing`, Errno.EBADF);
      if (this.releasing) await this.releasing;
      if (this.state === 'locked') break;
      signal ??= callSignal(options, ACQUIRE_TIMEOUT_MS, `acquiring the exclusive lock on ${this.header}`);
      // Having handed the lock over, let the requester take it before asking for it back:
      // grabbing it again first would leave the requester asking forever.
      if (this.handedOver) await abortable(this.handedOver, signal);
      this.acquiring ??= this.acquire({ signal }).finally(() => (this.acquiring = undefined));
      await abortable(this.acquiring, signal);
    }
    this.inflight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.inflight === 0) this.drained?.();
    };
  }

  private async acquire(options?: CallOptions): Promise<void> {
    this.state = 'acquiring';
    try {
      await this.lockLoop(options);
      await this.hooks.acquired(options);
    } catch (e) {
      await this.unlockQuietly();
      this.state = 'unlocked';
      throw e;
    }
    this.state = 'locked';
    this.droppedUnreleased = false;
    await this.notify(NotifyOp.ACQUIRED_LOCK);
  }

  private async lockLoop(options?: CallOptions): Promise<void> {
    for (;;) {
      options?.signal?.throwIfAborted();
      // Built each time round: a re-watch meanwhile changes our cookie.
      const lockOp = clsLock.exclusiveLockOp(RBD_LOCK_NAME, this.cookie, LOCK_TAG);
      try {
        await callCls(this.io, this.header, clsLock.lock, lockOp, options);
        return;
      } catch (e) {
        if (hasErrno(e, Errno.EEXIST)) return; // already ours (same cookie)
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
          await callCls(this.io, this.header, clsLock.setCookie, { name: RBD_LOCK_NAME, type: clsLock.LockType.EXCLUSIVE, cookie: owner.cookie, tag: LOCK_TAG, newCookie: this.cookie }, options);
          return;
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
      await this.notify(NotifyOp.REQUEST_LOCK, options);
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

  /** Hands the lock over: waits for writes in flight, closes the object map, unlocks, tells the others. */
  release(): Promise<void> {
    if (this.state !== 'locked') return this.releasing ?? Promise.resolve();
    this.state = 'releasing';
    this.releasing = (async () => {
      if (this.inflight > 0) await new Promise<void>((r) => (this.drained = r));
      this.drained = undefined;
      try {
        await this.hooks.releasing();
      } finally {
        await this.unlockQuietly();
        this.state = 'unlocked';
        await this.notify(NotifyOp.RELEASED_LOCK);
      }
    })().finally(() => (this.releasing = undefined));
    return this.releasing;
  }

  /** The image watches its header again under a new handle: the lock's cookie follows it on the next acquire. */
  rewatched(handle: bigint): void {
    this.formerCookies.add(this.cookie);
    this.me = { gid: this.me.gid, handle };
    if (!this.reacquireOnRewatch || this.shuttingDown) return;
    this.reacquireOnRewatch = false;
    // ManagedLock's reacquire: at once, not at the next write, so no other client finds our lock
    // under a cookie without a watch (which it would take for a dead owner, and fence us).
    this.acquiring ??= this.acquire({ signal: AbortSignal.timeout(ACQUIRE_TIMEOUT_MS) }).finally(() => (this.acquiring = undefined));
    this.acquiring.catch(() => {});
  }

  /** Our watch is gone for good or the lock was taken from us: writes must re-acquire. */
  lost(cause: 'watch' | 'blocklisted'): void {
    if (this.state === 'unlocked') return;
    this.reacquireOnRewatch = this.state === 'locked' && cause === 'watch';
    this.droppedUnreleased = true;
    this.state = 'unlocked';
  }

  /**
   * Closing the image: no more acquiring, the lock handed back if held; a lock still under a
   * cookie of ours that we lost and never took back is let go too, or another client would
   * find it without a watch and fence us.
   */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.acquiring?.catch(() => {});
    await this.release();
    if (!this.droppedUnreleased) return;
    for (const cookie of new Set([this.cookie, ...this.formerCookies])) {
      await callCls(this.io, this.header, clsLock.unlock, { name: RBD_LOCK_NAME, cookie }).catch(() => {});
    }
  }

  private async unlockQuietly(): Promise<void> {
    await callCls(this.io, this.header, clsLock.unlock, { name: RBD_LOCK_NAME, cookie: this.cookie }).catch(() => {});
  }

  private async notify(op: number, options?: CallOptions): Promise<void> {
    await this.io.notify(this.header, encodeImageNotify({ op, clientId: this.me }), { timeoutMs: 5_000, ...options }).catch(() => {});
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
    } catch {
      return undefined;
    }
    const fromMe = n.clientId?.gid === this.me.gid && n.clientId.handle === this.me.handle;
    switch (n.op) {
      case NotifyOp.REQUEST_LOCK:
        if (fromMe || (this.state !== 'locked' && this.state !== 'releasing')) return undefined;
        if (this.state === 'locked') {
          const taken = this.next('acquired', REQUEST_RETRY_MS);
          this.handedOver = taken.finally(() => (this.handedOver = undefined));
        }
        void this.release().catch(() => {});
        return encodeNotifyResponse(0);
      case NotifyOp.RELEASED_LOCK:
      case NotifyOp.ACQUIRED_LOCK:
        if (!fromMe) for (const w of [...this.waiters[n.op === NotifyOp.RELEASED_LOCK ? 'released' : 'acquired']]) w();
        return undefined;
      case NotifyOp.HEADER_UPDATE:
      case NotifyOp.ASYNC_PROGRESS:
      case NotifyOp.ASYNC_COMPLETE:
        return undefined;
      default:
        return this.state === 'locked' ? encodeNotifyResponse(-Errno.EOPNOTSUPP) : undefined;
    }
  }
}
