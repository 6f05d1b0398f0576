import type { TestProject } from 'vitest/node';
import { startCluster, type ClusterInfo } from './cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}

/**
 * Boots one throwaway cluster for the integration project and hands its details to
 * every test file through `inject('cluster')`. If it cannot start, the run fails here,
 * loudly: integration tests never skip.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startCluster({ log: (l) => console.log(`[cluster] ${l}`) });
  const info: ClusterInfo = {
    release: cluster.release,
    version: cluster.version,
    dir: cluster.dir,
    confPath: cluster.confPath,
    keyringPath: cluster.keyringPath,
    fsid: cluster.fsid,
    monAddrs: cluster.monAddrs,
    monNames: cluster.monNames,
    osdIds: cluster.osdIds,
  };
  project.provide('cluster', info);
  return async () => {
    await cluster.stop();
  };
}
