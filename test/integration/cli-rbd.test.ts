// `rados-ts rbd VERB` beside Ceph's `rbd VERB` on the same cluster: the same stdout, stderr and
// exit code for each call. Said where it differs on purpose: `rbd info`'s access and modify
// timestamps are left out (librbd refreshes them as it opens the image, we do not), and so are
// the timestamped log lines librbd itself writes to stderr beside rbd's error line.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectSameBytes, type Run, runOurs, runTool, withoutLibrbdLog } from './cli-run.ts';

const POOL = 'clirbd';
let cluster: Cluster;
const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster } = env));

const ours = (args: string[], input?: Uint8Array): Run => runOurs('rbd', ['-c', cluster.confPath, '-p', POOL, ...args], input);
const theirs = (args: string[], input?: Uint8Array): Run => runTool('rbd', ['-c', cluster.confPath, '-p', POOL, ...args], input);
// Ours goes through the same cut: rbd's own message can start with an empty line (`trash rm`
// before its deferment end prints "\nDeferment time has not expired…").
const same = (args: string[], input?: Uint8Array): Run => {
  const a = ours(args, input);
  expect(withoutLibrbdLog(a), args.join(' ')).toEqual(withoutLibrbdLog(theirs(args, input)));
  return a;
};
/** `same` without -p: rbd reads a POOL[/NS] positional only when -p is not given. */
const sameBare = (args: string[]): Run => {
  const a = runOurs('rbd', ['-c', cluster.confPath, ...args]);
  expect(withoutLibrbdLog(a), args.join(' ')).toEqual(withoutLibrbdLog(runTool('rbd', ['-c', cluster.confPath, ...args])));
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

  // The trash listing is compared as it is: both tools list the same entries, whose ids,
  // deletion times and deferment ends are the cluster's, so nothing is normalized. Deferments
  // are 0 or an hour, far from "now", so "expired at"/"protected until" cannot flip between runs.
  it('trash mv, ls (-l, json), restore, rm, purge both ways', () => {
    for (const img of ['t1', 't2', 't3', 't4']) ok(ours(['create', '--size', '1M', img]));
    ok(ours(['trash', 'mv', 't1']));
    ok(theirs(['trash', 'mv', 't2']));
    ok(ours(['trash', 'mv', 't3', '--expires-at', '+1 hour']));
    ok(theirs(['trash', 'move', 't4', '--expires-at', '+1 hour']));
    expect(same(['ls']).stdout).toBe('');
    const entries = JSON.parse(ok(same(['trash', 'ls', '--format', 'json'])).stdout) as { id: string; name: string }[];
    expect(entries.map((e) => e.name).sort()).toEqual(['t1', 't2', 't3', 't4']);
    const id = (name: string): string => entries.find((e) => e.name === name)!.id;
    same(['trash', 'ls']);
    sameBare(['trash', 'list', POOL]);
    expect(ok(same(['trash', 'ls', '-l'])).stdout).toMatch(/^ID +NAME +SOURCE +DELETED_AT +STATUS +PARENT *\n/);
    same(['trash', 'ls', '--long', '--format', 'json']);
    same(['trash', 'ls', '-l', '--format', 'json', '--pretty-format']);
    expect(ok(theirs(['trash', 'ls', '-l'])).stdout).toMatch(new RegExp(`${id('t3')} +t3 +USER +.* protected until `));
    // Errors: deferment not over, unknown ids, a name taken, a missing image (with a date in the past
    // too: rbd's utime_t subtraction wraps it to a huge delay, so the missing image is what fails).
    for (const args of [
      ['trash', 'rm', id('t4'), '--no-progress'],
      ['trash', 'rm', 'nosuchid', '--no-progress'],
      ['trash', 'restore', 'nosuchid'],
      ['trash', 'restore', id('t1'), '--image', 't2-taken'],
      ['trash', 'mv', 'missing'],
      ['trash', 'mv', 'missing', '--expires-at', 'yesterday'],
      ['trash', 'rm'],
    ]) {
      if (args.includes('t2-taken')) ok(ours(['create', '--size', '1M', 't2-taken']));
      let r: Run;
      if (args.includes('--expires-at')) {
        // Reef 18.2.7's rbd first prints "rbd: image missing will expire at …" on stdout (Pacific's
        // and Tentacle's do not); the refusal, on stderr with its exit code, is the same everywhere.
        r = ours(args);
        const t = theirs(args);
        expect({ status: r.status, stderr: withoutLibrbdLog(r).stderr }, args.join(' ')).toEqual({ status: t.status, stderr: withoutLibrbdLog(t).stderr });
        expect(t.stdout === '' || (cluster.release === 'reef' && /^rbd: image missing will expire at /.test(t.stdout))).toBe(true);
      } else r = same(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
    ok(ours(['rm', 't2-taken', '--no-progress']));
    // Restores: ours under a new name, rbd sees it; rbd's under the old name, we see it.
    ok(ours(['trash', 'restore', id('t1'), '--image', 't1-back']));
    ok(theirs(['trash', 'restore', `${POOL}/${id('t2')}`]));
    expect(ok(theirs(['ls'])).stdout).toBe('t1-back\nt2\n');
    expect(ok(ours(['ls'])).stdout).toBe('t1-back\nt2\n');
    // Removal: ours forced, rbd no longer lists it; rbd's forced, we no longer list it.
    ok(ours(['trash', 'rm', id('t3'), '--force', '--no-progress']));
    ok(theirs(['trash', 'remove', id('t4'), '--force', '--no-progress']));
    expect(ok(same(['trash', 'ls'])).stdout).toBe('');
    // Purge: ours takes what rbd moved, an hour-deferred one stays; then rbd purges what we moved, expired by then.
    ok(theirs(['trash', 'mv', 't1-back']));
    ok(ours(['trash', 'mv', 't2', '--expires-at', '+1 hour']));
    ok(ours(['trash', 'purge', '--no-progress']));
    expect(ok(theirs(['trash', 'ls'])).stdout).toBe(`${(JSON.parse(ok(theirs(['trash', 'ls', '--format', 'json'])).stdout) as { id: string }[])[0]!.id} t2\n`);
    same(['trash', 'purge', '--no-progress']);
    ok(theirs(['trash', 'purge', '--expired-before', '+2 hours', '--no-progress']));
    expect(ok(ours(['trash', 'ls'])).stdout).toBe('');
  });

  it("trash: a clone's PARENT column, --all, a purge that cannot finish", () => {
    ok(ours(['create', '--size', '1M', 'tp']));
    ok(ours(['snap', 'create', 'tp@s', '--no-progress']));
    ok(ours(['snap', 'protect', 'tp@s']));
    ok(runTool('rbd', ['-c', cluster.confPath, 'clone', `${POOL}/tp@s`, `${POOL}/tc`]));
    ok(ours(['trash', 'mv', 'tc']));
    expect(ok(same(['trash', 'ls', '-l'])).stdout).toMatch(new RegExp(` tc +USER +.* expired at .* ${POOL}/tp@s *\n$`));
    same(['trash', 'ls', '-l', '--format', 'json']);
    same(['trash', 'ls', '--all']);
    // The parent in the trash too: rbd names it by the name it had.
    ok(theirs(['trash', 'mv', 'tp']));
    same(['trash', 'ls', '-l']);
    same(['trash', 'ls', '-l', '--format', 'json']);
    // Purge takes the clone, then stops at the parent's snapshot (ENOTEMPTY): rbd says nothing of its own, only its exit code.
    const r = same(['trash', 'purge', '--no-progress']);
    expect(r.status).toBe(39);
    const left = JSON.parse(ok(theirs(['trash', 'ls', '--format', 'json'])).stdout) as { id: string; name: string }[];
    expect(left.map((e) => e.name)).toEqual(['tp']);
    same(['trash', 'rm', left[0]!.id, '--no-progress']);
    ok(ours(['trash', 'restore', left[0]!.id]));
    ok(ours(['snap', 'unprotect', 'tp@s']));
    ok(ours(['snap', 'rm', 'tp@s', '--no-progress']));
    ok(ours(['rm', 'tp', '--no-progress']));
  });

  it('namespace create, ls, rm; ls and create in a namespace', () => {
    ok(runOurs('rbd', ['-c', cluster.confPath, 'namespace', 'create', `${POOL}/ns1`]));
    ok(theirs(['namespace', 'create', '--namespace', 'ns2']));
    expect(ok(same(['namespace', 'ls'])).stdout).toBe('NAME\nns1 \nns2 \n');
    sameBare(['namespace', 'list', POOL, '--format', 'json']);
    same(['namespace', 'ls', '--format', 'json', '--pretty-format']);
    ok(ours(['create', '--size', '1M', `${POOL}/ns1/img-ns`]));
    ok(theirs(['create', '--size', '1M', `${POOL}/ns2/img-ns2`]));
    expect(ok(sameBare(['ls', `${POOL}/ns2`])).stdout).toBe('img-ns2\n');
    expect(ok(same(['ls', `${POOL}/ns2`])).stdout).toBe(''); // -p given: rbd ignores the positional
    expect(ok(same(['ls', '--namespace', 'ns1'])).stdout).toBe('img-ns\n');
    for (const args of [
      ['namespace', 'create', `${POOL}/ns1`],
      ['namespace', 'rm', `${POOL}/ns1`],
      ['namespace', 'rm', `${POOL}/nope`],
      ['namespace', 'create'],
    ]) {
      const r = sameBare(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
    ok(ours(['rm', `${POOL}/ns1/img-ns`, '--no-progress']));
    ok(ours(['rm', `${POOL}/ns2/img-ns2`, '--no-progress']));
    ok(runOurs('rbd', ['-c', cluster.confPath, 'namespace', 'rm', `${POOL}/ns2`]));
    ok(theirs(['namespace', 'remove', '--namespace', 'ns1']));
    expect(ok(same(['namespace', 'ls'])).stdout).toBe('');
    same(['namespace', 'ls', '--format', 'json']);
  });

  // Lockers are compared as they are: the same lock read by both tools (client ids and
  // addresses are the cluster's). Each `rados-ts`/`rbd` run is a new client, gone when it exits:
  // its advisory lock stays until broken.
  it('lock add, ls (json), rm both ways; exclusive and shared', () => {
    ok(ours(['create', '--size', '1M', 'limg']));
    expect(ok(same(['lock', 'ls', 'limg'])).stdout).toBe('');
    ok(ours(['lock', 'add', 'limg', 'c1']));
    expect(ok(same(['lock', 'ls', 'limg'])).stdout).toMatch(/^There is 1 exclusive lock on this image\.\nLocker +ID +Address +\nclient\.\d+ +c1 +/);
    const locks = (): { id: string; locker: string }[] => JSON.parse(ok(same(['lock', 'ls', 'limg', '--format', 'json'])).stdout) as { id: string; locker: string }[];
    same(['lock', 'list', 'limg', '--format', 'json', '--pretty-format']);
    for (const args of [
      ['lock', 'add', 'limg', 'c2'],
      ['lock', 'add', 'limg', 'c2', '--shared', 't'],
      ['lock', 'add', 'limg'],
      ['lock', 'rm', 'limg', 'c1'],
      ['lock', 'rm', 'limg', 'nope', 'client.1'],
      ['lock', 'ls', 'missing'],
    ]) {
      const r = same(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
    ok(theirs(['lock', 'rm', 'limg', 'c1', locks()[0]!.locker]));
    expect(ok(same(['lock', 'ls', 'limg'])).stdout).toBe('');
    ok(theirs(['lock', 'add', 'limg', 's1', '--shared', 'tag']));
    ok(ours(['lock', 'add', 'limg', 's2', '--shared', 'tag']));
    expect(ok(same(['lock', 'ls', 'limg'])).stdout).toMatch(/^There are 2 shared locks on this image\.\nLock tag: tag\nLocker +ID +Address +\n/);
    same(['lock', 'add', 'limg', 's3', '--shared', 'other']);
    const held = locks();
    ok(ours(['lock', 'rm', 'limg', 's1', held.find((l) => l.id === 's1')!.locker]));
    ok(theirs(['lock', 'remove', 'limg', 's2', held.find((l) => l.id === 's2')!.locker]));
    expect(locks()).toEqual([]);
    ok(ours(['rm', 'limg', '--no-progress']));
  });
  const snapNames = (img: string, all = false): string[] =>
    (JSON.parse(ok(theirs(['snap', 'ls', img, '--format', 'json', ...(all ? ['--all'] : [])])).stdout) as { name: string }[]).map((x) => x.name);
  const failing = (args: string[]): void => {
    const r = same(args);
    expect(r.status, args.join(' ')).not.toBe(0);
    expect(r.stderr, args.join(' ')).not.toBe('');
  };

  it('snap rename, rollback, purge both ways, and their errors', () => {
    ok(ours(['create', '--size', '2M', 'sv']));
    ok(theirs(['snap', 'create', 'sv@a', '--no-progress']));
    ok(ours(['snap', 'rename', 'sv@a', 'sv@b']));
    expect(snapNames('sv')).toEqual(['b']);
    ok(theirs(['snap', 'rename', `${POOL}/sv@b`, 'sv@c']));
    expect(ok(same(['snap', 'ls', 'sv', '--format', 'json'])).stdout).toContain('"name":"c"');
    for (const args of [
      ['snap', 'rename', 'sv@c', 'd'],
      ['snap', 'rename', 'sv@c', 'other@d'],
      ['snap', 'rename', 'sv@c', `nopool/sv@d`],
      ['snap', 'rename', 'sv@nope', 'sv@d'],
      ['snap', 'rename', 'sv', 'sv@d'],
      ['snap', 'rename', 'sv@c'],
      ['snap', 'rename', 'missing@c', 'missing@d'],
    ])
      failing(args);
    // Rollback: the image's bytes as they were at the snapshot, whoever rolls back.
    const a = payload(2 << 20, 1);
    ok(runTool('rbd', ['-c', cluster.confPath, 'import', '-', `${POOL}/rb`, '--no-progress'], a));
    ok(ours(['snap', 'create', 'rb@s', '--no-progress']));
    ok(theirs(['bench', '--io-type', 'write', '--io-size', '64K', '--io-total', '1M', '--io-pattern', 'seq', 'rb']));
    expect(Buffer.from(ok(theirs(['export', 'rb', '-', '--no-progress'])).stdout, 'latin1').equals(Buffer.from(a))).toBe(false);
    ok(ours(['snap', 'rollback', 'rb@s', '--no-progress']));
    expectSameBytes(ok(theirs(['export', 'rb', '-', '--no-progress'])).stdout, a);
    ok(theirs(['bench', '--io-type', 'write', '--io-size', '64K', '--io-total', '1M', '--io-pattern', 'seq', 'rb']));
    ok(theirs(['snap', 'revert', 'rb@s', '--no-progress']));
    expectSameBytes(ok(ours(['export', 'rb', '-', '--no-progress'])).stdout, a);
    for (const args of [
      ['snap', 'rollback', 'rb@nope', '--no-progress'],
      ['snap', 'rollback', 'rb', '--no-progress'],
      ['snap', 'rollback', 'missing@s', '--no-progress'],
    ])
      failing(args);
    // Purge: the same snapshots on two images, one purged by each tool; a protected one stays,
    // named on stdout, and the exit code is still 0.
    for (const img of ['pu1', 'pu2']) {
      ok(ours(['create', '--size', '1M', img]));
      for (const snap of ['x', 'y', 'z']) ok(ours(['snap', 'create', `${img}@${snap}`, '--no-progress']));
      ok(ours(['snap', 'protect', `${img}@y`]));
    }
    const mine = ours(['snap', 'purge', 'pu1', '--no-progress']);
    expect(mine).toEqual(theirs(['snap', 'purge', 'pu2', '--no-progress']));
    expect(mine.stdout).toBe("rbd: error removing snapshot(s) 'y', which is protected - these must be unprotected with `rbd snap unprotect`.\n");
    expect(snapNames('pu1')).toEqual(['y']);
    expect(snapNames('pu2')).toEqual(['y']);
    for (const img of ['pu1', 'pu2']) {
      ok(ours(['snap', 'create', `${img}@w`, '--no-progress']));
      ok(ours(['snap', 'protect', `${img}@w`]));
    }
    expect(same(['snap', 'purge', 'pu1', '--no-progress']).stdout).toBe(
      "rbd: error removing snapshot(s) 'y,w', which are protected - these must be unprotected with `rbd snap unprotect`.\n",
    );
    for (const args of [
      ['snap', 'purge', 'pu1@y', '--no-progress'],
      ['snap', 'purge', 'missing', '--no-progress'],
      ['snap', 'purge'],
    ])
      failing(args);
    same(['snap', 'purge', 'sv', '--no-progress']);
    expect(snapNames('sv')).toEqual([]);
    for (const img of ['pu1', 'pu2'])
      for (const snap of ['y', 'w']) {
        ok(ours(['snap', 'unprotect', `${img}@${snap}`]));
        ok(ours(['snap', 'rm', `${img}@${snap}`, '--no-progress']));
      }
    for (const img of ['sv', 'rb', 'pu1', 'pu2']) {
      ok(theirs(['snap', 'purge', img, '--no-progress']));
      ok(ours(['rm', img, '--no-progress']));
    }
  });

  it('clone, children (--all, --descendants, json), snap ls --all with a trashed snapshot, ls -l (json), status', async () => {
    ok(ours(['create', '--size', '3M', 'cp']));
    for (const snap of ['s1', 's2']) {
      ok(ours(['snap', 'create', `cp@${snap}`, '--no-progress']));
      ok(ours(['snap', 'protect', `cp@${snap}`]));
    }
    ok(ours(['clone', 'cp@s1', `${POOL}/kid1`]));
    ok(theirs(['clone', 'cp@s2', `${POOL}/kid2`]));
    ok(ours(['clone', `${POOL}/cp@s2`, `${POOL}/kid3`]));
    expect(ok(theirs(['info', 'kid1', '--format', 'json'])).stdout).toContain(`"parent":{"pool":"${POOL}","pool_namespace":"","image":"cp"`);
    ok(theirs(['snap', 'create', 'kid2@k', '--no-progress']));
    ok(theirs(['snap', 'protect', 'kid2@k']));
    ok(ours(['clone', 'kid2@k', `${POOL}/grandkid`]));
    ok(theirs(['trash', 'mv', 'kid3']));
    for (const spec of ['cp@s2', 'cp', 'cp@s1', 'kid2'])
      for (const extra of [[], ['--all'], ['--descendants'], ['-a', '--descendants']]) {
        same(['children', spec, ...extra]);
        same(['children', spec, ...extra, '--format', 'json']);
      }
    expect(ok(same(['children', 'cp', '--all', '--descendants'])).stdout).toMatch(new RegExp(`^${POOL}/grandkid\n${POOL}/kid1\n${POOL}/kid2\n${POOL}/kid3 \\(trash \\w+\\)\n$`));
    same(['children', 'cp@s2', '--format', 'json', '--pretty-format']);
    for (const args of [['children', 'cp@nope'], ['children', 'missing@s1'], ['children']]) failing(args);
    for (const args of [
      ['clone', 'cp@nope', `${POOL}/x`],
      ['clone', 'cp', `${POOL}/x`],
      ['clone', 'cp@s1', `${POOL}/kid1`],
      ['clone', 'cp@s1', `${POOL}/x@y`],
      ['clone', 'cp@s1'],
      ['clone', 'missing@s1', `${POOL}/x`],
      ['clone', 'cp@s1', 'no-such-pool/x'],
    ])
      failing(args);
    // A v2 clone of an unprotected snapshot keeps that snapshot in the trash namespace once removed.
    ok(ours(['snap', 'create', 'cp@s3', '--no-progress']));
    ok(theirs(['clone', '--rbd-default-clone-format', '2', 'cp@s3', `${POOL}/kid4`]));
    ok(theirs(['snap', 'rm', 'cp@s3', '--no-progress']));
    expect(snapNames('cp')).toEqual(['s1', 's2']);
    expect(snapNames('cp', true)).toHaveLength(3);
    for (const extra of [[], ['--all'], ['-a', '--format', 'json'], ['--all', '--format', 'json', '--pretty-format']]) same(['snap', 'ls', 'cp', ...extra]);
    // Long listing: clones (parents at the head and at snapshots), protection, locks, the trash left out.
    ok(theirs(['snap', 'create', 'kid1@ks', '--no-progress']));
    ok(theirs(['flatten', 'kid1', '--no-progress']));
    ok(ours(['lock', 'add', 'kid1', 'c1']));
    ok(ours(['lock', 'add', 'cp', 'c1', '--shared', 'tag']));
    expect(ok(same(['ls', '-l'])).stdout).toMatch(/^NAME +SIZE +PARENT +FMT +PROT +LOCK *\n/);
    same(['ls', '--long', '--format', 'json']);
    same(['ls', '-l', '--format', 'json', '--pretty-format']);
    sameBare(['ls', '-l', POOL]);
    // Status: no watchers, then the one `rados watch` keeps on the header.
    expect(ok(same(['status', 'cp'])).stdout).toBe('Watchers: none\n');
    same(['status', 'cp', '--format', 'json']);
    const id = (JSON.parse(ok(theirs(['info', 'cp', '--format', 'json'])).stdout) as { id: string }).id;
    const watcher = spawn('rados', ['-c', cluster.confPath, '--admin-socket', '', '-p', POOL, 'watch', `rbd_header.${id}`], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      for (let i = 0; i < 100 && theirs(['status', 'cp']).stdout === 'Watchers: none\n'; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ok(same(['status', 'cp'])).stdout).toMatch(/^Watchers:\n\twatcher=\S+ client\.\d+ cookie=\d+\n$/);
      same(['status', 'cp', '--format', 'json']);
      same(['status', 'cp', '--format', 'json', '--pretty-format']);
    } finally {
      watcher.stdin.end('\n');
      watcher.kill();
    }
    for (const args of [['status', 'missing'], ['status', 'cp@s1'], ['status']]) failing(args);
  });
  // du's counts are the cluster's (object maps, or snapshot sets without fast-diff): both tools read the same images.
  it('du: snapshots and head, --exact, --from-snap, --merge-snapshots, json; an image without fast-diff', () => {
    const write = (img: string): void => {
      ok(theirs(['bench', '--io-type', 'write', '--io-size', '64K', '--io-total', '640K', '--io-pattern', 'seq', img]));
    };
    ok(runTool('rbd', ['-c', cluster.confPath, 'import', '-', `${POOL}/du1`, '--no-progress'], payload(6 << 20, 3)));
    ok(ours(['snap', 'create', 'du1@a', '--no-progress']));
    write('du1');
    ok(ours(['snap', 'create', 'du1@b', '--no-progress']));
    ok(ours(['resize', '--size', '12M', 'du1', '--no-progress']));
    ok(runTool('rbd', ['-c', cluster.confPath, 'import', '--image-feature', 'layering', '-', `${POOL}/du2`, '--no-progress'], payload(5 << 20, 4)));
    ok(ours(['snap', 'create', 'du2@a', '--no-progress']));
    write('du2');
    ok(ours(['create', '--size', '1M', 'du3']));
    for (const args of [
      ['du'],
      ['du', 'du1'],
      ['du', 'du1@a'],
      ['du', 'du1@b'],
      ['du', 'du1', '--exact'],
      ['du', 'du1', '--from-snap', 'a'],
      ['du', 'du1@b', '--from-snap', 'a'],
      ['du', 'du1@a', '--from-snap', 'a'],
      ['du', 'du1', '--merge-snapshots'],
      ['disk-usage', 'du2'],
      ['du', 'du2', '--exact'],
      ['du', 'du3'],
    ]) {
      expect(same(args).status, args.join(' ')).toBe(0);
      same([...args, '--format', 'json']);
    }
    expect(ok(same(['du', 'du1'])).stdout).toMatch(/^NAME +PROVISIONED +USED *\ndu1@a +6 MiB +\S+ \S+\ndu1@b .*\ndu1 +12 MiB .*\n<TOTAL> +12 MiB /);
    same(['du', 'du1', '--format', 'json', '--pretty-format']);
    for (const args of [
      ['du', 'missing'],
      ['du', 'du1@nope'],
      ['du', 'du1@a', '--from-snap', 'b'],
      ['du', '--from-snap', 'a'],
      ['du', 'du1', '--from-snap', 'nope'],
    ])
      failing(args);
    for (const img of ['du1', 'du2', 'du3']) {
      ok(theirs(['snap', 'purge', img, '--no-progress']));
      ok(ours(['rm', img, '--no-progress']));
    }
  });
});
