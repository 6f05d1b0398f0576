// node:net adapter. Reads land in buffers we own (node:net's `onread`): slices of a slab we
// allocate, or, when the frame decoder asks (`readInto`), the body of a large frame itself, so
// a 4 MiB segment goes from the kernel to its final buffer with no copy in between. Reads queue
// (pausing the socket when we fall behind); writes resolve when the kernel buffer has room again.
import { connect, type Socket } from 'node:net';
import { ConnectionError } from '../../protocol/errors.ts';
import type { ConnectOptions, Transport } from './transport.ts';

/** Bytes read but not yet taken before the socket is paused (backpressure on the peer). */
const QUEUE_HIGH = 8 << 20;
/** One read's room when no frame body is waiting: node:net's own default. */
const READ_ROOM = 64 << 10;
/** Reads are carved out of slabs this big, so small reads share one allocation. */
const SLAB = 1 << 20;

/**
 * Received chunks, in order, from the socket's `onread` callback. Each chunk is a view of
 * memory nobody reuses: a slab is never written twice, and a `readInto` target belongs to the
 * decoder, which asked for it.
 */
class ReadQueue {
  socket: Socket | undefined;
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private slab = Buffer.allocUnsafe(SLAB);
  private slabUsed = 0;
  /** Where the stream's next bytes go when the decoder asked for them, and how much is filled. */
  private target: { dest: Uint8Array; filled: number } | undefined;

  /** node:net's `onread.buffer`: the room for the next read (asked for after every read). */
  readonly nextBuffer = (): Uint8Array => {
    const t = this.target;
    if (t) return t.dest.subarray(t.filled);
    if (SLAB - this.slabUsed < READ_ROOM / 4) {
      this.slab = Buffer.allocUnsafe(SLAB);
      this.slabUsed = 0;
    }
    return this.slab.subarray(this.slabUsed, Math.min(SLAB, this.slabUsed + READ_ROOM));
  };

  /** node:net's `onread.callback`: nread bytes arrived in `buf`, the buffer nextBuffer gave. */
  readonly onRead = (nread: number, buf: Uint8Array): boolean => {
    const t = this.target;
    if (t && buf.buffer === t.dest.buffer && buf.byteOffset === t.dest.byteOffset + t.filled) {
      this.enqueue(t.dest.subarray(t.filled, t.filled + nread));
      t.filled += nread;
      if (t.filled === t.dest.length) this.target = undefined;
    } else {
      // A slab read; it may have been armed before the decoder's request came in.
      this.slabUsed = buf.byteOffset - this.slab.byteOffset + nread;
      this.enqueue(this.intoTarget(new Uint8Array(buf.buffer, buf.byteOffset, nread)));
    }
    this.notify();
    return this.queued <= QUEUE_HIGH; // false pauses the socket
  };

  /** The stream's next bytes, queued or not yet read, go into dest (the decoder's frame body). */
  readInto(dest: Uint8Array): void {
    if (dest.length === 0) return;
    this.target = { dest, filled: 0 };
    const waiting = this.queue.splice(0);
    this.queued = 0;
    for (const c of waiting) this.enqueue(this.intoTarget(c));
  }

  /** Copies the head of a chunk that arrived elsewhere into the target; returns the views to queue. */
  private intoTarget(c: Uint8Array): Uint8Array[] {
    const t = this.target;
    if (!t) return [c];
    const n = Math.min(c.length, t.dest.length - t.filled);
    t.dest.set(c.subarray(0, n), t.filled);
    const out = [t.dest.subarray(t.filled, t.filled + n)];
    t.filled += n;
    if (t.filled === t.dest.length) this.target = undefined;
    if (n < c.length) out.push(c.subarray(n));
    return out;
  }

  private enqueue(c: Uint8Array | Uint8Array[]): void {
    for (const x of Array.isArray(c) ? c : [c]) {
      if (x.length === 0) continue;
      this.queue.push(x);
      this.queued += x.length;
    }
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(err: Error): void {
    this.failure = new ConnectionError(`read failed: ${err.message}`, { cause: err });
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  readonly next = async (): Promise<IteratorResult<Uint8Array>> => {
    for (;;) {
      const c = this.queue.shift();
      if (c) {
        this.queued -= c.byteLength;
        if (this.socket?.isPaused() && this.queued <= QUEUE_HIGH) this.socket.resume();
        return { done: false, value: c };
      }
      if (this.failure) throw this.failure;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((r) => (this.wake = r));
    }
  };
}

class NodeTransport implements Transport {
  private readonly socket: Socket;
  private readonly reads: ReadQueue;
  constructor(socket: Socket, reads: ReadQueue) {
    this.socket = socket;
    this.reads = reads;
    socket.on('end', () => reads.end());
    socket.on('close', () => reads.end());
    socket.on('error', (err) => reads.fail(err));
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

  /** Chunks in arrival order through a small queue: one promise per wait, none per queued chunk. */
  readable(): AsyncIterable<Uint8Array> {
    return { [Symbol.asyncIterator]: () => ({ next: this.reads.next }) };
  }

  readInto(dest: Uint8Array): void {
    this.reads.readInto(dest);
  }

  allocate(length: number): Uint8Array {
    const b = Buffer.allocUnsafe(length);
    return new Uint8Array(b.buffer, b.byteOffset, length);
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
    const reads = new ReadQueue();
    const socket = connect({ host: opts.host, port: opts.port, noDelay: true, onread: { buffer: reads.nextBuffer, callback: reads.onRead } });
    reads.socket = socket;
    const onAbort = (): void => {
      socket.destroy();
      const reason: unknown = opts.signal?.reason;
      reject(reason);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(new NodeTransport(socket, reads)); // errors from here on surface through readable()/write()
    });
    socket.once('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new ConnectionError(`connect to ${opts.host}:${opts.port} failed: ${err.message}`, { cause: err }));
    });
  });
}
