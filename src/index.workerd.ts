// rados-ts inside Cloudflare workerd: sockets from cloudflare:sockets, no filesystem
// (pass monHost and key, or the keyring's text).
import { connect } from 'cloudflare:sockets';
import { Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { cloudflareTransport } from './transport/cloudflare-transport.ts';

export class Rados extends RadosBase {
  static connect(options: RadosConnectOptions): Promise<RadosBase> {
    return RadosBase.connectWith(options, { transport: cloudflareTransport(connect) });
  }
}
export * from './api-exports.ts';
