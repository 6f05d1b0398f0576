// cloudflare:sockets adapter (workerd). `cloudflare:sockets` exists only inside workerd, so the
// runtime entry (src/index.workerd.ts) imports it and hands `connect` in; nothing here imports it.
import { ConnectionError } from '../../protocol/errors.ts';
import type { ConnectOptions, Transport, TransportFactory } from './transport.ts';

export interface CfSocket {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  opened: Promise<unknown>;
  closed: Promise<void>;
  close(): Promise<void>;
}
export type CfConnect = (address: { hostname: string; port: number }, options?: { allowHalfOpen?: boolean }) => CfSocket;

class CloudflareTransport implements Transport {
  private readonly socket: CfSocket;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private closed = false;
  constructor(socket: CfSocket) {
    this.socket = socket;
    this.writer = socket.writable.getWriter();
  }
  async write(data: Uint8Array): Promise<void> {
    try {
      await this.writer.ready;
      await this.writer.write(data);
    } catch (cause) {
      throw new ConnectionError(`write failed: ${(cause as Error).message}`, { cause });
    }
  }
  async *readable(): AsyncIterable<Uint8Array> {
    const reader = this.socket.readable.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } catch (cause) {
      if (this.closed) return;
      throw new ConnectionError(`read failed: ${(cause as Error).message}`, { cause });
    } finally {
      reader.releaseLock();
    }
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // close() rejects when the socket already failed; the rejection goes to our caller
    // (Connection.close logs it at debug: the session is over either way).
    await this.socket.close();
  }
}

/** A TransportFactory over workerd's `connect` from `cloudflare:sockets`. */
export function cloudflareTransport(connect: CfConnect): TransportFactory {
  return async (opts: ConnectOptions): Promise<Transport> => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const socket = connect({ hostname: opts.host, port: opts.port });
    try {
      await socket.opened;
    } catch (cause) {
      throw new ConnectionError(`connect to ${opts.host}:${opts.port} failed: ${(cause as Error).message}`, { cause });
    }
    return new CloudflareTransport(socket);
  };
}
