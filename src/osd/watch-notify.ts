// Watch/notify over the Objecter (Objecter linger ops, librados rados_watch3/rados_notify2):
// a watch is a WATCH op plus pings; notifications arrive as MWatchNotify on the primary's
// session and are acked with NOTIFY_ACK; a notify is a NOTIFY op whose result comes later as
// NOTIFY_COMPLETE. A watch lost on a session reset is re-registered (RECONNECT); if that
// fails the watcher's error callback is told.
// Kept in our .d.ts (preserve) so consumers without Node types or lib esnext see Symbol.asyncDispose.
/// <reference lib="esnext.disposable" preserve="true" />
import { type Logger, silentLogger } from '../logger.ts';
import { Errno, errnoName, hasErrno, RadosError } from '../../protocol/errors.ts';
import { decodeNotifyResult, type NotifyResult, WatchNotifyOp, type WatchNotifyMessage, WatchOp } from '../../protocol/messages/watch-notify.ts';
import { notifyAckStep, notifyStep, type OpStep, watchStep } from '../../protocol/osd/op-steps.ts';
import { abortable, type CallOptions, callSignal } from '../abort.ts';
import type { ObjectOpRequest, Objecter } from './objecter.ts';
import { Listeners, type Unsubscribe } from '../listeners.ts';

/** What the watch layer announces: a watch registered again after the OSD lost it, or lost for good. */
export interface WatchEvents {
  /** RECONNECT re-registered the watch. */
  reconnected: [cookie: bigint, addr: ObjectAddress];
  /** The watch ended with this error (its onError is called with the same). */
  lost: [cookie: bigint, addr: ObjectAddress, error: Error];
}

export interface ObjectAddress {
  poolId: number;
  oid: string;
  namespace?: string;
  key?: string;
}

/** Called for each notification on a watched object; what it returns is sent back to the notifier as this watcher's reply. */
export type NotifyHandler = (notifyId: bigint, notifierGid: bigint, payload: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
/** Called once when a watch is lost for good (it could not be re-established). */
export type WatchErrorHandler = (err: Error) => void;

/** `IoCtx.notify` options. */
export interface NotifyOptions extends CallOptions {
  /**
   * Milliseconds the watchers have to acknowledge (default 30 000; the OSD takes whole
   * seconds, rounded up). When given, it also bounds sending the notify, as in CallOptions.
   */
  timeoutMs?: number;
}

interface WatchState {
  cookie: bigint;
  addr: ObjectAddress;
  onNotify: NotifyHandler;
  onError: WatchErrorHandler;
  gen: number;
  timer: ReturnType<typeof setInterval>;
  closed: boolean;
  /** A ping/reconnect is under way (one at a time per watch). */
  checking: boolean;
  /** The OSD the watch was last confirmed on. */
  osd: number | undefined;
  /** Why the watch was lost, once it was (Objecter's LingerOp::last_error). */
  error?: Error;
  registeredAt: number;
  /** When the OSD last confirmed it (registration, ping or reconnect). */
  confirmedAt: number;
}

/** A registered watch, as `objecter_requests` lists it under "linger_ops". */
export interface WatchStatus {
  /** The watch's cookie (`listWatchers` shows it). */
  cookie: bigint;
  /** The pool's id. */
  pool: number;
  /** The object's namespace ('' for the default). */
  namespace: string;
  /** The watched object. */
  oid: string;
  /** The OSD that last confirmed it. */
  osd: number | undefined;
  /** How often it was re-registered (the RECONNECT generation). */
  gen: number;
  /** Since it was registered. */
  ageMs: number;
  /** Since the OSD last confirmed it; past the watch timeout the OSD may have dropped it. */
  lastConfirmedAgoMs: number;
  /** A ping or re-registration is out now. */
  checking: boolean;
}

/**
 * How long past a notify's own timeout we wait for its NOTIFY_COMPLETE: the OSD sends it when
 * that timeout ends, so only a lost session (the OSD died after accepting the notify) leaves
 * it unsent; the notify then fails with ETIMEDOUT rather than waiting forever.
 */
const NOTIFY_COMPLETE_GRACE_MS = 10_000;

/** A registered watch (Python `Watch`). `await using w = await io.watch(…)` unwatches at scope end. */
export interface WatchHandle {
  /** The watch's cookie, as the OSD and `listWatchers` report it. */
  readonly cookie: bigint;
  /**
   * Python `Watch.check()` (rados_watch_check): milliseconds since the OSD last confirmed the
   * watch (registration, a ping or a reconnect). Throws the error the watch was lost with
   * (what its error callback got), or ENOTCONN once closed.
   */
  check(): number;
  /** Unregisters the watch on the OSD; further calls do nothing. */
  close(options?: CallOptions): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** A watch's closed flag as it is now: TypeScript keeps the narrowing from before an await. */
function isClosed(w: WatchState): boolean {
  return w.closed;
}

export class WatchNotify {
  private readonly objecter: Objecter;
  private readonly log: Logger;
  private readonly watches = new Map<bigint, WatchState>();
  readonly #events = new Listeners<WatchEvents>();
  private readonly notifies = new Map<bigint, (m: WatchNotifyMessage) => void>();
  private nextCookie = 1n;
  private readonly pingMs: number;
  /** The timeout the OSD applies to our watches (librados sends osd_client_watch_timeout). */
  private readonly timeoutSec: number;

  /** Adds a listener (see WatchEvents); returns its removal. */
  on<K extends keyof WatchEvents>(event: K, fn: (...args: WatchEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, fn);
  }

  constructor(objecter: Objecter, pingMs = 5_000, timeoutSec = 30, log: Logger = silentLogger) {
    this.objecter = objecter;
    this.log = log;
    this.timeoutSec = timeoutSec;
    // Ping well within the timeout, as librados does.
    this.pingMs = Math.min(pingMs, Math.max(500, (timeoutSec * 1000) / 3));
    objecter.on('watchNotify', (m) => this.handle(m));
    objecter.on('targetsReset', (osd) => this.recheck(osd));
  }

  /**
   * Pings now the watches a session reset (on `osd`) or a map change (osd undefined: those
   * whose primary moved) may have dropped on the OSD side.
   */
  private recheck(osd: number | undefined): void {
    for (const w of this.watches.values()) {
      const moved = osd === undefined ? this.primaryOf(w) !== w.osd : w.osd === osd;
      if (moved) void this.ping(w);
    }
  }

  /** The OSD the watch's object maps to now (the target depends on the address alone). */
  private primaryOf(w: WatchState): number | undefined {
    return this.objecter.primaryFor(this.req(w.addr, watchStep(w.cookie, WatchOp.PING, w.gen, 0)));
  }

  private confirmed(w: WatchState): void {
    w.osd = this.primaryOf(w);
    w.confirmedAt = Date.now();
  }

  /** The watches registered now (`objecter_requests` "linger_ops"). */
  watchStatus(now = Date.now()): WatchStatus[] {
    return [...this.watches.values()].map((w) => ({
      cookie: w.cookie,
      pool: w.addr.poolId,
      namespace: w.addr.namespace ?? '',
      oid: w.addr.oid,
      osd: w.osd,
      gen: w.gen,
      ageMs: now - w.registeredAt,
      lastConfirmedAgoMs: now - w.confirmedAt,
      checking: w.checking,
    }));
  }

  private req(addr: ObjectAddress, step: OpStep, read = false): ObjectOpRequest {
    return {
      poolId: addr.poolId,
      oid: addr.oid,
      ...(addr.namespace ? { namespace: addr.namespace } : {}),
      ...(addr.key ? { key: addr.key } : {}),
      steps: [step],
      ...(read ? { forceRead: true } : {}),
    };
  }

  async watch(addr: ObjectAddress, onNotify: NotifyHandler, onError: WatchErrorHandler, options?: CallOptions): Promise<WatchHandle> {
    const cookie = this.nextCookie++;
    const r = await this.objecter.submit(this.req(addr, watchStep(cookie, WatchOp.WATCH, 0, this.timeoutSec)), options);
    if (r.result < 0) throw new RadosError(`watch ${addr.oid}: ${errnoName(r.result)}`, r.result);
    const now = Date.now();
    const w: WatchState = {
      cookie,
      addr,
      onNotify,
      onError,
      gen: 0,
      closed: false,
      checking: false,
      osd: undefined,
      registeredAt: now,
      confirmedAt: now,
      timer: setInterval(() => void this.ping(w), this.pingMs),
    };
    (w.timer as { unref?: () => void }).unref?.();
    this.confirmed(w);
    this.watches.set(cookie, w);
    const close = async (o?: CallOptions): Promise<void> => {
      if (w.closed) return;
      w.closed = true;
      clearInterval(w.timer);
      this.watches.delete(cookie);
      const u = await this.objecter.submit(this.req(addr, watchStep(cookie, WatchOp.UNWATCH, 0, 0)), o);
      if (u.result < 0 && u.result !== -Errno.ENOENT) throw new RadosError(`unwatch ${addr.oid}: ${errnoName(u.result)}`, u.result);
    };
    const check = (): number => {
      if (w.error) throw w.error;
      if (w.closed) throw new RadosError(`watch on ${addr.oid} is closed`, Errno.ENOTCONN);
      return Date.now() - w.confirmedAt;
    };
    return { cookie, close, check, [Symbol.asyncDispose]: () => close() };
  }

  /** Pings keep the watch alive; a ping that finds the watch gone re-registers it. */
  private async ping(w: WatchState): Promise<void> {
    if (w.closed || w.checking) return;
    w.checking = true;
    try {
      const r = await this.objecter.submit(this.req(w.addr, watchStep(w.cookie, WatchOp.PING, w.gen, 0), true), { timeoutMs: this.pingMs * 4 });
      // closed may have been set while we waited (close() runs concurrently): read it afresh.
      if (r.result >= 0 || isClosed(w)) {
        this.confirmed(w);
        return;
      }
      w.gen++;
      const again = await this.objecter.submit(this.req(w.addr, watchStep(w.cookie, WatchOp.RECONNECT, w.gen, this.timeoutSec)), { timeoutMs: this.pingMs * 4 });
      if (again.result < 0) throw new RadosError(`watch on ${w.addr.oid} lost: ${errnoName(again.result)}`, again.result);
      this.confirmed(w);
      this.#events.emit('reconnected', w.cookie, w.addr);
    } catch (e) {
      if (isClosed(w)) return;
      w.closed = true;
      clearInterval(w.timer);
      this.watches.delete(w.cookie);
      // As librados (Objecter::_normalize_watch_error): a watch whose object was deleted is
      // reported as ENOTCONN, the same as any other watch lost for good, not ENOENT.
      const lost = hasErrno(e, Errno.ENOENT) ? new RadosError(`watch on ${w.addr.oid} lost: ENOTCONN (the object was deleted)`, Errno.ENOTCONN, { cause: e }) : (e as Error);
      w.error = lost;
      this.#events.emit('lost', w.cookie, w.addr, lost);
      w.onError(lost);
    } finally {
      w.checking = false;
    }
  }

  /** Sends a notify; resolves when every watcher acked or the timeout passed (with who timed out). */
  async notify(addr: ObjectAddress, payload: Uint8Array, opts: NotifyOptions = {}): Promise<NotifyResult> {
    const cookie = this.nextCookie++;
    const timeoutSec = Math.max(1, Math.ceil((opts.timeoutMs ?? 30_000) / 1000));
    const done = new Promise<WatchNotifyMessage>((resolve) => this.notifies.set(cookie, resolve));
    try {
      const r = await this.objecter.submit(this.req(addr, notifyStep(cookie, timeoutSec, payload)), opts);
      if (r.result < 0) throw new RadosError(`notify ${addr.oid}: ${errnoName(r.result)}`, r.result);
      const waitMs = timeoutSec * 1000 + NOTIFY_COMPLETE_GRACE_MS;
      const signal = callSignal(opts.signal ? { signal: opts.signal, timeoutMs: waitMs } : { timeoutMs: waitMs }, 0, `notify ${addr.oid}`);
      let m: WatchNotifyMessage;
      try {
        m = await abortable(done, signal);
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw new RadosError(`notify ${addr.oid}: no NOTIFY_COMPLETE ${waitMs} ms after it was accepted (the OSD's session was lost)`, -Errno.ETIMEDOUT, { cause: e });
      }
      const result = decodeNotifyResult(m.data.length > 0 ? m.data : m.payload);
      if (m.returnCode < 0 && m.returnCode !== -Errno.ETIMEDOUT) throw new RadosError(`notify ${addr.oid}: ${errnoName(m.returnCode)}`, m.returnCode);
      return result;
    } finally {
      this.notifies.delete(cookie);
    }
  }

  private handle(m: WatchNotifyMessage): void {
    if (m.opcode === WatchNotifyOp.NOTIFY_COMPLETE) {
      this.notifies.get(m.cookie)?.(m);
      return;
    }
    const w = this.watches.get(m.cookie);
    if (!w) return;
    if (m.opcode === WatchNotifyOp.DISCONNECT) {
      void this.ping(w); // re-register, or report the loss
      return;
    }
    if (m.opcode === WatchNotifyOp.NOTIFY) {
      void (async () => {
        let reply: Uint8Array | undefined;
        try {
          reply = await w.onNotify(m.notifyId, m.notifierGid, m.payload);
        } catch (e) {
          // The notifier still gets our ack (an empty reply) rather than waiting out its timeout.
          this.log.debug(`watch ${w.cookie}: the notify handler of notify ${m.notifyId} threw (${(e as Error).message}); acknowledged without a reply`);
          reply = undefined;
        }
        await this.objecter.submit(this.req(w.addr, notifyAckStep(m.notifyId, w.cookie, reply ?? new Uint8Array(0)), true)).catch((e: unknown) => {
          // The notifier then counts us as timed out, which is what it would see had we died.
          this.log.debug(`watch ${w.cookie}: notify ${m.notifyId} not acknowledged (${(e as Error).message})`);
        });
      })();
    }
  }
}
