/**
 * The one thing rados-ts needs from a runtime: a TCP byte stream. Each runtime adapter
 * (node:net, cloudflare:sockets, later Deno/Bun) implements this and nothing else, so the
 * protocol stack above never sees a runtime API.
 */
export interface Transport {
  /** Resolves once the bytes are accepted by the runtime (backpressure: await before writing more). */
  write(data: Uint8Array): Promise<void>;
  /** Received bytes, in order, until the peer closes (iteration ends) or the stream fails (iteration throws). */
  readable(): AsyncIterable<Uint8Array>;
  /** Closes both directions; safe to call more than once. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  host: string;
  port: number;
  signal?: AbortSignal;
}

/** Opens a transport; rejects with ConnectionError (or the signal's reason). */
export type TransportFactory = (opts: ConnectOptions) => Promise<Transport>;
