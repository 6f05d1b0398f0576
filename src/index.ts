// rados-ts (Node, Bun, Deno with node: compat): the client.
import { Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { nodeRuntime } from './runtime-node.ts';

/** A cluster handle (Python `rados.Rados`), with Node's sockets and files. */
export class Rados extends RadosBase {
  /** Connects to a cluster: `Rados.connect({ conf: '/etc/ceph/ceph.conf' })` or `{ monHost, key }`. */
  static connect(options: RadosConnectOptions = {}): Promise<Rados> {
    // connectWith constructs the class it is called on: this Rados.
    return Rados.connectWith(options, nodeRuntime) as Promise<Rados>;
  }
}
export * from './api-exports.ts';
