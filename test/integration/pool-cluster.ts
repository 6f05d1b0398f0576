// What the RADOS and RBD integration files share: a throwaway cluster for the file, one client
// connected to it, the file's pools created, and an IoCtx on the first pool — set up before the
// file's tests and torn down after them.
import { afterAll, beforeAll } from 'vitest';
import { Rados } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import { type Cluster, type ClusterOptions, startCluster } from '../cluster/cluster.ts';

export interface PoolCluster {
  cluster: Cluster;
  rados: RadosHandle;
  /** On the first pool named. */
  io: IoCtx;
}

/** Registers the file's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function usePoolCluster(pools: [string, ...string[]], options: ClusterOptions = {}): PoolCluster {
  const env = {} as PoolCluster;
  beforeAll(async () => {
    env.cluster = await startCluster({ osds: 2, mgr: false, ...options });
    env.rados = await Rados.connect({ conf: env.cluster.confPath, keyring: env.cluster.keyringPath });
    for (const pool of pools) await env.rados.createPool(pool, { pgNum: 8 });
    env.io = await env.rados.openIoCtx(pools[0]);
  }, 180_000);
  // Unset if beforeAll failed before assigning them: the declared types are for the tests, which run only after.
  afterAll(async () => {
    await (env.rados as RadosHandle | undefined)?.close();
    await (env.cluster as Cluster | undefined)?.stop();
  }, 60_000);
  return env;
}
