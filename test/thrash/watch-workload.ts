// Watch/notify under thrashing: watches on a few objects through one handle, notifies through
// another. A notify our watch acknowledged must have reached its callback; a watch may be
// lost only with its error callback (then it is registered again); at the end every watch
// still standing receives a notify.
import type { IoCtx, WatchHandle } from '../../src/index.ts';
import type { Prng } from './prng.ts';
import { OP_BOUND_MS } from './object-workload.ts';
import { sleep, type ThrashContext } from './thrash-context.ts';

interface Watched {
  oid: string;
  handle: WatchHandle | undefined;
  /** Payloads its callback received. */
  received: Set<string>;
  /** The error callback fired for the current handle. */
  lost: boolean;
}

const te = new TextEncoder();
const td = new TextDecoder();

async function register(ctx: ThrashContext, io: IoCtx, w: Watched, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    try {
      w.lost = false;
      w.handle = await io.watch(
        w.oid,
        (_id, _gid, payload) => {
          w.received.add(td.decode(payload));
          return undefined;
        },
        (err) => {
          ctx.count('watch errors (callback told)');
          ctx.log(`watch on ${w.oid} lost: ${err.message}`);
          w.lost = true;
          w.handle = undefined;
          void register(ctx, io, w, stopped);
        },
        { timeoutMs: OP_BOUND_MS },
      );
      ctx.count('watches registered');
      return;
    } catch (e) {
      ctx.fail(`watch ${w.oid}: ${(e as Error).message}`);
      await sleep(2_000);
    }
  }
}

export interface WatchWorkload {
  watched: Watched[];
  /** Runs the notifier until ctx.stopAt. */
  run(): Promise<void>;
  /** After healing: every standing watch gets a notify; then unwatch. */
  verify(): Promise<void>;
  /** No more re-registration (the handles are closing). */
  stop(): void;
}

export async function startWatchWorkload(ctx: ThrashContext, watcherIo: IoCtx, notifierIo: IoCtx, rng: Prng): Promise<WatchWorkload> {
  const watched: Watched[] = [];
  let stopped = false;
  for (let i = 0; i < 3; i++) {
    const w: Watched = { oid: `watched-${i}`, handle: undefined, received: new Set(), lost: false };
    await watcherIo.writeFull(w.oid, te.encode(w.oid));
    await register(ctx, watcherIo, w, () => stopped);
    watched.push(w);
  }
  let n = 0;
  const notifyOnce = async (w: Watched, timeoutMs: number): Promise<'acked' | 'timed out' | 'not ours'> => {
    const payload = `notify-${++n}`;
    const cookie = w.handle?.cookie;
    const r = await notifierIo.notify(w.oid, te.encode(payload), { timeoutMs });
    if (cookie === undefined) return 'not ours';
    if (r.acks.some((a) => a.cookie === cookie)) {
      if (!w.received.has(payload)) ctx.fail(`notify ${payload} on ${w.oid}: acked by our watch ${cookie} but its callback never saw it`);
      return 'acked';
    }
    return r.timeouts.some((t) => t.cookie === cookie) ? 'timed out' : 'not ours';
  };
  return {
    watched,
    stop() {
      stopped = true;
    },
    async run() {
      while (Date.now() < ctx.stopAt) {
        await sleep(rng.int(1_000, 3_000));
        const w = rng.pick(watched);
        try {
          ctx.count(`notifies ${await notifyOnce(w, 5_000)}`);
        } catch (e) {
          // A notify is a timed call: under faults its op may outlast its 5 s.
          ctx.count('notifies failed (timed call under faults)');
          ctx.log(`notify on ${w.oid}: ${(e as Error).message}`);
        }
      }
    },
    async verify() {
      for (const w of watched) {
        let outcome: string = 'no handle';
        // A watch the OSD dropped is found by its next ping (a third of the timeout) and either
        // re-registered or reported; give that time before calling it lost.
        for (let attempt = 0; attempt < 4; attempt++) {
          if (w.handle) {
            try {
              outcome = await notifyOnce(w, 10_000);
            } catch (e) {
              outcome = `notify failed: ${(e as Error).message}`;
            }
            if (outcome === 'acked') break;
          }
          await sleep(ctx.watchTimeoutSec * 1000);
        }
        if (outcome !== 'acked') ctx.fail(`watch on ${w.oid}: final notify ${outcome}, and no error callback told us it was lost`);
      }
      stopped = true;
      for (const w of watched) {
        await w.handle?.close({ timeoutMs: 30_000 }).catch((e: unknown) => ctx.fail(`unwatch ${w.oid}: ${(e as Error).message}`));
      }
    },
  };
}
