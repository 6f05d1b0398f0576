// rados-ts inside real workerd (the `workerd` npm binary): Rados.connect over cloudflare:sockets
// with cephx, in crc and secure mode, against the shared cluster.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatKeyString } from '../../protocol/cephx/crypto-key.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { cephJson } from '../cluster/ceph-cli.ts';
import { startWorkerd, type Workerd } from '../workerd/harness.ts';

const cluster = inject('cluster');
let workerd: Workerd;
beforeAll(async () => {
  workerd = await startWorkerd('test/workerd/rados-worker.ts');
}, 60_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (workerd as Workerd | undefined)?.stop();
});

describe('inside workerd', () => {
  for (const mode of ['crc', 'secure'] as const) {
    it(`connects with cephx (${mode}), lists pools and runs mon commands`, async () => {
      const key = formatKeyString(parseKeyring(readFileSync(cluster.keyringPath, 'utf8')).get('client.admin')!.key);
      type Body = { fsid: string; pools: string[]; epoch: number; monDump: unknown; hasProcess: boolean; error?: string };
      // Other test files create and delete pools on this cluster meanwhile: compare the pools
      // on a window in which the CLI saw the same list before and after the worker's run.
      let body: Body | undefined;
      let poolsBefore: string[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        poolsBefore = cephJson<string[]>(cluster, ['osd', 'pool', 'ls']);
        const res = await fetch(workerd.url, { method: 'POST', body: JSON.stringify({ monHost: cluster.monAddrs.join(','), key, mode }) });
        body = (await res.json()) as Body;
        if (JSON.stringify(cephJson<string[]>(cluster, ['osd', 'pool', 'ls'])) === JSON.stringify(poolsBefore)) break;
        body = undefined;
      }
      expect(body, 'the pool list kept changing across 5 tries').toBeDefined();
      if (!body) return;
      expect(body.error, workerd.log()).toBeUndefined();
      expect(body.fsid).toBe(cluster.fsid);
      expect(body.pools).toEqual(poolsBefore);
      expect(body.epoch).toBeGreaterThan(0);
      expect(body.monDump).toEqual(cephJson(cluster, ['mon', 'dump']));
      expect(body.hasProcess).toBe(false);
    }, 60_000);
  }
});
