// A transport that cuts connections mid-stream: after a random number of bytes (either
// direction) it closes the socket, as a failing network or a killed peer would.
import { ConnectionError } from '../../protocol/errors.ts';
import type { Transport, TransportFactory } from '../../src/transport/transport.ts';

export function cuttingTransport(
  inner: TransportFactory,
  opts: { minBytes: number; maxBytes: number; ports?: (port: number) => boolean; enabled: () => boolean },
): TransportFactory & { cuts: number } {
  const f = (async (o) => {
    const t = await inner(o);
    if (opts.ports && !opts.ports(o.port)) return t;
    let budget = opts.minBytes + Math.floor(Math.random() * (opts.maxBytes - opts.minBytes));
    const spend = (n: number): void => {
      if (!opts.enabled()) return;
      budget -= n;
      if (budget <= 0) {
        f.cuts++;
        void t.close();
      }
    };
    const wrapped: Transport = {
      write: (d) => {
        spend(d.length);
        return t.write(d);
      },
      async *readable() {
        for await (const c of t.readable()) {
          spend(c.length);
          yield c;
        }
      },
      close: () => t.close(),
    };
    return wrapped;
  }) as TransportFactory & { cuts: number };
  f.cuts = 0;
  return f;
}

/**
 * A transport that can be partitioned from the peers it serves (`ports`): while `partitioned()`,
 * new connections fail and an existing one is closed the moment anything crosses it, as a
 * network partition looks to a client whose reconnects keep failing.
 */
export function partitioningTransport(inner: TransportFactory, opts: { ports: (port: number) => boolean; partitioned: () => boolean }): TransportFactory {
  return async (o) => {
    if (!opts.ports(o.port)) return inner(o);
    if (opts.partitioned()) throw new ConnectionError(`partitioned from port ${o.port}`);
    const t = await inner(o);
    const cut = (): boolean => {
      if (!opts.partitioned()) return false;
      void t.close();
      return true;
    };
    return {
      write: async (d) => {
        if (!cut()) await t.write(d);
      },
      async *readable() {
        for await (const c of t.readable()) {
          if (cut()) return;
          yield c;
        }
      },
      close: () => t.close(),
    };
  };
}

/**
 * A transport that can hold back what we send to some peers (`held(port)`): while held, bytes
 * written to such a connection wait in the client, in order, and go out once released. An op
 * sent there is in flight for as long as the hold lasts, as over a stalled link.
 */
export function holdingTransport(inner: TransportFactory, opts: { held: (port: number) => boolean }): TransportFactory & { release: () => void } {
  let wake: Array<() => void> = [];
  const f = (async (o) => {
    const t = await inner(o);
    let queue: Promise<void> = Promise.resolve();
    const whenReleased = async (): Promise<void> => {
      while (opts.held(o.port)) await new Promise<void>((r) => wake.push(r));
    };
    return {
      write: (d) => {
        queue = queue.then(whenReleased).then(() => t.write(d));
        return queue;
      },
      readable: () => t.readable(),
      close: () => t.close(),
    };
  }) as TransportFactory & { release: () => void };
  /** Lets every held write re-check `held` (call after changing what it answers). */
  f.release = () => {
    const w = wake;
    wake = [];
    for (const r of w) r();
  };
  return f;
}

/**
 * A transport that delays what we send while `delayMs()` says so (a slow or congested link):
 * each write waits that long before it goes out, in order, so a stream's bytes are never
 * reordered — only late.
 */
export function delayingTransport(inner: TransportFactory, opts: { delayMs: () => number }): TransportFactory {
  return async (o) => {
    const t = await inner(o);
    let queue: Promise<void> = Promise.resolve();
    return {
      write: (d) => {
        const ms = opts.delayMs();
        queue = queue.then(async () => {
          if (ms > 0) await new Promise<void>((r) => setTimeout(r, ms));
          await t.write(d);
        });
        return queue;
      },
      readable: () => t.readable(),
      close: () => t.close(),
    };
  };
}
