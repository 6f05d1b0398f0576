// The Node runtime for Rados.connect: node:net sockets, node:crypto (faster per call than Web
// Crypto for small frames: see bench/msgr2-frames.ts) and the filesystem for ceph.conf/keyrings.
import { open, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { nodeCryptoProvider } from './crypto/node-crypto-provider.ts';
import type { RadosRuntime } from './rados.ts';
import { nodeTransport } from './transport/node-transport.ts';

export const nodeRuntime: RadosRuntime = {
  transport: nodeTransport,
  crypto: nodeCryptoProvider,
  readFile: (path) => readFile(path, 'utf8'),
  openTraceFile: async (path) => {
    const file = await open(path, 'w');
    return {
      write: async (bytes) => {
        await file.write(bytes);
      },
      close: () => file.close(),
    };
  },
  // Read at connect, never at import; Deno without --allow-sys=hostname refuses it, and the name
  // (only shown in the mon's session list) then falls back to MonClient's default.
  hostname: () => {
    try {
      return hostname();
    } catch {
      return undefined;
    }
  },
};
