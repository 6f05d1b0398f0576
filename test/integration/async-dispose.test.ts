// `await using` on the handles users hold: Rados, IoCtx, Image and watch handles close at the
// end of their scope. What closed is checked on the cluster: their watches leave the OSD's
// watcher list (`listWatchers` from another client), and a disposed Image refuses calls.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Errno, Rados, RBD, type Image } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';

let cluster: Cluster;
let io: IoCtx;
const POOL = 'dispose';

const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster, io } = env));

describe('Symbol.asyncDispose', () => {
  it('a watch handle unwatches at the end of its scope', async () => {
    await io.writeFull('w1', 'x');
    {
      await using w = await io.watch('w1', () => undefined);
      expect((await io.listWatchers('w1')).map((x) => x.cookie)).toEqual([w.cookie]);
    }
    expect(await io.listWatchers('w1')).toEqual([]);
  });

  it('an IoCtx closes the watches made through it', async () => {
    await io.writeFull('w2', 'x');
    {
      await using io2 = io.dup();
      await io2.watch('w2', () => undefined);
      await io2.watch('w2', () => undefined);
      expect(await io.listWatchers('w2')).toHaveLength(2);
    }
    expect(await io.listWatchers('w2')).toEqual([]);
  });

  it('`await using rados = await Rados.connect(…)` closes the client, its IoCtx and watches', async () => {
    await io.writeFull('w3', 'x');
    let closeSpy: { mock: { calls: unknown[] } } | undefined;
    {
      await using rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
      closeSpy = vi.spyOn(rados, 'close');
      await using io2 = await rados.openIoCtx(POOL);
      await io2.watch('w3', () => undefined);
      expect(await io.listWatchers('w3')).toHaveLength(1);
    }
    expect(closeSpy).toHaveBeenCalledTimes(1);
    expect(await io.listWatchers('w3')).toEqual([]);
  });

  it('an Image closes (its header watch goes, calls fail with EINVAL, as the Python binding)', async () => {
    await RBD.create(io, 'disposed', 4 << 20);
    let outer: Image | undefined;
    {
      await using img = await RBD.open(io, 'disposed');
      outer = img;
      expect(await io.listWatchers(`rbd_header.${img.id}`)).toHaveLength(1);
    }
    expect(await io.listWatchers(`rbd_header.${outer.id}`)).toEqual([]);
    await expect(outer.info()).rejects.toMatchObject({ errno: Errno.EINVAL });
  });
});
