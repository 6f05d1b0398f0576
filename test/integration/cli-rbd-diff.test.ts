// `rados-ts rbd diff | export-diff | import-diff` beside Ceph's `rbd` on the same cluster: the
// same stdout (plain and json, stream bytes), stderr and exit code; each applies the other's
// stream. The image's history is written by rbd itself (import, bench, resize, snapshots).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectSameBytes, type Run, runOurs, runTool, withoutLibrbdLog } from './cli-run.ts';

const POOL = 'clirbddiff';
let cluster: Cluster;
const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster } = env));

const ours = (args: string[], input?: Uint8Array): Run => runOurs('rbd', ['-c', cluster.confPath, '-p', POOL, ...args], input);
const theirs = (args: string[], input?: Uint8Array): Run => runTool('rbd', ['-c', cluster.confPath, '-p', POOL, ...args], input);
const same = (args: string[], input?: Uint8Array): Run => {
  const a = ours(args, input);
  expect(withoutLibrbdLog(a), args.join(' ')).toEqual(withoutLibrbdLog(theirs(args, input)));
  return a;
};
const ok = (r: Run): Run => {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r;
};
/** A setup step by rbd (some print progress on stderr whatever --no-progress says): only its success counts. */
const done = (r: Run): Run => {
  expect(r.status, r.stderr).toBe(0);
  return r;
};
const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i % 50_000 < 20_000 ? 0 : (i * 31 + seed) & 0xff));
const file = (name: string): string => join(cluster.dir, name);

describe('rados-ts rbd diff, export-diff, import-diff beside rbd', () => {
  it('diff (plain, json, --from-snap, --whole-object, at a snapshot, errors)', () => {
    writeFileSync(file('base'), payload(600_000, 1));
    // import names its destination pool in the spec (-p is deprecated there).
    done(runTool('rbd', ['-c', cluster.confPath, 'import', '--object-size', '64K', '--no-progress', file('base'), `${POOL}/hist`]));
    done(theirs(['snap', 'create', 'hist@s1']));
    done(theirs(['bench', '--io-type', 'write', '--io-size', '8K', '--io-total', '96K', '--io-pattern', 'seq', 'hist']));
    done(theirs(['resize', '--size', '1M', '--no-progress', 'hist']));
    done(theirs(['snap', 'create', 'hist@s2']));
    done(theirs(['resize', '--size', '500K', '--allow-shrink', '--no-progress', 'hist']));
    for (const spec of ['hist', 'hist@s1', 'hist@s2']) {
      for (const extra of [[], ['--whole-object'], ['--from-snap', 's1']]) {
        if (spec === 'hist@s1' && extra[0] === '--from-snap') continue;
        ok(same(['diff', spec, ...extra]));
        ok(same(['diff', spec, ...extra, '--format', 'json']));
      }
    }
    same(['diff', '--format', 'json', '--pretty-format', '--from-snap', 's2', 'hist']);
    expect(same(['diff', 'hist@nosuch']).status).not.toBe(0);
    expect(same(['diff', '--from-snap', 'nosuch', 'hist']).status).not.toBe(0);
    expect(same(['diff', '--from-snap', 's2', 'hist@s1']).status).not.toBe(0);
  });

  it('export-diff: the same bytes to a file and to stdout; an existing file refused', () => {
    for (const [spec, from] of [
      ['hist@s1', undefined],
      ['hist@s2', 's1'],
      ['hist', 's2'],
      ['hist', undefined],
    ] as const) {
      const extra = from ? ['--from-snap', from] : [];
      const a = file(`ours-${spec}-${from ?? ''}`);
      const b = file(`theirs-${spec}-${from ?? ''}`);
      ok(ours(['export-diff', '--no-progress', ...extra, spec, a]));
      ok(theirs(['export-diff', '--no-progress', ...extra, spec, b]));
      expectSameBytes(readFileSync(a), readFileSync(b));
      expectSameBytes(ok(ours(['export-diff', '--no-progress', ...extra, spec, '-'])).stdout, readFileSync(b));
    }
    ok(ours(['export-diff', '--no-progress', '--whole-object', 'hist', file('whole-ours')]));
    ok(theirs(['export-diff', '--no-progress', '--whole-object', 'hist', file('whole-theirs')]));
    expectSameBytes(readFileSync(file('whole-ours')), readFileSync(file('whole-theirs')));
    expect(same(['export-diff', '--no-progress', 'hist', file('whole-ours')]).status).not.toBe(0);
  });

  it('import-diff: rbd applies our streams, we apply rbd’s (file and stdin); a step applied twice is refused alike', () => {
    done(theirs(['create', '--size', '64K', '--object-size', '64K', 'copy-ours']));
    done(theirs(['create', '--size', '64K', '--object-size', '64K', 'copy-theirs']));
    const chain: Array<[string, string | undefined]> = [
      ['hist@s1', undefined],
      ['hist@s2', 's1'],
      ['hist', 's2'],
    ];
    for (const [spec, from] of chain) {
      const extra = from ? ['--from-snap', from] : [];
      const a = file(`step-ours-${spec}`);
      const b = file(`step-theirs-${spec}`);
      ok(ours(['export-diff', '--no-progress', ...extra, spec, a]));
      ok(theirs(['export-diff', '--no-progress', ...extra, spec, b]));
      ok(ours(['import-diff', '--no-progress', b, 'copy-ours']));
      ok(theirs(['import-diff', '--no-progress', a, 'copy-theirs']));
    }
    for (const v of ['@s1', '@s2', '']) {
      const want = ok(theirs(['export', '--no-progress', `hist${v}`, '-'])).stdout;
      expectSameBytes(ok(theirs(['export', '--no-progress', `copy-ours${v}`, '-'])).stdout, Buffer.from(want, 'latin1'));
      expectSameBytes(ok(theirs(['export', '--no-progress', `copy-theirs${v}`, '-'])).stdout, Buffer.from(want, 'latin1'));
    }
    expect((JSON.parse(ok(theirs(['snap', 'ls', 'copy-ours', '--format', 'json'])).stdout) as Array<{ name: string }>).map((s) => s.name)).toEqual(['s1', 's2']);
    // Again: the end snapshot exists (EEXIST); onto an image without the start snapshot (EINVAL); from stdin.
    const step = readFileSync(file('step-theirs-hist@s2'));
    expect(same(['import-diff', '--no-progress', '-', 'copy-ours'], step).status).toBe(17);
    done(theirs(['create', '--size', '64K', 'bare']));
    expect(same(['import-diff', '--no-progress', file('step-theirs-hist@s2'), 'bare']).status).toBe(22);
    done(theirs(['create', '--size', '64K', 'from-stdin']));
    ok(ours(['import-diff', '--no-progress', '-', 'from-stdin'], readFileSync(file('step-theirs-hist@s1'))));
    expectSameBytes(ok(theirs(['export', '--no-progress', 'from-stdin@s1', '-'])).stdout, Buffer.from(ok(theirs(['export', '--no-progress', 'hist@s1', '-'])).stdout, 'latin1'));
  });
});
