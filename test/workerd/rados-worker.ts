// Runs inside workerd: the rados-ts workerd entry (cloudflare:sockets, Web Crypto, no Node APIs)
// connects with cephx, lists pools and runs a mon command, and answers with what it saw.
import { Rados } from '../../src/index.workerd.ts';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ok');
    const { monHost, key, mode } = (await request.json()) as { monHost: string; key: string; mode: 'crc' | 'secure' };
    try {
      const rados = await Rados.connect({ monHost, key, mode, timeoutMs: 15_000 });
      try {
        const pools = await rados.listPools();
        const dump = await rados.monCommand({ prefix: 'mon dump', format: 'json' });
        return Response.json({
          fsid: rados.fsid,
          pools,
          epoch: rados.osdMap.epoch,
          monDump: JSON.parse(dump.outputText) as unknown,
          hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
        });
      } finally {
        await rados.close();
      }
    } catch (e) {
      return Response.json({ error: `${(e as Error).name}: ${(e as Error).message}` }, { status: 500 });
    }
  },
};
