// rados-ts inside Cloudflare workerd: sockets from cloudflare:sockets, no filesystem
// (pass monHost and key, or the keyring's text).
import { connect } from 'cloudflare:sockets';
import { connectRados, Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { cloudflareTransport } from './transport/cloudflare-transport.ts';

/** A cluster handle (Python `rados.Rados`), with workerd's sockets (cloudflare:sockets). */
export class Rados extends RadosBase {
  /** Connects to a cluster: `Rados.connect({ monHost, key })` (no filesystem, so no `conf` path). */
  static async connect(options: RadosConnectOptions): Promise<Rados> {
    // connectRados constructs the class it is given: this Rados.
    const rados = await connectRados(Rados, options, { transport: cloudflareTransport(connect) });
    if (!(rados instanceof Rados)) throw new TypeError("connectRados did not construct the entry point's Rados");
    return rados;
  }
}
export * from './api-exports.ts';
