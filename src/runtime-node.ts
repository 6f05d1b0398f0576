// The Node runtime for Rados.connect: node:net sockets and the filesystem for ceph.conf/keyrings.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { RadosRuntime } from './rados.ts';
import { nodeTransport } from './transport/node-transport.ts';

export const nodeRuntime: RadosRuntime = {
  transport: nodeTransport,
  readFile: (path) => readFile(path, 'utf8'),
  hostname: hostname(),
};
