// `rados-ts rbd VERB` beside Ceph's `rbd VERB` on the same cluster: the same stdout, stderr and
// exit code for each call. Said where it differs on purpose: `rbd info`'s access and modify
// timestamps are left out (librbd refreshes them as it opens the image, we do not), and so are
// the timestamped log lines librbd itself writes to stderr beside rbd's error line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectSameBytes, type Run, runOurs, runTool } from './cli-run.ts';

const POOL = 'clirbd';
let cluster: Cluster;
const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster } = env));

const ours = (args: string[], input?: Uint8Array): Run => runOurs('rbd', ['-c', cluster.confPath, '-p', POOL, ...args], input);
const theirs = (args: string[], input?: Uint8Array): Run => runTool('rbd', ['-c', cluster.confPath, '-p', POOL, ...args], input);
/** librbd's own log lines ("2026-12-02T00:46:57.425+0000 7fde9cda96c0 -1 librbd::…"): timestamped, thread-stamped, ours has none. */
// librbd's log thread writes on its own, and rbd writes its message through std::cerr in pieces
// (one write per `<<`, the newline apart), so under load a log line can land inside rbd's line
// and leave an empty line behind: cut log lines wherever they start, then empty lines (rbd
// prints none on stderr).
const withoutLibrbdLog = (r: Run): Run => ({
  ...r,
  stderr: r.stderr.replace(/\d{4}-\d\d-\d\dT\S+ [0-9a-f]+ +-?\d+ [^\n]*\n/g, '').replace(/^\n/gm, ''),
});
const same = (args: string[], input?: Uint8Array): Run => {
  const a = ours(args, input);
  expect(a, args.join(' ')).toEqual(withoutLibrbdLog(theirs(args, input)));
  return a;
};
const ok = (r: Run): Run => {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r;
};
const withoutTimes = (s: string): string =>
  s
    .split('\n')
    .filter((l) => !/^\s*(access|modify)_timestamp: /.test(l))
    .join('\n');
const jsonWithoutTimes = (s: string): unknown => {
  const { access_timestamp: _a, modify_timestamp: _m, ...rest } = JSON.parse(s) as Record<string, unknown>;
  return rest;
};
const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i % 5000 < 1000 ? 0 : (i * 31 + seed) & 0xff));

describe('rados-ts rbd beside rbd', () => {
  it('create, ls, info (plain and json), resize', () => {
    ok(ours(['create', '--size', '10M', 'img-a']));
    ok(theirs(['create', '--size', '1536K', 'img-b']));
    expect(same(['ls']).stdout).toBe('img-a\nimg-b\n');
    same(['ls', '--format', 'json']);
    same(['ls', '--format', 'json', '--pretty-format']);
    same(['ls', '--format', 'json-pretty']); // refused by both
    for (const img of ['img-a', 'img-b']) {
      const a = ours(['info', img]);
      const b = theirs(['info', img]);
      expect(withoutTimes(a.stdout)).toBe(withoutTimes(b.stdout));
      expect(jsonWithoutTimes(ok(ours(['info', img, '--format', 'json'])).stdout)).toEqual(jsonWithoutTimes(ok(theirs(['info', img, '--format', 'json'])).stdout));
    }
    ok(ours(['resize', '--size', '20M', 'img-a', '--no-progress']));
    expect(ok(theirs(['info', 'img-a'])).stdout).toContain('size 20 MiB in 5 objects');
    same(['resize', '--size', '1M', 'img-a', '--no-progress']);
  });

  it('import and export both ways, stdin and stdout included', () => {
    const data = payload((6 << 20) + 4096, 9);
    const file = join(cluster.dir, 'rbd-in');
    writeFileSync(file, data);
    ok(ours(['import', file, 'imported-by-us', '--no-progress']));
    expectSameBytes(ok(theirs(['export', 'imported-by-us', '-', '--no-progress'])).stdout, data);
    // rbd import warns that -p is deprecated there: the destination goes in the spec.
    ok(runTool('rbd', ['-c', cluster.confPath, 'import', '-', `${POOL}/imported-by-them`, '--no-progress'], data));
    expectSameBytes(ok(ours(['export', 'imported-by-them', '-', '--no-progress'])).stdout, data);
  });

  it('snapshots: create, protect, ls (json), rm; image-meta; mv; rm', () => {
    ok(ours(['snap', 'create', 'img-a@s1', '--no-progress']));
    ok(theirs(['snap', 'create', 'img-a@s2', '--no-progress']));
    ok(ours(['snap', 'protect', 'img-a@s2']));
    expect(same(['snap', 'ls', 'img-a']).stdout).toMatch(/^SNAPID +NAME +SIZE +PROTECTED +TIMESTAMP +\n/);
    same(['snap', 'ls', 'img-a', '--format', 'json']);
    same(['snap', 'ls', 'img-a', '--format', 'json', '--pretty-format']);
    same(['snap', 'rm', 'img-a@s2', '--no-progress']);
    ok(ours(['snap', 'unprotect', 'img-a@s2']));
    ok(ours(['snap', 'rm', 'img-a@s2', '--no-progress']));
    ok(ours(['snap', 'rm', 'img-a@s1', '--no-progress']));
    expect(ok(theirs(['snap', 'ls', 'img-a', '--format', 'json'])).stdout).toBe('[]\n');
    expect(same(['snap', 'ls', 'img-a']).stdout).toBe('');
    ok(ours(['image-meta', 'set', 'img-b', 'conf_rbd_cache', 'false']));
    ok(theirs(['image-meta', 'set', 'img-b', 'user.note', 'hello world']));
    same(['image-meta', 'list', 'img-b']);
    same(['image-meta', 'list', 'img-b', '--format', 'json']);
    same(['image-meta', 'get', 'img-b', 'user.note']);
    ok(ours(['mv', 'img-b', 'img-c']));
    expect(same(['ls']).stdout).toBe('img-a\nimg-c\nimported-by-them\nimported-by-us\n');
    for (const img of ['img-a', 'img-c', 'imported-by-them', 'imported-by-us']) ok(ours(['rm', img, '--no-progress']));
    expect(same(['ls']).stdout).toBe('');
  });

  it('errors: the same line on stderr and the same exit code', () => {
    for (const args of [
      ['info', 'missing'],
      ['rm', 'missing', '--no-progress'],
      ['snap', 'ls', 'missing', '--format', 'json'],
      ['export', 'missing', '-', '--no-progress'],
    ]) {
      const r = same(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
  });
});
