// Types of workerd's built-in module, for the worker entries under test/workerd.
// workerd's own shape of connect() (developers.cloudflare.com/workers/runtime-apis/tcp-sockets),
// written out here: an ambient module cannot import a relative path. src/index.workerd.ts
// passes it where our CfConnect is expected, so the compiler checks the two agree.
declare module 'cloudflare:sockets' {
  export function connect(
    address: { hostname: string; port: number },
    options?: { allowHalfOpen?: boolean },
  ): {
    readable: ReadableStream<Uint8Array>;
    writable: WritableStream<Uint8Array>;
    opened: Promise<unknown>;
    closed: Promise<void>;
    close(): Promise<void>;
  };
}
