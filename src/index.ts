// rados-ts (Node, Bun, Deno with node: compat): the client.
import { Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { nodeRuntime } from './runtime-node.ts';

/** A cluster handle (Python `rados.Rados`), with Node's sockets and files. */
export class Rados extends RadosBase {
  /** Connects to a cluster: `Rados.connect({ conf: '/etc/ceph/ceph.conf' })` or `{ monHost, key }`. */
  static async connect(options: RadosConnectOptions = {}): Promise<Rados> {
    // connectWith constructs the class it is called on: this Rados.
    // A program we do not control can be traced from its environment (read at connect, not import).
    let envTrace: string | undefined;
    try {
      envTrace = process.env['RADOS_TS_TRACE'];
    } catch {
      envTrace = undefined; // Deno without --allow-env: no environment, no trace from it
    }
    const rados = await Rados.connectWith(options.trace === undefined && envTrace ? { ...options, trace: envTrace } : options, nodeRuntime);
    if (!(rados instanceof Rados)) throw new TypeError("Rados.connectWith did not construct the entry point's Rados");
    return rados;
  }
}
export * from './api-exports.ts';
