// Runs inside workerd: connects to the test cluster's monitor over cloudflare:sockets with
// rados-ts's MonClient, and answers with what the monitor said.
import { connect } from 'cloudflare:sockets';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { ConMode } from '../../protocol/msgr2/tags.ts';
import { parseEntityName } from '../../protocol/types/entity-name.ts';
import { authNone } from '../../src/auth/auth-none.ts';
import { parseMonHost } from '../../src/mon/mon-addrs.ts';
import { MonClient } from '../../src/mon/mon-client.ts';
import { cloudflareTransport } from '../../src/transport/cloudflare-transport.ts';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ok');
    const { monHost } = (await request.json()) as { monHost: string };
    const monc = new MonClient({
      mons: parseMonHost(monHost),
      auth: () => authNone(parseEntityName('client.admin')),
      modes: [ConMode.CRC],
      crypto: webCryptoProvider,
      transport: cloudflareTransport(connect),
      keepaliveIntervalMs: 0,
    });
    try {
      await monc.connect({ timeoutMs: 10_000 });
      const dump = await monc.command({ prefix: 'mon dump', format: 'json' });
      const pools = await monc.command({ prefix: 'osd pool ls', format: 'json' });
      return Response.json({ fsid: monc.fsid, monDump: JSON.parse(dump.outputText), pools: JSON.parse(pools.outputText), hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined' });
    } catch (e) {
      return Response.json({ error: `${(e as Error).name}: ${(e as Error).message}` }, { status: 500 });
    } finally {
      await monc.close();
    }
  },
};
