// `npm run demo`: the librados flow users know, then the RBD flow (create, write, snapshot,
// protect, clone, children, read, flatten, unprotect, remove), through rados-ts. Uses the cluster CEPH_CONF
// points to (with its keyring), or boots the project's throwaway cluster for the run.
import { objectToOsds } from '../crush/index.ts';
import { Rados, RBD } from '../src/index.ts';
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
  const where = objectToOsds(rados.osdMap, io.poolId, 'hello');
  say(`'hello' lives in pg ${io.poolId}.${where.pgid.seed.toString(16)} on osds [${where.acting.join(',')}] (primary osd.${where.actingPrimary}), by our own CRUSH`);

  // The RBD flow, step by step with timings.
  const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await f();
    say(`[rbd] ${what} (${(performance.now() - t).toFixed(1)} ms)`);
    return r;
  };
  const size = 16 << 20;
  await step('create image "golden" (16 MiB, layering)', () => RBD.create(io, 'golden', size));
  const golden = await RBD.open(io, 'golden');
  const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
  await step('write 16 MiB', () => golden.write(data, 0));
  await step('create snapshot golden@base', () => golden.createSnap('base'));
  say(
    `[rbd] snapshots: ${golden
      .listSnaps()
      .map((s) => `${s.name} (id ${s.id}, ${s.size} bytes)`)
      .join(', ')}`,
  );
  await step('protect golden@base', () => golden.protectSnap('base'));
  await step('clone golden@base -> "copy"', () => RBD.clone(io, 'golden', 'base', io, 'copy'));
  const children = await golden.listChildren('base');
  say(`[rbd] children of golden@base: ${children.map((c) => `${c.pool}/${c.image}`).join(', ')}`);
  const copy = await RBD.open(io, 'copy');
  const back = await step('read the clone (through to its parent)', () => copy.read(0, size));
  say(`[rbd] clone reads ${back.every((b, i) => b === data[i]) ? 'the same bytes as the parent' : 'DIFFERENT bytes'}`);
  let last = -1;
  await step('flatten the clone', () =>
    copy.flatten({
      onProgress: (done, total) => {
        const pct = Math.floor((done / total) * 100);
        if (pct >= last + 25) {
          last = pct;
          say(`[rbd]   flatten ${pct}% (${done}/${total} objects)`);
        }
      },
    }),
  );
  say(`[rbd] clone parent after flatten: ${copy.parentInfo() ? 'still set' : 'none'}`);
  await copy.close();
  await step('unprotect golden@base', () => golden.unprotectSnap('base'));
  await step('remove snapshot golden@base', () => golden.removeSnap('base'));
  await golden.close();
  await step('remove images', async () => {
    await RBD.remove(io, 'copy');
    await RBD.remove(io, 'golden');
  });
  say(`[rbd] images left: ${JSON.stringify(await RBD.list(io))}`);

  await rados.deletePool(pool);
  say(`deleted pool ${pool}`);
  await rados.close();
  say('done');
} finally {
  await cluster?.stop();
}
