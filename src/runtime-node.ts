// The Node runtime for Rados.connect: node:net sockets, node:crypto (faster per call than Web
// Crypto for small frames: see bench/msgr2-frames.ts) and the filesystem for ceph.conf/keyrings.
import { access, open, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { nodeCryptoProvider } from './crypto/node-crypto-provider.ts';
import type { RadosRuntime } from './rados.ts';
import { nodeTransport } from './transport/node-transport.ts';
import { defaultConfPaths } from './config/ceph-args.ts';

/** An environment variable, or undefined where there is none to read (Deno without --allow-env). */
export function readEnv(name: string): string | undefined {
  try {
    return process.env[name] || undefined;
  } catch {
    return undefined;
  }
}

/** The ceph.conf librados reads given none: CEPH_CONF, else the first of its default paths that exists. */
export async function findDefaultConf(): Promise<string | undefined> {
  const named = readEnv('CEPH_CONF');
  if (named !== undefined) return named;
  for (const p of defaultConfPaths(readEnv('HOME'))) {
    try {
      await access(p);
      return p;
    } catch {
      // Not there (or not readable): librados tries the next one too.
    }
  }
  return undefined;
}

export const nodeRuntime: RadosRuntime = {
  transport: nodeTransport,
  crypto: nodeCryptoProvider,
  readFile: (path) => readFile(path, 'utf8'),
  env: readEnv,
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
