// The watch an open, writable image keeps on its header (librbd Watcher.cc / ImageWatcher.cc):
// it delivers the header's notifications, and when the watch is lost for good (re-registering it
// under the same cookie failed, as after a long partition) it watches again under a new cookie,
// as Watcher::rewatch does, so other clients can reach us again.
import { Errno, hasErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import type { IoCtx } from '../ioctx.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { WatchHandle } from '../osd/watch-notify.ts';

export interface HeaderWatchEvents {
  /** A notification; the return value (or what it resolves to) is our reply, sent once it is there. */
  notify(payload: Uint8Array): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** The watch is gone (a new one is being set up). */
  lost(): void;
  /** Watching again, under this cookie. */
  rewatched(cookie: bigint): void;
}

/** Between attempts to watch again: from 250 ms, doubling, at most 8 s. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 8_000;

export class HeaderWatcher {
  private readonly io: IoCtx;
  private readonly oid: string;
  private readonly events: HeaderWatchEvents;
  private readonly log: Logger;
  private handle: WatchHandle | undefined;
  private closed = false;

  private constructor(io: IoCtx, oid: string, events: HeaderWatchEvents, log: Logger) {
    this.io = io;
    this.oid = oid;
    this.events = events;
    this.log = log;
  }

  static async start(io: IoCtx, oid: string, events: HeaderWatchEvents, options?: CallOptions, log: Logger = silentLogger): Promise<HeaderWatcher> {
    const w = new HeaderWatcher(io, oid, events, log);
    w.handle = await w.register(options);
    return w;
  }

  /** The current watch's cookie (librbd's watch handle, part of the lock cookie). */
  get cookie(): bigint {
    return this.handle!.cookie;
  }

  private register(options?: CallOptions): Promise<WatchHandle> {
    return this.io.watch(
      this.oid,
      (_id, _gid, payload) => this.events.notify(payload),
      () => {
        this.events.lost();
        void this.rewatch();
      },
      options,
    );
  }

  private async rewatch(): Promise<void> {
    for (let delay = FIRST_RETRY_MS; !this.closed; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const h = await this.register({ timeoutMs: 30_000 });
        // close() may have run during the await; TS keeps the loop condition's narrowing across it.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- this.closed is set by close() meanwhile
        if (this.closed) {
          await this.unwatch(h);
          return;
        }
        this.handle = h;
        this.events.rewatched(h.cookie);
        return;
      } catch (e) {
        // Blocklisted, or the image is gone: nothing to watch; writes will report why.
        if (hasErrno(e, Errno.EBLOCKLISTED, Errno.ENOENT)) return;
        this.log.debug(`rbd ${this.oid}: re-watching failed (${(e as Error).message}); retrying in ${delay} ms`);
        await new Promise<void>((r) => (setTimeout(r, delay) as { unref?: () => void }).unref?.());
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.handle) await this.unwatch(this.handle);
  }

  /** Drops a watch; a failure leaves nothing to undo (the OSD times the watch out), so it is only logged. */
  private async unwatch(h: WatchHandle): Promise<void> {
    await h.close().catch((e: unknown) => this.log.debug(`rbd ${this.oid}: unwatching failed (the OSD drops the watch when it times out): ${(e as Error).message}`));
  }
}
