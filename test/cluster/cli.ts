// `npm run cluster -- start|stop|status|prepare [--release NAME] [--mons N] [--osds N] [--conf-line 'k = v']...`
// start prints the cluster's info as JSON and records it in .cluster/current.json, so a
// shell user can `export CEPH_CONF=$(jq -r .confPath .cluster/current.json)`.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { startCluster, stopDir, daemonPid, type ClusterInfo } from './cluster.ts';
import { currentRelease, prepareRelease, releaseNamed } from './releases.ts';

const STATE = '.cluster/current.json';

async function current(): Promise<ClusterInfo | undefined> {
  try {
    return JSON.parse(await readFile(STATE, 'utf8')) as ClusterInfo;
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const opt = (name: string): string | undefined => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const release = opt('--release') !== undefined ? releaseNamed(opt('--release')!) : currentRelease();
  if (cmd === 'prepare') {
    console.log(prepareRelease(release, (l) => console.error(l)));
    return 0;
  }
  if (cmd === 'start') {
    if (await current()) {
      console.error(`a cluster is already recorded in ${STATE}; run 'npm run cluster -- stop' first`);
      return 1;
    }
    const extraConf: string[] = [];
    rest.forEach((a, i) => a === '--conf-line' && rest[i + 1] && extraConf.push(rest[i + 1]!));
    const c = await startCluster({
      release,
      mons: Number(opt('--mons') ?? 1),
      osds: Number(opt('--osds') ?? 3),
      extraConf,
      log: (l) => console.error(l),
    });
    const info: ClusterInfo = {
      release: c.release,
      version: c.version,
      dir: c.dir,
      confPath: c.confPath,
      keyringPath: c.keyringPath,
      fsid: c.fsid,
      monAddrs: c.monAddrs,
      monNames: c.monNames,
      osdIds: c.osdIds,
    };
    await mkdir('.cluster', { recursive: true });
    await writeFile(STATE, JSON.stringify(info, null, 2));
    console.log(JSON.stringify(info, null, 2));
    return 0;
  }
  if (cmd === 'stop') {
    const c = await current();
    if (!c) {
      console.error('no cluster recorded');
      return 1;
    }
    await stopDir(c.dir);
    await rm(STATE, { force: true });
    console.log(`stopped ${c.dir}`);
    return 0;
  }
  if (cmd === 'status') {
    const c = await current();
    if (!c) {
      console.log('no cluster recorded');
      return 1;
    }
    const names = [...c.monNames.map((n) => `mon.${n}`), ...c.osdIds.map((i) => `osd.${i}`), 'mgr.x'];
    for (const n of names) console.log(`${n}: ${(await daemonPid(c.dir, n)) ?? 'no pid file'}`);
    console.log(JSON.stringify(c, null, 2));
    return 0;
  }
  console.error('usage: npm run cluster -- start|stop|status|prepare [--release pacific|reef|tentacle] [--mons N] [--osds N] [--conf-line "key = value"]...');
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
