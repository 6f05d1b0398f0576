// node:net adapter. Reads use the socket's async iterator (which pauses the socket when we
// fall behind); writes resolve when the kernel buffer has room again.
import { connect, type Socket } from 'node:net';
import { ConnectionError } from '../../protocol/errors.ts';
import type { ConnectOptions, Transport } from './transport.ts';

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

  async *readable(): AsyncIterable<Uint8Array> {
    try {
      for await (const chunk of this.socket) {
        const b = chunk as Uint8Array;
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    } catch (cause) {
      throw new ConnectionError(`read failed: ${(cause as Error).message}`, { cause });
    }
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
    if (opts.signal?.aborted) {
      reject(opts.signal.reason);
      return;
    }
    const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
    const onAbort = (): void => {
      socket.destroy();
      reject(opts.signal?.reason);
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
