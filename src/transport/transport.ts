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
  /**
   * Optional hint from the frame decoder: read the next bytes straight into `dest` (the body of
   * a large frame, allocated once at its final size), and yield views of `dest` as it fills,
   * until it is full. Saves gathering a 4 MiB segment out of many socket chunks. A transport
   * may ignore it (the decoder then copies what it is given).
   */
  readInto?(dest: Uint8Array): void;
  /**
   * Optional: memory for a frame body the decoder fills completely before anyone reads it, so
   * it need not be zeroed first (node: `Buffer.allocUnsafe`). Default: `new Uint8Array(length)`.
   */
  allocate?(length: number): Uint8Array;
  /** Closes both directions; safe to call more than once. */
  close(): Promise<void>;
}

/** Where a TransportFactory connects. */
export interface ConnectOptions {
  /** IP address or host name. */
  host: string;
  /** TCP port. */
  port: number;
  /** Aborts the connect attempt. */
  signal?: AbortSignal;
}

/** Opens a transport; rejects with ConnectionError (or the signal's reason). */
export type TransportFactory = (opts: ConnectOptions) => Promise<Transport>;

/**
 * True when the runtime itself refused the connection (Deno without `--allow-net` for the
 * address: its NotCapable, PermissionDenied before Deno 2), here or in the error's causes.
 * Retrying cannot help, so mon hunting gives up at once instead of timing out.
 */
export function isRuntimePermissionDenial(e: unknown): boolean {
  for (let err = e, depth = 0; err instanceof Error && depth < 4; err = err.cause, depth++) {
    if (err.name === 'NotCapable' || err.name === 'PermissionDenied') return true;
  }
  return false;
}
