// rados-ts (Node, Bun, Deno with node: compat): the client.
import { connectRados, Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { findDefaultConf, nodeRuntime, readEnv as env } from './runtime-node.ts';
import { parseCephArgs, splitCephArgs } from './config/ceph-args.ts';

/** A cluster handle (Python `rados.Rados`), with Node's sockets and files. */
export class Rados extends RadosBase {
  /**
   * Connects to a cluster: `Rados.connect({ conf: '/etc/ceph/ceph.conf' })` or `{ monHost, key }`.
   * As librados does, what the options leave out comes from `CEPH_ARGS` (`--id`, `-n`, `-c`,
   * `-k`, `-m`, `--key`), and with neither `conf` nor `monHost` the ceph.conf is `CEPH_CONF` or
   * the first of /etc/ceph/ceph.conf, ~/.ceph/ceph.conf, ./ceph.conf that exists.
   */
  static async connect(options: RadosConnectOptions = {}): Promise<Rados> {
    // Read at connect, not import. A program we do not control can be traced from its environment.
    const envTrace = env('RADOS_TS_TRACE');
    const cephArgs = env('CEPH_ARGS');
    let o: RadosConnectOptions = cephArgs ? { ...parseCephArgs(splitCephArgs(cephArgs)).options, ...options } : options;
    if (o.conf === undefined && o.monHost === undefined) {
      const conf = await findDefaultConf();
      if (conf !== undefined) o = { ...o, conf };
    }
    if (o.trace === undefined && envTrace) o = { ...o, trace: envTrace };
    // connectRados constructs the class it is given: this Rados.
    const rados = await connectRados(Rados, o, nodeRuntime);
    if (!(rados instanceof Rados)) throw new TypeError("connectRados did not construct the entry point's Rados");
    return rados;
  }
}
export * from './api-exports.ts';
