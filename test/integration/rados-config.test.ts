// Rados.confGet / confSet / confReadFile / confParseArgv / confParseEnv beside librados' Python
// conf_get, conf_set, conf_read_file, conf_parse_argv and conf_parse_env, each side connected
// with the same ceph.conf and keyring: the same values (as Ceph prints them), the same errno
// for an unknown option, a value its type refuses and a startup option once connected; files
// and argv refused once connected as librados refuses them; CEPH_ARGS taken at connect.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rados } from '../../src/index.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { pyEval } from './pybind-eval.ts';

const POOL = 'rconf';
const env = usePoolCluster([POOL]);

/** Options this client knows (its table) and some it keeps only as the ceph.conf gives them. */
const OPTIONS = [
  'mon_host',
  'key',
  'keyfile',
  'keyring',
  'fsid',
  'auth_client_required',
  'ms_client_mode',
  'ms_mon_client_mode',
  'ms_type',
  'ms_bind_msgr2',
  'rados_osd_op_timeout',
  'rados_mon_op_timeout',
  'rados_tracing',
  'client_mount_timeout',
  'mon_client_hunt_interval',
  'mon_client_ping_interval',
  'mon_client_hunt_parallel',
  'objecter_inflight_ops',
  'objecter_inflight_op_bytes',
  'objecter_tick_interval',
  'osd_pool_default_size',
  'log_file',
  'log_to_stderr',
  'err_to_stderr',
  'run_dir',
  'admin_socket',
  'debug_rados',
  'debug_ms',
  'debug_objecter',
  'debug_monc',
  'osd_data',
  'osd_heartbeat_grace',
  'mon_allow_pool_delete',
];

/** Python's conf_get of each name after `setup` (None where librados says ENOENT). */
function theirValues(names: string[], setup = ''): Record<string, string | null> {
  const out = pyEval<Record<string, string | null>>(env.cluster, POOL, `${setup}\nresult = {n: cluster.conf_get(n) for n in ${JSON.stringify(names)}}`);
  expect(out.raised, JSON.stringify(out)).toBeUndefined();
  return out.result!;
}

/** Ours, with ENOENT read as Python's None. */
function ourValues(names: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const n of names) {
    try {
      out[n] = env.rados.confGet(n);
    } catch (e) {
      expect((e as { errno?: number }).errno, n).toBe(2);
      out[n] = null;
    }
  }
  return out;
}

function errnoOfSync(f: () => unknown): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { errno?: number }).errno;
  }
}

describe('Rados.confGet', () => {
  it('gives every option as librados prints it from the same ceph.conf, defaults included; ENOENT where librados has none', () => {
    const names = [...OPTIONS, 'no_such_option'];
    const theirs = theirValues(names);
    expect(theirs['no_such_option']).toBeNull();
    expect(theirs['admin_socket']).toMatch(/client\.admin\.asok$/);
    expect(ourValues(names)).toEqual(theirs);
    // Spaces and dashes are underscores.
    expect(env.rados.confGet('rados osd-op timeout')).toBe(theirs['rados_osd_op_timeout']);
  });
});

describe('Rados.confSet', () => {
  it('sets what librados sets and reads back the same; refuses with the same errno', () => {
    const { rados } = env;
    const sets: Array<[string, string]> = [
      ['rados_osd_op_timeout', '7'],
      ['debug_ms', '5'],
      ['debug_rados', '1/3'],
      ['log_to_stderr', '1'],
      ['mon_client_hunt_interval', '2'],
      ['objecter_inflight_ops', '100'],
      ['ms_client_mode', 'secure'],
      ['keyring', '/nowhere/keyring'],
    ];
    const theirs = theirValues(
      sets.map(([n]) => n),
      sets.map(([n, v]) => `cluster.conf_set('${n}', '${v}')`).join('\n'),
    );
    for (const [n, v] of sets) rados.confSet(n, v);
    expect(ourValues(sets.map(([n]) => n))).toEqual(theirs);
    const refused: Array<[string, string]> = [
      ['no_such_option', '1'],
      ['rados_osd_op_timeout', 'abc'],
      ['objecter_inflight_ops', '0x10'],
      ['client_mount_timeout', '2.5'],
      ['ms_bind_msgr2', 'maybe'],
      ['mon_host', '1.2.3.4'],
      ['key', 'AQ=='],
      ['keyfile', '/x'],
      ['run_dir', '/x'],
      ['admin_socket', '/x'],
    ];
    for (const [n, v] of refused) {
      const py = pyEval(env.cluster, POOL, `cluster.conf_set('${n}', '${v}')`);
      expect(py.errno, `${n}=${v}`).toBeGreaterThan(0);
      expect(
        errnoOfSync(() => rados.confSet(n, v)),
        `${n}=${v}`,
      ).toBe(py.errno);
    }
  });
});

describe('Rados.confParseArgv, confParseEnv and confReadFile on a connected handle', () => {
  it('as librados once connected: argv and files ENOSYS, the environment applies nothing', async () => {
    const { cluster, rados } = env;
    const args = ['--rados-osd-op-timeout', '9', 'foo'];
    const py = pyEval(cluster, POOL, `cluster.conf_parse_argv(${JSON.stringify(args)})`);
    expect(py.errno).toBeGreaterThan(0);
    expect(errnoOfSync(() => rados.confParseArgv(args))).toBe(py.errno);
    const file = join(cluster.dir, 'extra.conf');
    writeFileSync(file, '[global]\nrados osd op timeout = 13\n');
    for (const path of [file, join(cluster.dir, 'nope.conf')]) {
      const r = pyEval(cluster, POOL, `cluster.conf_read_file('${path}')`);
      expect(r.errno, path).toBeGreaterThan(0);
      await expect(rados.confReadFile(path), path).rejects.toMatchObject({ errno: r.errno });
    }
    // Options the tests before left alone on our handle, as on librados' fresh one.
    process.env['RADOS_TS_CONF_ARGS'] = '--rados-mon-op-timeout 11 --debug-monc 2/4';
    try {
      const names = ['rados_mon_op_timeout', 'debug_monc'];
      const theirs = theirValues(names, "cluster.conf_parse_env('RADOS_TS_CONF_ARGS')");
      rados.confParseEnv('RADOS_TS_CONF_ARGS');
      expect(ourValues(names)).toEqual(theirs);
    } finally {
      delete process.env['RADOS_TS_CONF_ARGS'];
    }
  });

  it('CEPH_ARGS options are taken at connect, over the ceph.conf, as Python Rados() takes them', async () => {
    const { cluster } = env;
    const names = ['rados_osd_op_timeout', 'debug_ms', 'mon_client_hunt_interval', 'osd_pool_default_size'];
    process.env['CEPH_ARGS'] = '--rados-osd-op-timeout 17 --debug_ms=2/3 --mon-client-hunt-interval 1.5 --osd-pool-default-size 2';
    try {
      const theirs = theirValues(names);
      await using rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
      const ours: Record<string, string> = {};
      for (const n of names) ours[n] = rados.confGet(n);
      expect(ours).toEqual(theirs);
      expect(theirs['rados_osd_op_timeout']).toBe('17');
    } finally {
      delete process.env['CEPH_ARGS'];
    }
  });
});
