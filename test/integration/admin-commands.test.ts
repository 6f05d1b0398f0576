// Rados.osdCommand, pgCommand and pingMonitor beside librados' Python osd_command, pg_command and
// ping_monitor on one cluster: the same return code, status string and output for a command the
// OSD runs, one it refuses, a target the map does not have and an OSD that is down; a PG
// command at the PG's primary; a monitor's health report from a connection of its own.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { MonCommandResult } from '../../src/index.ts';
import { usePoolCluster } from './pool-cluster.ts';
import { errnoOf, pyEval } from './pybind-eval.ts';

const POOL = 'admcmd';
const env = usePoolCluster([POOL], { mgr: true, osds: 3 });

/** Python's (ret, outbuf, outs) as pybind-eval prints it (outbuf as latin-1 text). */
type PyCommand = [number, string, string];

const ours = (r: MonCommandResult): PyCommand => [r.code, r.outputText, r.status];

function theirs(code: string): PyCommand {
  const out = pyEval<PyCommand>(env.cluster, POOL, `import json\nresult = ${code}`);
  expect(out.raised, JSON.stringify(out)).toBeUndefined();
  return out.result!;
}

describe('Rados.osdCommand', () => {
  it('runs a command on the OSD and returns what librados returns: code, output, status', async () => {
    const { rados } = env;
    const py = theirs(`cluster.osd_command(0, json.dumps({"prefix": "version"}), b'')`);
    expect(py[0]).toBe(0);
    expect(ours(await rados.osdCommand(0, { prefix: 'version' }))).toEqual(py);
    expect(JSON.parse(py[1])).toHaveProperty('version');
    // A command text as given, the input buffer passed along.
    expect(ours(await rados.osdCommand(1, '{"prefix": "version"}', new Uint8Array(0)))).toEqual(theirs(`cluster.osd_command(1, '{"prefix": "version"}', b'')`));
  });

  it('the errors librados returns: unknown command, bad JSON, an OSD id the map has not, a negative one', async () => {
    const { rados } = env;
    const cases: Array<[number, string]> = [
      [0, '{"prefix": "no such command"}'],
      [0, 'not json'],
      [99, '{"prefix": "version"}'],
      [-1, '{"prefix": "version"}'],
    ];
    for (const [osd, cmd] of cases) {
      const py = theirs(`cluster.osd_command(${osd}, ${JSON.stringify(cmd)}, b'')`);
      expect(py[0], `${osd} ${cmd}`).toBeLessThan(0);
      expect(ours(await rados.osdCommand(osd, cmd)), `${osd} ${cmd}`).toEqual(py);
    }
  });
});

describe('Rados.pgCommand', () => {
  it('queries a PG at its primary as librados does, and refuses a pool that does not exist', async () => {
    const { rados, io } = env;
    const pgid = `${io.poolId}.0`;
    const cmd = JSON.stringify({ prefix: 'query', pgid });
    const py = theirs(`cluster.pg_command('${pgid}', ${JSON.stringify(cmd)}, b'')`);
    const r = await rados.pgCommand(pgid, cmd);
    expect([r.code, r.status]).toEqual([py[0], py[2]]);
    expect(r.code).toBe(0);
    // The query's timestamps move between the two calls; who answered and what it maps do not.
    const pick = (text: string): unknown => {
      const q = JSON.parse(text) as { info: { pgid: string }; up: number[]; acting: number[]; state: string };
      return { pgid: q.info.pgid, up: q.up, acting: q.acting, state: q.state };
    };
    expect(pick(r.outputText)).toEqual(pick(py[1]));
    for (const [pg, c] of [
      ['77.0', JSON.stringify({ prefix: 'query', pgid: '77.0' })],
      [pgid, JSON.stringify({ prefix: 'no such command', pgid })],
    ] as const) {
      const p = theirs(`cluster.pg_command('${pg}', ${JSON.stringify(c)}, b'')`);
      expect(p[0], c).toBeLessThan(0);
      expect(ours(await rados.pgCommand(pg, c)), c).toEqual(p);
    }
  });

  it('a pgid that does not parse: -EINVAL, as rados_pg_command and `ceph pg ID query` say it', async () => {
    // Not Python's pg_command: its binding then decodes out buffers librados never filled
    // (Pacific raises MemoryError, Reef UnicodeDecodeError, Tentacle's interpreter may die).
    let status: number | null = null;
    try {
      execFileSync('ceph', ['-c', env.cluster.confPath, 'pg', 'zz', 'query'], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number | null }).status;
    }
    const r = await env.rados.pgCommand('zz', { prefix: 'query' });
    expect(ours(r)).toEqual([-(status ?? 0), '', '']);
    expect(r.code).toBe(-22);
  });
});

/**
 * pyEval for ping_monitor, tried up to three times: Reef's librados has been seen to end the
 * Python process abnormally after a ping (its MonClientPinger's own messenger going down).
 */
function pyPing<T>(code: string): ReturnType<typeof pyEval<T>> {
  for (let i = 0; ; i++) {
    try {
      return pyEval<T>(env.cluster, POOL, code);
    } catch (e) {
      if (i === 2) throw e;
    }
  }
}

describe('Rados.pingMonitor', () => {
  it("returns the monitor's health and status report, as librados; ENOENT and EINVAL as librados", async () => {
    const { cluster, rados } = env;
    const mon = cluster.monNames[0]!;
    const py = pyPing<string>(`result = cluster.ping_monitor('${mon}')`).result!;
    const text = await rados.pingMonitor(mon);
    type Pong = { health: { status: string; checks: Record<string, unknown> }; mon_status: { name: string; rank: number; state: string; quorum: number[] } };
    const a = JSON.parse(text) as Pong;
    const b = JSON.parse(py) as Pong;
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(Object.keys(a.mon_status)).toEqual(Object.keys(b.mon_status));
    expect([a.mon_status.name, a.mon_status.rank, a.mon_status.state, a.mon_status.quorum]).toEqual([
      b.mon_status.name,
      b.mon_status.rank,
      b.mon_status.state,
      b.mon_status.quorum,
    ]);
    expect(a.health.status).toBe(b.health.status);
    for (const id of ['zz', '']) {
      const p = pyPing(`result = cluster.ping_monitor('${id}')`);
      expect(p.errno, id).toBeGreaterThan(0);
      expect(await errnoOf(rados.pingMonitor(id)), id).toBe(p.errno);
    }
  });
});

describe('Rados.osdCommand to a down OSD', () => {
  it('-ENXIO "osd down" as librados, once the map has it down', async () => {
    const { cluster, rados } = env;
    await cluster.stopDaemon('osd.2');
    for (let i = 0; i < 120; i++) {
      const dump = JSON.parse(await cluster.ceph(['osd', 'dump', '--format', 'json'])) as { osds: Array<{ osd: number; up: number }> };
      if (dump.osds.find((o) => o.osd === 2)?.up === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const py = theirs(`cluster.osd_command(2, json.dumps({"prefix": "version"}), b'')`);
    expect(py[0]).toBeLessThan(0);
    expect(ours(await rados.osdCommand(2, { prefix: 'version' }))).toEqual(py);
  });
});

describe('Rados.mgrCommand', () => {
  it('runs a command on the active manager and returns what librados returns; target names a manager as librados', async () => {
    const { rados } = env;
    // `pg stat` is the manager's; its counters may move between the two calls: compare the code and status, and the output's shape.
    for (const cmd of [{ prefix: 'pg stat', format: 'json' }, { prefix: 'no such command' }]) {
      const text = JSON.stringify(cmd);
      const py = theirs(`cluster.mgr_command(${JSON.stringify(text)}, b'')`);
      const r = await rados.mgrCommand(cmd);
      expect([r.code, r.status], text).toEqual([py[0], py[2]]);
      if (r.code === 0) expect(Object.keys(JSON.parse(r.outputText) as object)).toEqual(Object.keys(JSON.parse(py[1]) as object));
      else expect(r.outputText).toBe(py[1]);
    }
    // The cluster's one manager, mgr.x, by name. (A name that is no manager is left out: librados
    // answers -ENXIO on a Reef or Tentacle cluster but waits without end on a Pacific one.)
    const tell = JSON.stringify({ prefix: 'no such command' });
    const py = theirs(`cluster.mgr_command(${JSON.stringify(tell)}, b'', target='x')`);
    expect(py[0]).toBeLessThan(0);
    expect(ours(await rados.mgrCommand(tell, undefined, { target: 'x' }))).toEqual(py);
  });
});
