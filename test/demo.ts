// `npm run demo`: the librados flow users know, through rados-ts. Uses the cluster CEPH_CONF
// points to (with its keyring), or boots the project's throwaway cluster for the run.
import { OSDMap } from '../crush/index.ts';
import { Rados } from '../src/index.ts';
import { type Cluster, startCluster } from './cluster/cluster.ts';

const say = (s: string): void => console.log(s);
let cluster: Cluster | undefined;
let conf = process.env['CEPH_CONF'];
let keyring = process.env['CEPH_KEYRING'];
if (!conf) {
  say('CEPH_CONF is not set: booting a throwaway cluster (1 mon, 3 memstore OSDs, cephx, msgr2)…');
  cluster = await startCluster({ mgr: false, log: () => {} });
  conf = cluster.confPath;
  keyring = cluster.keyringPath;
}
try {
  const t0 = performance.now();
  const rados = await Rados.connect({ conf, ...(keyring ? { keyring } : {}) });
  say(`connected to ${rados.fsid} as client.${rados.instanceId} in ${(performance.now() - t0).toFixed(1)} ms (osdmap epoch ${rados.osdMap.epoch})`);
  say(`pools: ${JSON.stringify(await rados.listPools())}`);
  const pool = `rados-ts-demo-${process.pid}`;
  await rados.createPool(pool, { pgNum: 8 });
  say(`created pool ${pool}`);
  const io = await rados.openIoCtx(pool);
  await io.writeFull('hello', 'Hello from rados-ts!');
  say(`read back: ${new TextDecoder().decode(await io.read('hello'))}`);
  const st = await io.stat('hello');
  say(`stat: ${st.size} bytes, mtime ${st.mtime.toISOString()}`);
  await io.setXattr('hello', 'lang', 'typescript');
  say(`xattr lang = ${new TextDecoder().decode(await io.getXattr('hello', 'lang'))}`);
  await io.setOmap('hello', { color: 'blue', shape: 'round' });
  const omap = await io.getOmapVals('hello');
  say(`omap: ${[...omap.entries].map(([k, v]) => `${k}=${new TextDecoder().decode(v)}`).join(', ')}`);
  for (let i = 0; i < 5; i++) await io.writeFull(`object-${i}`, `#${i}`);
  const names: string[] = [];
  for await (const o of io.listObjects()) names.push(o.name);
  say(`objects: ${names.sort().join(', ')}`);
  const where = new OSDMap(rados.osdMap).objectToOsds(io.poolId, 'hello');
  say(`'hello' lives in pg ${io.poolId}.${where.pgid.seed.toString(16)} on osds [${where.acting.join(',')}] (primary osd.${where.actingPrimary}), by our own CRUSH`);
  await rados.deletePool(pool);
  say(`deleted pool ${pool}`);
  await rados.close();
  say('done');
} finally {
  await cluster?.stop();
}
