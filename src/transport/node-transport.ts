// node:net adapter. Reads queue 'data' chunks (pausing the socket when we fall behind);
// writes resolve when the kernel buffer has room again.
import { connect, type Socket } from 'node:net';
import { ConnectionError } from '../../protocol/errors.ts';
import type { ConnectOptions, Transport } from './transport.ts';

/** Bytes read but not yet taken before the socket is paused (backpressure on the peer). */
const QUEUE_HIGH = 8 << 20;

class NodeTransport implements Transport {
  private readonly socket: Socket;
  constructor(socket: Socket) {
    this.socket = socket;
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed || !this.socket.writable) {
        reject(new ConnectionError('write on a closed connection'));
        return;
      }
      const flushed = this.socket.write(data, (err) => {
        if (err) reject(new ConnectionError(`write failed: ${err.message}`, { cause: err }));
        else if (flushed) resolve();
      });
      if (!flushed) this.socket.once('drain', resolve);
    });
  }

  /**
   * Chunks as 'data' events deliver them, through a small queue: lighter than the stream's own
   * async iterator (one promise per wait, none per chunk when data is already queued). The
   * socket is paused while the queue holds more than QUEUE_HIGH bytes.
   */
  readable(): AsyncIterable<Uint8Array> {
    const socket = this.socket;
    const queue: Uint8Array[] = [];
    let queued = 0;
    let ended = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    socket.on('data', (chunk: Buffer) => {
      queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      queued += chunk.byteLength;
      if (queued > QUEUE_HIGH) socket.pause();
      notify();
    });
    socket.on('end', () => {
      ended = true;
      notify();
    });
    socket.on('close', () => {
      ended = true;
      notify();
    });
    socket.on('error', (err) => {
      failure = new ConnectionError(`read failed: ${err.message}`, { cause: err });
      notify();
    });
    const next = async (): Promise<IteratorResult<Uint8Array>> => {
      for (;;) {
        const c = queue.shift();
        if (c) {
          queued -= c.byteLength;
          if (socket.isPaused() && queued <= QUEUE_HIGH) socket.resume();
          return { done: false, value: c };
        }
        if (failure) throw failure;
        if (ended) return { done: true, value: undefined };
        await new Promise<void>((r) => (wake = r));
      }
    };
    return { [Symbol.asyncIterator]: () => ({ next }) };
  }

  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}

export function nodeTransport(opts: ConnectOptions): Promise<Transport> {
  return new Promise((resolve, reject) => {
    // The caller's abort reason, passed on unchanged (as fetch() does).
    if (opts.signal?.aborted) {
      const reason: unknown = opts.signal.reason;
      reject(reason);
      return;
    }
    const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
    const onAbort = (): void => {
      socket.destroy();
      const reason: unknown = opts.signal?.reason;
      reject(reason);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.on('error', () => {}); // surfaced through readable()/write()
      resolve(new NodeTransport(socket));
    });
    socket.once('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new ConnectionError(`connect to ${opts.host}:${opts.port} failed: ${err.message}`, { cause: err }));
    });
  });
}
