import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, it } from 'vitest';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { nodeCryptoProvider } from '../../src/crypto/node-crypto-provider.ts';
import { Rados } from '../../src/index.ts';
import { captureToFile } from '../capture/capture.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';

let cluster: Cluster;
const file = '/tmp/wt-trace-bench.pcap';
beforeAll(async () => {
  cluster = await startCluster({ osds: 1, mgr: false });
  await cluster.ceph(['osd', 'pool', 'create', 'bench', '1']);
  const monPort = /v2:[^:]+:(\d+)/.exec(cluster.monAddrs[0]!)![1]!;
  const osdDump = JSON.parse(await cluster.ceph(['osd', 'dump', '--format', 'json'])) as { osds: Array<{ public_addrs: { addrvec: Array<{ addr: string }> } }> };
  const osdPorts = osdDump.osds.flatMap((o) => o.public_addrs.addrvec.map((a) => a.addr.replace(/.*:/, '')));
  const filter = `tcp and (${[monPort, ...osdPorts].map((p) => `port ${p}`).join(' or ')})`;
  await captureToFile(file, filter, async () => {
    const r = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode: 'secure' });
    const io = await r.openIoCtx('bench');
    const data = new Uint8Array(4096).fill(7);
    for (let i = 0; i < 2000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => io.writeFull(`o${i + j}`, data)));
    for (let i = 0; i < 2000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => io.read(`o${i + j}`, 4096)));
    await r.close();
  });
}, 300_000);
afterAll(async () => { const { copyFileSync } = await import('node:fs'); copyFileSync(cluster.keyringPath, '/tmp/wt-trace-bench.keyring'); await cluster?.stop(); }, 60_000);
it('bench', async () => {
  const keyring = parseKeyring(readFileSync(cluster.keyringPath, 'utf8'));
  const bytes = readFileSync(file);
  for (const [name, crypto] of [['none', undefined], ['webcrypto', webCryptoProvider], ['node', nodeCryptoProvider]] as const) {
    const t0 = performance.now();
    const t = await decodeCapture(bytes, crypto ? { keyring, crypto } : {});
    console.log(`${name}: ${statSync(file).size} bytes, ${t.packets} packets, ${t.events.length} frames, ${t.secure.reduce((n, s) => n + s.frames, 0)} decrypted, ${t.secure.filter((s) => s.decrypted).length}/${t.secure.length}, ${(performance.now() - t0).toFixed(0)} ms`);
  }
}, 300_000);
