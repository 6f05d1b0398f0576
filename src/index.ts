// rados-ts (Node, Bun, Deno with node: compat): the client.
import { Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { nodeRuntime } from './runtime-node.ts';

export class Rados extends RadosBase {
  /** Connects to a cluster: `Rados.connect({ conf: '/etc/ceph/ceph.conf' })` or `{ monHost, key }`. */
  static connect(options: RadosConnectOptions = {}): Promise<RadosBase> {
    return RadosBase.connectWith(options, nodeRuntime);
  }
}
export * from './api-exports.ts';
