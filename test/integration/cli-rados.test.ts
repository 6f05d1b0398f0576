// `rados-ts rados VERB` beside Ceph's `rados VERB` on the same cluster: the same stdout, stderr
// and exit code for each call (the stat line's mtime included: both read the same object).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster/cluster.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { expectSameBytes, type Run, runOurs, runTool } from './cli-run.ts';

const POOL = 'cli';
let cluster: Cluster;
const env = usePoolCluster([POOL]);
beforeAll(() => ({ cluster } = env));

const ours = (args: string[], input?: Uint8Array): Run => runOurs('rados', ['-c', cluster.confPath, ...args], input);
const theirs = (args: string[], input?: Uint8Array): Run => runTool('rados', ['-c', cluster.confPath, ...args], input);
/** Both tools, the same call: equal output and exit code. */
const same = (args: string[]): Run => {
  const a = ours(args);
  expect(a).toEqual(theirs(args));
  return a;
};
const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('rados-ts rados beside rados', () => {
  it('put and get both ways (files and stdin/stdout), stat and ls agree', () => {
    const file = join(cluster.dir, 'cli-in');
    const big = payload((4 << 20) + 12345, 3); // more than one `rados get` chunk
    writeFileSync(file, big);
    expect(ours(['-p', POOL, 'put', 'by-us', file]).status).toBe(0);
    expect(theirs(['-p', POOL, 'put', 'by-them', '-'], payload(1000, 5)).status).toBe(0);
    const got = join(cluster.dir, 'cli-out');
    expect(theirs(['-p', POOL, 'get', 'by-us', got]).status).toBe(0);
    expectSameBytes(readFileSync(got), big);
    expectSameBytes(ours(['-p', POOL, 'get', 'by-them', '-']).stdout, payload(1000, 5));
    expect(ours(['-p', POOL, 'put', 'by-us', '-', '--offset', '10'], new TextEncoder().encode('HELLO')).status).toBe(0);
    expect(ours(['-p', POOL, 'append', 'by-them', '-'], new TextEncoder().encode('TAIL')).status).toBe(0);
    same(['-p', POOL, 'get', 'by-them', '-']);
    expect(same(['-p', POOL, 'stat', 'by-us']).stdout).toMatch(/^cli\/by-us mtime .*, size 4206649\n$/);
    expect(ours(['-p', POOL, 'truncate', 'by-us', '100']).status).toBe(0);
    same(['-p', POOL, 'stat', 'by-us']);
    same(['-p', POOL, 'ls']);
    same(['-p', POOL, 'ls', '--format', 'json']);
    same(['-p', POOL, 'ls', '--format', 'json-pretty']);
    same(['lspools']);
  });

  it('namespaces: -N and --all', () => {
    expect(ours(['-p', POOL, '-N', 'tenant', 'put', 'in-ns', '-'], payload(10, 1)).status).toBe(0);
    expect(theirs(['-p', POOL, '-N', 'other', 'put', 'in-other', '-'], payload(10, 2)).status).toBe(0);
    expect(same(['-p', POOL, '-N', 'tenant', 'ls']).stdout).toBe('in-ns\n');
    expect(same(['-p', POOL, 'ls', '--all']).stdout).toContain('other\tin-other\n');
    same(['-p', POOL, 'ls', '--all', '--format', 'json']);
  });

  it('xattrs and omap', () => {
    expect(ours(['-p', POOL, 'setxattr', 'by-them', 'user.a', 'value-a']).status).toBe(0);
    expect(theirs(['-p', POOL, 'setxattr', 'by-them', 'user.b', 'value-b']).status).toBe(0);
    expect(same(['-p', POOL, 'listxattr', 'by-them']).stdout).toBe('user.a\nuser.b\n');
    expect(same(['-p', POOL, 'getxattr', 'by-them', 'user.b']).stdout).toBe('value-b');
    expect(ours(['-p', POOL, 'rmxattr', 'by-them', 'user.a']).status).toBe(0);
    same(['-p', POOL, 'listxattr', 'by-them']);
    for (let i = 0; i < 600; i += 50) expect(ours(['-p', POOL, 'setomapval', 'om', `k${String(i).padStart(4, '0')}`, `v${i}`]).status).toBe(0);
    expect(ours(['-p', POOL, 'rmomapkey', 'om', 'k0050']).status).toBe(0);
    expect(same(['-p', POOL, 'listomapkeys', 'om']).stdout.split('\n')).toHaveLength(12);
    expect(ours(['-p', POOL, 'clearomap', 'om']).status).toBe(0);
    expect(same(['-p', POOL, 'listomapkeys', 'om']).stdout).toBe('');
  });

  it('omap values and headers: the hexdumps, files and errors', () => {
    // Binary values: zeros, one repeated byte over several rows (Ceph folds those into `*`), bytes
    // above 0x7e, and a short last row.
    const binary = Uint8Array.from([...new Uint8Array(40), ...new TextEncoder().encode('abc~ \x7f'), 0x80, 0xff, ...new Uint8Array(50).fill(7)]);
    expect(ours(['-p', POOL, 'setomapval', 'ov', 'k1', 'hello']).status).toBe(0);
    expect(theirs(['-p', POOL, 'setomapval', 'ov', 'k2'], binary).status).toBe(0);
    expect(ours(['-p', POOL, 'setomapval', 'ov', 'k3'], new Uint8Array(100)).status).toBe(0);
    expect(ours(['-p', POOL, 'setomapheader', 'ov', 'HDR']).status).toBe(0);
    // Keys with a control byte or non-ASCII bytes are dumped too ("key (N bytes):").
    expect(theirs(['-p', POOL, 'setomapval', 'ov', 'ctl\u0001key', 'v']).status).toBe(0);
    expect(ours(['-p', POOL, 'setomapval', 'ov', 'h\u00e9llo', 'v']).status).toBe(0);
    const vals = same(['-p', POOL, 'listomapvals', 'ov']).stdout;
    expect(vals).toMatch(/\nk1\nvalue \(5 bytes\) :\n00000000 {2}68 65 6c 6c 6f {36}\|hello\|\n00000005\n\n/);
    expect(vals).toContain('key (6 bytes):\n00000000  68 c3 a9 6c 6c 6f');
    expect(same(['-p', POOL, 'getomapval', 'ov', 'k3']).stdout).toContain('\n*\n');
    same(['-p', POOL, 'getomapval', 'ov', 'k2']);
    same(['-p', POOL, 'getomapheader', 'ov']);
    same(['-p', POOL, 'getomapheader', 'by-them']); // no header: "header (0 bytes) :" and no dump
    for (const [verb, ...rest] of [
      ['getomapval', 'ov', 'k2'],
      ['getomapheader', 'ov'],
    ] as const) {
      const [a, b] = [join(cluster.dir, `${verb}-ours`), join(cluster.dir, `${verb}-theirs`)];
      const r = ours(['-p', POOL, verb, ...rest, a]);
      expect(r).toEqual({ ...theirs(['-p', POOL, verb, ...rest, b]), stderr: `Writing to ${a}\n` });
      expectSameBytes(readFileSync(a), readFileSync(b));
    }
    for (const args of [
      ['getomapval', 'ov', 'no-key'],
      ['getomapval', 'missing', 'k1'],
      ['getomapheader', 'missing'],
      ['listomapvals', 'missing'],
    ]) {
      const r = same(['-p', POOL, ...args]);
      expect(r.status, args.join(' ')).toBe(1);
    }
  });

  it('lssnap and rollback', () => {
    expect(theirs(['-p', POOL, 'put', 'rb', '-'], payload(300, 1)).status).toBe(0);
    expect(ours(['-p', POOL, 'mksnap', 'rb-1']).status).toBe(0);
    expect(theirs(['-p', POOL, 'put', 'rb', '-'], payload(200, 2)).status).toBe(0);
    expect(same(['-p', POOL, 'lssnap']).stdout).toMatch(/^\d+\trb-1\t\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d\n1 snaps\n$/);
    expect(same(['-p', POOL, 'rollback', 'rb', 'rb-1']).stdout).toBe(`rolled back pool ${POOL} to snapshot rb-1\n`);
    expectSameBytes(theirs(['-p', POOL, 'get', 'rb', '-']).stdout, payload(300, 1));
    expect(same(['-p', POOL, 'rollback', 'rb', 'no-such-snap']).status).toBe(1);
    expect(ours(['-p', POOL, 'rmsnap', 'rb-1']).status).toBe(0);
    expect(same(['-p', POOL, 'lssnap']).stdout).toBe('0 snaps\n');
  });

  it('listwatchers: the watcher rados watch registered, by address, client and cookie', async () => {
    expect(ours(['-p', POOL, 'create', 'watched']).status).toBe(0);
    expect(same(['-p', POOL, 'listwatchers', 'watched']).stdout).toBe('');
    // rados watch waits for a line on stdin: a pipe left open keeps it watching. No admin socket,
    // so the rados calls meanwhile can bind theirs (else they print a bind error).
    const watcher = spawn('rados', ['-c', cluster.confPath, '--admin-socket', '', '-p', POOL, 'watch', 'watched'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      for (let i = 0; i < 100 && theirs(['-p', POOL, 'listwatchers', 'watched']).stdout === ''; i++) await new Promise((r) => setTimeout(r, 100));
      expect(same(['-p', POOL, 'listwatchers', 'watched']).stdout).toMatch(/^watcher=\S+:\d+\/\d+ client\.\d+ cookie=\d+\n$/);
    } finally {
      watcher.stdin.end('\n');
      watcher.kill();
    }
    expect(same(['-p', POOL, 'listwatchers', 'missing']).status).toBe(1);
  });

  it('advisory locks: get, list, info, break, and their errors', () => {
    expect(ours(['-p', POOL, 'create', 'locked']).status).toBe(0);
    expect(ours(['-p', POOL, 'lock', 'get', 'locked', 'l1', '--lock-cookie', 'c1', '--lock-description', 'held by us']).status).toBe(0);
    expect(theirs(['-p', POOL, 'lock', 'get', 'locked', 'l2', '--lock-type', 'shared', '--lock-tag', 't', '--lock-cookie', 'c2']).status).toBe(0);
    expect(ours(['-p', POOL, 'lock', 'get', 'locked', 'l2', '--lock-type', 'shared', '--lock-tag', 't', '--lock-cookie', 'c3']).status).toBe(0);
    expect(ours(['-p', POOL, 'lock', 'get', 'locked', 'l3', '--lock-cookie', 'c4', '--lock-duration', '300']).status).toBe(0);
    expect(same(['-p', POOL, 'lock', 'list', 'locked']).stdout).toBe('{"objname":"locked","locks":[{"name":"l1"},{"name":"l2"},{"name":"l3"}]}');
    same(['-p', POOL, 'lock', 'list', 'locked', '--format', 'json-pretty']);
    expect(same(['-p', POOL, 'lock', 'info', 'locked', 'l1']).stdout).toMatch(/"description":"held by us","expiration":"0\.000000","addr":"[^v][^"]*"/);
    same(['-p', POOL, 'lock', 'info', 'locked', 'l2', '--format', 'json-pretty']);
    expect(same(['-p', POOL, 'lock', 'info', 'locked', 'l3']).stdout).toMatch(/"expiration":"\d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4}"/);
    same(['-p', POOL, 'lock', 'info', 'locked', 'no-such-lock']);
    for (const args of [
      ['lock', 'get', 'locked', 'l1', '--lock-cookie', 'other'],
      ['lock', 'get', 'locked', 'l4', '--lock-type', 'weird'],
      ['lock', 'list', 'missing'],
      ['lock', 'info', 'missing', 'l1'],
      ['lock', 'list', 'locked', '--format', 'plain'],
      ['lock', 'break', 'locked', 'l1', 'not-a-client'],
      ['lock', 'break', 'locked', 'l1', 'client.1', '--lock-cookie', 'c1'],
    ]) {
      const r = same(['-p', POOL, ...args]);
      expect(r.status, args.join(' ')).not.toBe(0);
    }
    const holder = (JSON.parse(theirs(['-p', POOL, 'lock', 'info', 'locked', 'l1']).stdout) as { lockers: Array<{ name: string }> }).lockers[0]!.name;
    expect(ours(['-p', POOL, 'lock', 'break', 'locked', 'l1', holder, '--lock-cookie', 'c1']).status).toBe(0);
    // cls_lock keeps the lock's type once its last holder is gone.
    expect(theirs(['-p', POOL, 'lock', 'info', 'locked', 'l1']).stdout).toBe('{"name":"l1","type":"exclusive","tag":"","lockers":[]}');
  });

  it('errors: the same line on stderr and the same exit code', () => {
    for (const args of [
      ['-p', POOL, 'stat', 'missing'],
      ['-p', POOL, 'get', 'missing', '-'],
      ['-p', POOL, 'rm', 'missing'],
      ['-p', POOL, 'create', 'by-them'],
      ['-p', POOL, 'getxattr', 'by-them', 'user.none'],
      ['-p', 'no-such-pool', 'ls'],
      ['ls'],
    ]) {
      const r = same(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
  });

  it('pool snapshots and removal', () => {
    expect(ours(['-p', POOL, 'mksnap', 'snap-a']).stdout).toBe(theirs(['-p', POOL, 'mksnap', 'snap-b']).stdout.replace('snap-b', 'snap-a'));
    expect(theirs(['-p', POOL, 'lssnap']).stdout).toMatch(/snap-a[\s\S]*snap-b/);
    expect(ours(['-p', POOL, 'rmsnap', 'snap-b']).stdout).toBe(theirs(['-p', POOL, 'rmsnap', 'snap-a']).stdout.replace('snap-a', 'snap-b'));
    expect(ours(['-p', POOL, 'rm', 'by-us', 'by-them']).status).toBe(0);
    expect(theirs(['-p', POOL, 'stat', 'by-us']).status).not.toBe(0);
  });
});
