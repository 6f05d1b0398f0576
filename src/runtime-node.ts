// The Node runtime for Rados.connect: node:net sockets, node:crypto (faster per call than Web
// Crypto for small frames: see bench/msgr2-frames.ts) and the filesystem for ceph.conf/keyrings.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { nodeCryptoProvider } from './crypto/node-crypto-provider.ts';
import type { RadosRuntime } from './rados.ts';
import { nodeTransport } from './transport/node-transport.ts';

export const nodeRuntime: RadosRuntime = {
  transport: nodeTransport,
  crypto: nodeCryptoProvider,
  readFile: (path) => readFile(path, 'utf8'),
  // A function, read at connect: at import it would need Deno's --allow-sys.
  hostname,
};
