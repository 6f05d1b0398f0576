// The error classes against Ceph's own Python bindings: the same failing calls made through
// python3-rados/python3-rbd (error-classes.py) and through us; each exception class the binding
// raised must be exported by us under the same name, and our error must be an instance of it
// with the same errno and a `code` naming that errno.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';
import { RBD, RadosError } from '../../src/index.ts';
import type { IoCtx } from '../../src/ioctx.ts';
import type { Rados as RadosHandle } from '../../src/rados.ts';
import { usePoolCluster } from './pool-cluster.ts';

const POOL = 'errclass';
const env = usePoolCluster([POOL]);

interface Raised {
  raised: string | null;
  module?: string;
  errno?: number | null;
}

/** Each case as we run it: the call that must fail. */
function ourCases(rados: RadosHandle, io: IoCtx, p: string): Record<string, () => Promise<unknown>> {
  const obj = `${p}-obj`;
  const img = `${p}-img`;
  const withImage = async (fn: (i: api.Image) => Promise<unknown>): Promise<void> => {
    const image = await RBD.open(io, img);
    try {
      await fn(image);
    } finally {
      await image.close();
    }
  };
  return {
    'stat-missing': () => io.stat(`${p}-missing`),
    'remove-missing': () => io.remove(`${p}-missing`),
    'create-exclusive-existing': () => io.create(obj, { exclusive: true }),
    'getxattr-missing': () => io.getXattr(obj, 'nope'),
    'open-ioctx-missing-pool': () => rados.openIoCtx(`${p}-no-pool`),
    'image-open-missing': () => RBD.open(io, `${p}-missing`),
    'image-create-existing': () => RBD.create(io, img, 1 << 22),
    'image-create-order-65': () => RBD.create(io, `${p}-order`, 1 << 22, { order: 65 }),
    'image-remove-with-snapshots': () => RBD.remove(io, img),
    'image-unprotect-missing-snap': () => withImage((i) => i.unprotectSnap('nope')),
    'image-remove-protected-snap': () => withImage((i) => i.removeSnap('s')),
    'image-write-at-snapshot': () =>
      withImage(async (i) => {
        await i.setSnap('s');
        await i.write(new Uint8Array([120]), 0);
      }),
  };
}

describe('error classes, as the Python bindings raise them', () => {
  it('each failing call throws the class python3-rados/rbd raise for it, with its errno and code', async () => {
    const { cluster, rados, io } = env;
    const theirs = JSON.parse(
      execFileSync('python3', [new URL('./error-classes.py', import.meta.url).pathname, cluster.confPath, cluster.keyringPath, POOL, 'py'], {
        encoding: 'utf8',
        timeout: 120_000,
      }),
    ) as Record<string, Raised>;
    // Our own objects, made as the script made its own.
    await io.writeFull('ts-obj', new Uint8Array([120]));
    await RBD.create(io, 'ts-img', 1 << 22);
    const image = await RBD.open(io, 'ts-img');
    await image.createSnap('s');
    await image.protectSnap('s');
    await image.close();

    const cases = ourCases(rados, io, 'ts');
    expect(Object.keys(theirs).sort()).toEqual(Object.keys(cases).sort());
    for (const [name, run] of Object.entries(cases)) {
      const py = theirs[name]!;
      expect(py.raised, `${name}: python raised nothing`).not.toBeNull();
      const cls = (api as unknown as Record<string, unknown>)[py.raised!];
      expect(typeof cls, `${name}: we export no ${py.raised}`).toBe('function');
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${name}: we did not fail`).toBeInstanceOf(RadosError);
      expect(err, `${name}: ${(err as Error).name} is not a ${py.raised}`).toBeInstanceOf(cls as new () => unknown);
      const e = err as RadosError;
      if (typeof py.errno === 'number') expect(e.errno, name).toBe(py.errno);
      expect(e.code, name).toBe(api.errnoName(e.errno));
    }
  });
});
