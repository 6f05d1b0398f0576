import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { currentRelease, prepareRelease, releaseFileExists, releaseTool, type CephRelease, type CephTool } from './releases.ts';

const run = promisify(execFile);

export interface ClusterOptions {
  /** The Ceph release whose daemons and tools to run. Default: `CEPH_RELEASE`, else pacific. */
  release?: CephRelease;
  /** Monitors to start (1 or 3). Default 1. */
  mons?: number;
  /** memstore OSDs to start. Default 3. */
  osds?: number;
  /** Start a manager (needed for `ceph pg dump`, `ceph osd pool autoscale-status`…). Default true. */
  mgr?: boolean;
  /** Extra lines for the [global] section of ceph.conf, e.g. `ms_mon_service_mode = secure`. */
  extraConf?: string[];
  /** `osd pool default size`. Default 1 (a pool is usable with one OSD up). */
  poolSize?: number;
  /** Where to make the cluster's directory. Default: the OS temp dir. */
  baseDir?: string;
  /** How long to wait for every daemon to come up. Default 120 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** What a started cluster offers its user. Serializable (vitest passes it to test workers). */
export interface ClusterInfo {
  /** The release's name (releases.ts), e.g. 'tentacle'. */
  release: string;
  /** `ceph --version` of that release. */
  version: string;
  dir: string;
  confPath: string;
  keyringPath: string;
  fsid: string;
  /** `[v2:127.0.0.1:P,v1:127.0.0.1:Q]` per monitor. */
  monAddrs: string[];
  /** Monitor names (a, b, c) in rank order. */
  monNames: string[];
  osdIds: number[];
}

export interface Cluster extends ClusterInfo {
  /** Runs the `ceph` CLI against this cluster; returns stdout. */
  ceph(args: string[], input?: string): Promise<string>;
  /** Ends the processes this cluster started (by pid) and removes its directory. */
  stop(): Promise<void>;
  /** Stops one daemon ('osd.1', 'mon.a') with a signal and waits for it to exit. */
  stopDaemon(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts an OSD again after stopDaemon (memstore keeps its data across a SIGTERM stop). */
  startOsd(id: number): Promise<void>;
  /**
   * Starts a stopped OSD again on an empty store, under its id, uuid and key: a failed disk
   * replaced. What a SIGKILL leaves of a memstore OSD must be treated so: memstore saves only
   * when unmounted, so restarting it on what it last saved would bring the OSD back with an
   * older store that claims to be current (an OSD whose disk silently went back in time, a
   * fault no Ceph object store has and peering cannot detect, e.g. after a PG merge, whose
   * merged log is empty).
   */
  replaceOsd(id: number): Promise<void>;
  /** Starts a monitor again after stopDaemon (its store is on disk). */
  startMon(name: string): Promise<void>;
}

/** Finds free TCP ports on 127.0.0.1 by binding port 0 (all held open together so they differ). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

function confText(o: { fsid: string; dir: string; monHost: string; poolSize: number; extra: string[]; classDir: string }): string {
  return (
    [
      '[global]',
      `fsid = ${o.fsid}`,
      `mon host = ${o.monHost}`,
      'auth cluster required = cephx',
      'auth service required = cephx',
      'auth client required = cephx',
      `osd pool default size = ${o.poolSize}`,
      'osd pool default min size = 1',
      'osd crush chooseleaf type = 0',
      'mon allow pool delete = true',
      'mon allow pool size one = true',
      'mon warn on pool no redundancy = false',
      'osd objectstore = memstore',
      'memstore device bytes = 1073741824',
      `run dir = ${o.dir}`,
      `admin socket = ${o.dir}/$name.asok`,
      `pid file = ${o.dir}/$name.pid`,
      `log file = ${o.dir}/$name.log`,
      `keyring = ${o.dir}/keyring`,
      'ms bind msgr1 = true',
      'ms bind msgr2 = true',
      'mon data avail warn = 1',
      'mon data avail crit = 0',
      `osd data = ${o.dir}/$name`,
      `mon data = ${o.dir}/$name`,
      `mgr data = ${o.dir}/$name`,
      `osd class dir = ${o.classDir}`,
      'public addr = 127.0.0.1',
      // A throwaway cluster: fast OSD failure detection and no mgr modules we don't need.
      'osd heartbeat grace = 8',
      'mon osd down out interval = 0',
      'mgr initial modules = ',
      // memstore saves its store only when unmounted: a fast shutdown (Ceph's default) skips
      // that, so an OSD stopped with SIGTERM would come back having lost every write since
      // its start (the thrasher found unfound objects that way). Stopped cleanly, it keeps them.
      'osd fast shutdown = false',
    ]
      // An extra line replaces a base line with the same key (Ceph would keep the first).
      .filter((line) => !o.extra.some((x) => confKey(x) !== '' && confKey(x) === confKey(line)))
      .concat(o.extra, [''])
      .join('\n')
  );
}

/** A ceph.conf key in canonical form: `osd_pool_default_size` for `osd pool default size = 3`. */
function confKey(line: string): string {
  const eq = line.indexOf('=');
  return eq < 0
    ? ''
    : line
        .slice(0, eq)
        .trim()
        .replace(/[\s_]+/g, '_')
        .toLowerCase();
}

/** Where the release's OSD finds its object classes (a path as the daemon sees it). */
function classDir(r: CephRelease): string {
  for (const d of ['/usr/lib/x86_64-linux-gnu/rados-classes', '/usr/lib/aarch64-linux-gnu/rados-classes', '/usr/lib/rados-classes', '/usr/lib64/rados-classes']) {
    if (releaseFileExists(r, join(d, 'libcls_rbd.so'))) return d;
  }
  throw new Error(`cls_rbd not found for ${r.name}: is ceph-osd installed?`);
}

async function tail(path: string, lines = 30): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts a daemon that daemonizes itself; resolves once it has forked (its pid file appears later).
 * Its stderr goes to a file, not a pipe: the forked daemon keeps that descriptor, and a pipe only
 * drains while this process's event loop runs, so a test blocked in spawnSync/execFileSync left
 * the daemons blocked on their stderr (each CLI call of a test then took seconds).
 */
async function startDaemon(bin: string, args: string[]): Promise<void> {
  const errPath = join(tmpdir(), `rados-ts-daemon-${randomUUID()}.stderr`);
  const fd = openSync(errPath, 'w');
  try {
    await new Promise<void>((resolve, reject) => {
      const p = spawn(bin, args, { stdio: ['ignore', 'ignore', fd] });
      p.on('error', reject);
      p.on('exit', (code) => {
        if (code === 0) {
          resolve();
          return;
        }
        void readFile(errPath, 'utf8').then(
          (err) => reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${err.trim()}`)),
          () => reject(new Error(`${bin} ${args.join(' ')} exited ${code}`)),
        );
      });
    });
  } finally {
    closeSync(fd);
    await rm(errPath, { force: true });
  }
}

async function readPid(path: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Boots a throwaway Ceph cluster on loopback: monitors on free ports with msgr2 and
 * msgr1, memstore OSDs, cephx everywhere, `osd class dir` set so cls_rbd and cls_lock
 * load. Ready means quorum, every OSD up and in, and a pool could be created.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  const release = opts.release ?? currentRelease();
  const version = prepareRelease(release, log);
  const tool = (t: CephTool): string => releaseTool(release, t);
  const nMons = opts.mons ?? 1;
  const nOsds = opts.osds ?? 3;
  const withMgr = opts.mgr ?? true;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const started = Date.now();
  const dir = await mkdtemp(join(opts.baseDir ?? tmpdir(), 'rados-ts-'));
  const fsid = randomUUID();
  const monNames = ['a', 'b', 'c', 'd', 'e'].slice(0, nMons);
  const ports = await freePorts(nMons * 2);
  const monAddrs = monNames.map((_, i) => `[v2:127.0.0.1:${ports[2 * i]},v1:127.0.0.1:${ports[2 * i + 1]}]`);
  const confPath = join(dir, 'ceph.conf');
  const keyringPath = join(dir, 'keyring');
  const osdIds: number[] = [];
  /** Each OSD's uuid and key, to mkfs it again (replaceOsd). */
  const osdIdentity = new Map<number, { uuid: string; secret: string }>();
  const env = { ...process.env, CEPH_CONF: confPath };

  const cluster: Cluster = {
    release: release.name,
    version,
    dir,
    confPath,
    keyringPath,
    fsid,
    monAddrs,
    monNames,
    osdIds,
    async ceph(args, input) {
      const child = run(tool('ceph'), ['-c', confPath, '--connect-timeout', '30', ...args], { env, maxBuffer: 256 << 20 });
      if (input !== undefined) {
        child.child.stdin?.end(input);
      }
      return (await child).stdout;
    },
    async stop() {
      await stopDir(dir);
    },
    async stopDaemon(name, signal = 'SIGTERM') {
      const pid = await daemonPid(dir, name);
      if (pid === undefined) throw new Error(`no pid file for ${name}`);
      try {
        process.kill(pid, signal);
      } catch {
        return;
      }
      const deadline = Date.now() + 30_000;
      while (alive(pid) && Date.now() < deadline) await sleep(100);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      while (alive(pid)) await sleep(50);
    },
    async startMon(name) {
      await startDaemon(tool('ceph-mon'), ['-c', confPath, '-i', name]);
    },
    async startOsd(id) {
      await startDaemon(tool('ceph-osd'), ['-c', confPath, '-i', String(id), '--keyring', join(dir, `osd.${id}`, 'keyring')]);
    },
    async replaceOsd(id) {
      const who = osdIdentity.get(id);
      if (!who) throw new Error(`osd.${id} was not made by this cluster`);
      const odir = join(dir, `osd.${id}`);
      // Everything but the keyring goes: mkfs refuses a store that is there already.
      for (const f of await readdir(odir)) if (f !== 'keyring') await rm(join(odir, f), { recursive: true, force: true });
      await run(tool('ceph-osd'), ['-c', confPath, '-i', String(id), '--mkfs', '--key', who.secret, '--osd-uuid', who.uuid]);
      await cluster.startOsd(id);
    },
  };

  const daemonLogs = (): Promise<string> =>
    Promise.all(
      [...monNames.map((n) => `mon.${n}`), ...osdIds.map((i) => `osd.${i}`), ...(withMgr ? ['mgr.x'] : [])].map(
        async (n) => `--- ${n}.log (tail) ---\n${await tail(join(dir, `${n}.log`))}`,
      ),
    ).then((parts) => parts.join('\n'));

  try {
    await writeFile(confPath, confText({ fsid, dir, monHost: monAddrs.join(','), poolSize: opts.poolSize ?? 1, extra: opts.extraConf ?? [], classDir: classDir(release) }));
    await run(tool('ceph-authtool'), ['--create-keyring', keyringPath, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
    await run(tool('ceph-authtool'), [
      keyringPath,
      '--gen-key',
      '-n',
      'client.admin',
      '--cap',
      'mon',
      'allow *',
      '--cap',
      'osd',
      'allow *',
      '--cap',
      'mgr',
      'allow *',
      '--cap',
      'mds',
      'allow *',
    ]);
    const monmap = join(dir, 'monmap');
    await run(tool('monmaptool'), ['--create', '--clobber', '--fsid', fsid, ...monNames.flatMap((n, i) => ['--addv', n, monAddrs[i]!]), monmap]);
    await Promise.all(monNames.map((n) => run(tool('ceph-mon'), ['-c', confPath, '--mkfs', '-i', n, '--monmap', monmap, '--keyring', keyringPath])));
    await Promise.all(monNames.map((n) => startDaemon(tool('ceph-mon'), ['-c', confPath, '-i', n])));
    log(`mons started in ${Date.now() - started} ms`);

    if (withMgr) {
      await mkdir(join(dir, 'mgr.x'), { recursive: true });
      await cluster.ceph(['auth', 'get-or-create', 'mgr.x', 'mon', 'allow profile mgr', 'osd', 'allow *', 'mds', 'allow *', '-o', join(dir, 'mgr.x', 'keyring')]);
      await startDaemon(tool('ceph-mgr'), ['-c', confPath, '-i', 'x', '--keyring', join(dir, 'mgr.x', 'keyring')]);
    }

    // Create OSD ids one by one (ids are allocated in order), then mkfs and start them together.
    const osds: Array<{ id: number; uuid: string; secret: string }> = [];
    for (let i = 0; i < nOsds; i++) {
      const uuid = randomUUID();
      const secret = (await run(tool('ceph-authtool'), ['--gen-print-key'])).stdout.trim();
      const id = Number((await cluster.ceph(['osd', 'new', uuid, '-i', '-'], JSON.stringify({ cephx_secret: secret }))).trim());
      osds.push({ id, uuid, secret });
      osdIds.push(id);
      osdIdentity.set(id, { uuid, secret });
    }
    await Promise.all(
      osds.map(async ({ id, uuid, secret }) => {
        const odir = join(dir, `osd.${id}`);
        await mkdir(odir, { recursive: true });
        await run(tool('ceph-osd'), ['-c', confPath, '-i', String(id), '--mkfs', '--key', secret, '--osd-uuid', uuid]);
        await run(tool('ceph-authtool'), ['--create-keyring', join(odir, 'keyring'), '--name', `osd.${id}`, '--add-key', secret]);
        await startDaemon(tool('ceph-osd'), ['-c', confPath, '-i', String(id), '--keyring', join(odir, 'keyring')]);
      }),
    );
    log(`osds started in ${Date.now() - started} ms`);

    // Ready: every OSD up and in.
    for (;;) {
      const stat = JSON.parse(await cluster.ceph(['osd', 'stat', '--format', 'json'])) as { num_up_osds: number; num_in_osds: number };
      if (stat.num_up_osds === nOsds && stat.num_in_osds === nOsds) break;
      if (Date.now() - started > timeoutMs) throw new Error(`only ${stat.num_up_osds}/${nOsds} OSDs up after ${timeoutMs} ms`);
      await sleep(250);
    }
    // …and a pool can be created (and is removed again).
    const probe = `rados-ts-probe-${process.pid}`;
    await cluster.ceph(['osd', 'pool', 'create', probe, '8']);
    await cluster.ceph(['osd', 'pool', 'rm', probe, probe, '--yes-i-really-really-mean-it']);
    log(`cluster ready in ${Date.now() - started} ms at ${dir}`);
    return cluster;
  } catch (err) {
    const logs = await daemonLogs();
    await stopDir(dir).catch(() => {});
    throw new Error(`Ceph cluster failed to start: ${(err as Error).message}\n${logs}`, { cause: err });
  }
}

/** Pids of the daemons a cluster directory's pid files name. */
async function daemonPids(dir: string): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const pids = await Promise.all(names.filter((n) => n.endsWith('.pid')).map((n) => readPid(join(dir, n))));
  return pids.filter((p): p is number => p !== undefined);
}

/** Ends the daemons a cluster directory started (SIGTERM, then SIGKILL after 10 s) and removes it. */
export async function stopDir(dir: string): Promise<void> {
  const pids = await daemonPids(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  while (pids.some(alive)) await sleep(50);
  await rm(dir, { recursive: true, force: true });
}

/** Pid of one daemon (`mon.a`, `osd.0`) of a running cluster, from its pid file. */
export async function daemonPid(dir: string, name: string): Promise<number | undefined> {
  return readPid(join(dir, `${name}.pid`));
}
