// The exclusive lock's effect runner against a fake header object that keeps one cls_lock the
// way cls_lock.cc does (lock: EEXIST under the holder's own cookie, EBUSY under another; unlock
// and set_cookie only under the holder's cookie, else ENOENT / EBUSY) and records notifies.
// What is checked is which cookie the lock ends under: librbd peers take a lock whose cookie
// matches no watch on the header for a dead owner's and blocklist it (managed_lock BreakRequest).
import { describe, expect, it, type Mock, vi } from 'vitest';
import * as clsLock from '../../protocol/cls/cls-lock.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { Writer } from '../../protocol/encoding/writer.ts';
import { Errno, RadosError } from '../../protocol/errors.ts';
import { decodeImageNotify, decodeNotifyResponse, encodeImageNotify, encodeNotifyResponse, NotifyOp } from '../../protocol/rbd/image-notify.ts';
import { AF_INET, AddrType, encodeEntityAddr } from '../../protocol/types/entity-addr.ts';
import { encodeEntityNameT } from '../../protocol/types/entity-name.ts';
import { encodeUtime } from '../../protocol/types/utime.ts';
import type { IoCtx } from '../ioctx.ts';
import type { Logger } from '../logger.ts';
import { ExclusiveLock } from './exclusive-lock.ts';

const GID = 4123n;
const HEADER = 'rbd_header.abc';
const ENTITY_CLIENT = 8;

/** Runs `f` now, as an async fake would: its throw becomes the promise's rejection. */
const settled = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));

class FakeHeader {
  /** The cookie the lock is held under (always by client.GID here), or undefined. */
  owner: string | undefined;
  /** Our current watch's cookie (what list_watchers shows). */
  watch = 1n;
  notified: number[] = [];
  failNotify = false;
  /** What the owner (a watch of client.GID under cookie `watch`) answers our notifies, if anything. */
  reply: Uint8Array | undefined;
  failUnlock = false;

  io(): IoCtx {
    const fake = {
      exec: (_oid: string, _cls: string, method: string, input: Uint8Array) => settled(() => this.exec(method, input)),
      notify: (_oid: string, payload: Uint8Array) =>
        settled(() => {
          if (this.failNotify) throw new RadosError('notify timed out', Errno.ETIMEDOUT);
          this.notified.push(decodeImageNotify(payload).op);
          return { acks: this.reply ? [{ gid: GID, cookie: this.watch, reply: this.reply }] : [], timeouts: [] };
        }),
      listWatchers: () => Promise.resolve([{ client: `client.${GID}`, cookie: this.watch, timeoutSeconds: 30 }]),
      blocklistAdd: () => Promise.reject(new Error('the fake never has a dead owner')),
    };
    return fake as unknown as IoCtx;
  }

  private exec(method: string, input: Uint8Array): Uint8Array {
    const fields = (): string[] =>
      new Reader(input).struct('op', 1, (r) => {
        const name = r.string();
        if (method === 'lock' || method === 'set_cookie') {
          const type = r.u8();
          return [name, String(type), r.string(), r.string(), ...(method === 'set_cookie' ? [r.string()] : [])];
        }
        return method === 'unlock' ? [name, r.string()] : [name];
      });
    switch (method) {
      case 'lock': {
        const [, , cookie] = fields();
        if (this.owner === cookie) throw new RadosError('lock: held under this cookie', Errno.EEXIST);
        if (this.owner !== undefined) throw new RadosError('lock: held', Errno.EBUSY);
        this.owner = cookie;
        return new Uint8Array(0);
      }
      case 'unlock': {
        const [, cookie] = fields();
        if (this.failUnlock) throw new RadosError('unlock timed out', Errno.ETIMEDOUT);
        if (this.owner !== cookie) throw new RadosError('unlock: not held under this cookie', Errno.ENOENT);
        this.owner = undefined;
        return new Uint8Array(0);
      }
      case 'set_cookie': {
        const [, , cookie, , newCookie] = fields();
        if (this.owner !== cookie) throw new RadosError('set_cookie: not held under this cookie', Errno.EBUSY);
        this.owner = newCookie;
        return new Uint8Array(0);
      }
      case 'get_info':
        return this.infoReply();
    }
    throw new Error(`unexpected cls method ${method}`);
  }

  /** cls_lock_get_info_reply, laid out as in protocol/cls/cls-lock.test.ts. */
  private infoReply(): Uint8Array {
    const owner = this.owner;
    return new Writer()
      .struct(1, 1, (w) => {
        w.u32(owner === undefined ? 0 : 1);
        if (owner !== undefined) {
          w.struct(1, 1, (w) => {
            encodeEntityNameT(w, { type: ENTITY_CLIENT, num: GID });
            w.string(owner);
          });
          w.struct(1, 1, (w) => {
            encodeUtime(w, { sec: 0, nsec: 0 });
            encodeEntityAddr(w, { type: AddrType.ANY, nonce: 1, family: AF_INET, ip: '10.0.0.1', port: 0 });
            w.string('');
          });
        }
        w.u8(clsLock.LockType.EXCLUSIVE).string('internal');
      })
      .finish();
  }
}

const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** A Logger whose methods are mocks (plain function properties, so expect(log.warn) needs no binding). */
const silent = (): { [K in keyof Logger]: Mock<Logger[K]> } => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('ExclusiveLock effects', () => {
  it('sends ACQUIRED_LOCK once the lock is ours (not awaited by the write); a failed send is logged', async () => {
    const fake = new FakeHeader();
    const log = silent();
    const lock = new ExclusiveLock(fake.io(), HEADER, { gid: GID, handle: 1n }, { acquired: async () => {}, releasing: async () => {} }, log);
    (await lock.enter())();
    expect(fake.owner).toBe('auto 1');
    await vi.waitFor(() => expect(fake.notified).toEqual([NotifyOp.ACQUIRED_LOCK]));
    await lock.shutdown();
    expect(fake.owner).toBeUndefined();
    expect(log.warn).not.toHaveBeenCalled();

    const fake2 = new FakeHeader();
    fake2.failNotify = true;
    const log2 = silent();
    const lock2 = new ExclusiveLock(fake2.io(), HEADER, { gid: GID, handle: 1n }, { acquired: async () => {}, releasing: async () => {} }, log2);
    (await lock2.enter())();
    await vi.waitFor(() => expect(log2.warn).toHaveBeenCalledWith(expect.stringContaining('ACQUIRED_LOCK')));
    await lock2.shutdown();
  });

  it('shutdown: a former cookie not holding the lock (ENOENT) is unlocked quietly; a failed unlock is logged and the shutdown still ends', async () => {
    const fake = new FakeHeader();
    const log = silent();
    const lock = new ExclusiveLock(fake.io(), HEADER, { gid: GID, handle: 1n }, { acquired: async () => {}, releasing: async () => {} }, log);
    (await lock.enter())();
    fake.watch = 2n;
    lock.rewatched(2n);
    await vi.waitFor(() => expect(fake.owner).toBe('auto 2'));
    await lock.shutdown(); // unlocks "auto 2", then "auto 1": ENOENT
    expect(fake.owner).toBeUndefined();
    expect(log.warn).not.toHaveBeenCalled();

    const fake2 = new FakeHeader();
    const log2 = silent();
    const lock2 = new ExclusiveLock(fake2.io(), HEADER, { gid: GID, handle: 1n }, { acquired: async () => {}, releasing: async () => {} }, log2);
    (await lock2.enter())();
    fake2.failUnlock = true;
    await lock2.shutdown();
    expect(lock2.state.kind).toBe('closed');
    expect(fake2.owner).toBe('auto 1');
    expect(log2.warn).toHaveBeenCalledWith(expect.stringContaining('unlocking "auto 1" failed'));
  });

  it('a re-watch while the lock is being taken back under the old cookie: the lock moves to the new cookie once acquired', async () => {
    const fake = new FakeHeader();
    // Initialised: acquired() reads it during the first enter(), before it is set (a later const would be in its TDZ).
    let gate: { promise: Promise<void>; resolve: () => void } | undefined = undefined;
    const entered = deferred();
    const lock = new ExclusiveLock(
      fake.io(),
      HEADER,
      { gid: GID, handle: 1n },
      {
        acquired: async () => {
          if (!gate) return;
          entered.resolve();
          await gate.promise;
        },
        releasing: async () => {},
      },
      silent(),
    );
    (await lock.enter())();
    expect(fake.owner).toBe('auto 1');

    // The watch goes; a write takes the lock back: EEXIST under the old cookie, then the acquired hook…
    lock.lost('watch');
    gate = deferred();
    const write = lock.enter();
    await entered.promise;
    expect(lock.state.kind).toBe('acquiring');
    // …during which the watch is back, under cookie 2.
    fake.watch = 2n;
    lock.rewatched(2n);
    gate.resolve();
    (await write)();
    expect(lock.state.kind).toBe('locked');
    await vi.waitFor(() => expect(fake.owner).toBe('auto 2'));
    await lock.shutdown();
    expect(fake.owner).toBeUndefined();
  });

  it('the acquired hook hears whether the lock was ours all along: not on the first take, yes when a re-watch moved it from our former cookie', async () => {
    const fake = new FakeHeader();
    const kept: Array<boolean | undefined> = [];
    const lock = new ExclusiveLock(
      fake.io(),
      HEADER,
      { gid: GID, handle: 1n },
      {
        acquired: (_o, k) => {
          kept.push(k);
          return Promise.resolve();
        },
        releasing: async () => {},
      },
      silent(),
    );
    (await lock.enter())();
    // The watch goes and comes back under cookie 2: the lock, still under cookie 1, is moved.
    lock.lost('watch');
    fake.watch = 2n;
    lock.rewatched(2n);
    await vi.waitFor(() => expect(lock.state.kind).toBe('locked'));
    expect(fake.owner).toBe('auto 2');
    expect(kept).toEqual([false, true]);
    await lock.shutdown();
  });

  it('an owner refusing REQUEST_LOCK (EROFS: librbd StandardPolicy) fails the acquisition with EROFS; a lock kept (an image being removed) refuses so', async () => {
    const hooks = { acquired: async () => {}, releasing: async () => {} };
    const fake = new FakeHeader();
    // Held by a live watch of another handle (cookie 7), which answers EROFS.
    fake.owner = 'auto 7';
    fake.watch = 7n;
    fake.reply = encodeNotifyResponse(-Errno.EROFS);
    const lock = new ExclusiveLock(fake.io(), HEADER, { gid: GID, handle: 1n }, hooks, silent());
    await expect(lock.enter()).rejects.toMatchObject({ errno: Errno.EROFS, message: expect.stringContaining('refuses') as string });
    expect(fake.notified).toEqual([NotifyOp.REQUEST_LOCK]);
    expect(fake.owner).toBe('auto 7');
    expect(lock.state.kind).toBe('unlocked');
    await lock.shutdown();

    const kept = new ExclusiveLock(new FakeHeader().io(), HEADER, { gid: GID, handle: 1n }, hooks, silent(), true);
    (await kept.enter())();
    const reply = kept.handleNotify(encodeImageNotify({ op: NotifyOp.REQUEST_LOCK, clientId: { gid: 99n, handle: 5n } }));
    expect(decodeNotifyResponse(reply!)).toBe(-Errno.EROFS);
    expect(kept.state.kind).toBe('locked');
    await kept.shutdown();
    expect(kept.state.kind).toBe('closed');
  });

  it('a re-watch while the lock is being released: the release unlocks under the old cookie', async () => {
    const fake = new FakeHeader();
    const lock = new ExclusiveLock(fake.io(), HEADER, { gid: GID, handle: 1n }, { acquired: async () => {}, releasing: async () => {} }, silent());
    const leave = await lock.enter();
    expect(fake.owner).toBe('auto 1');
    // Another client asks for the lock while a write is in flight: released when it ends.
    const reply = lock.handleNotify(encodeImageNotify({ op: NotifyOp.REQUEST_LOCK, clientId: { gid: 99n, handle: 5n } }));
    expect(reply).toBeDefined();
    expect(lock.state.kind).toBe('releasing');
    fake.watch = 2n;
    lock.rewatched(2n);
    leave();
    await vi.waitFor(() => expect(lock.state.kind).toBe('handed-over'));
    expect(fake.owner).toBeUndefined();
    expect(fake.notified).toContain(NotifyOp.RELEASED_LOCK);
    await lock.shutdown();
  });
});
