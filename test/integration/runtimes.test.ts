// The suite's core under Deno 2 and Bun 1.x (the npm `deno` and `bun` binaries), through the
// built package entry: each runtime runs dist/test/runtimes/core-flow.js (crc and secure mode:
// pools, object I/O, RBD) against the shared cluster and prints a report, checked step by step
// here, and Ceph's own CLI (`rados get`, `rbd export`) then checks that the bytes landed.
// Deno runs with the least it needs: --allow-net for the daemons' hosts and --allow-read for
// ceph.conf and the keyring it names (no --allow-sys, no --allow-env).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ceph, cephJson } from '../cluster/ceph-cli.ts';
import {
  BASE,
  GONE,
  KID,
  MODES,
  OBJ,
  OMAP,
  REPORT_MARKER,
  SNAP,
  XATTR,
  baseData,
  expectedHead,
  expectedKid,
  objData,
  poolName,
  type FlowReport,
  type StepReport,
} from '../runtimes/flow-data.ts';
import { expectBytes, rbdCli } from './rbd-cli.ts';

const cluster = inject('cluster');
const FLOW = resolve('dist/test/runtimes/core-flow.js');
const STEPS = [
  'connect',
  'list-pools',
  'create-pool',
  'object-write-read',
  'object-stat',
  'object-xattr',
  'object-omap',
  'object-remove',
  'rbd-create-write',
  'rbd-snapshot',
  'rbd-clone',
  'rbd-clone-write-read',
  'rbd-remove',
  'wire-mode',
  'close',
];

/** Every host a mon or an OSD listens on: what Deno's --allow-net must name. */
function daemonHosts(): string[] {
  const osds = cephJson<{ osds: Array<{ public_addr: string }> }>(cluster, ['osd', 'dump']).osds.map((o) => o.public_addr);
  const addrs = [...cluster.monAddrs.flatMap((a) => a.replace(/^\[|\]$/g, '').split(',')), ...osds];
  return [...new Set(addrs.map((a) => a.replace(/^v[12]:/, '').replace(/:\d+(\/\d+)?$/, '')))];
}

function commandFor(runtime: 'deno' | 'bun', netAllowed = true): { bin: string; args: string[] } {
  const bin = resolve('node_modules/.bin', runtime);
  if (runtime === 'bun') return { bin, args: ['run', FLOW, cluster.confPath] };
  const perms = [`--allow-read=${cluster.confPath},${cluster.keyringPath}`, ...(netAllowed ? [`--allow-net=${daemonHosts().join(',')}`] : [])];
  return { bin, args: ['run', '--no-prompt', '--no-lock', ...perms, FLOW, cluster.confPath] };
}

async function runFlow(runtime: 'deno' | 'bun', netAllowed = true): Promise<{ report: FlowReport; ms: number }> {
  if (!existsSync(FLOW)) throw new Error(`${FLOW} is missing: build first (npx tsc -b)`);
  const { bin, args } = commandFor(runtime, netAllowed);
  const start = Date.now();
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await promisify(execFile)(bin, args, { encoding: 'utf8', timeout: 240_000, maxBuffer: 64 << 20 }));
  } catch (e) {
    const err = e as { message: string; stdout?: string; stderr?: string };
    throw new Error(`${runtime} ${args.join(' ')} failed: ${err.message}\nstdout:\n${err.stdout ?? ''}\nstderr:\n${err.stderr ?? ''}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_MARKER));
  if (!line) throw new Error(`${runtime} printed no report\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return { report: JSON.parse(line.slice(REPORT_MARKER.length)) as FlowReport, ms: Date.now() - start };
}

/** Step names, each failed one with its error: a failure shows what broke, where. */
const outcome = (steps: StepReport[]): string[] => steps.map((s) => (s.ok ? s.step : `${s.step} FAILED: ${s.error}`));
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the step's detail as the test expects it (an unchecked cast of what the runtime reported)
const detail = <T>(steps: StepReport[], step: string): T => steps.find((s) => s.step === step)?.detail as T;

function rados(pool: string, args: string[]): string {
  return execFileSync('rados', ['-c', cluster.confPath, '-p', pool, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
}

for (const runtime of ['deno', 'bun'] as const) {
  describe(`under ${runtime}`, () => {
    let report: FlowReport;
    beforeAll(async () => {
      ({ report } = await runFlow(runtime));
    }, 300_000);
    afterAll(() => {
      for (const mode of MODES) {
        const pool = poolName(runtime, mode);
        if (cephJson<string[]>(cluster, ['osd', 'pool', 'ls']).includes(pool)) ceph(cluster, ['osd', 'pool', 'delete', pool, pool, '--yes-i-really-really-mean-it']);
      }
    }, 120_000);

    it(`runs in ${runtime} itself`, () => {
      expect(report.runtime.name).toBe(runtime);
      expect(report.runtime.version).toMatch(runtime === 'deno' ? /^2\./ : /^1\./);
    });

    for (const mode of MODES) {
      const pool = poolName(runtime, mode);
      const { rbd, rbdJson, exported } = rbdCli(() => cluster, pool);

      it(`${mode}: connects with cephx, lists and creates pools, object I/O, RBD: every step passes`, () => {
        const steps = report.modes[mode];
        expect(outcome(steps)).toEqual(STEPS);
        expect(detail<{ fsid: string }>(steps, 'connect').fsid).toBe(cluster.fsid);
        expect(detail<{ pools: string[] }>(steps, 'create-pool').pools).toContain(pool);
        expect(cephJson<string[]>(cluster, ['osd', 'pool', 'ls'])).toContain(pool);
        // Every message to the mon and to the OSDs went in the mode asked for.
        const peers = detail<{ peers: Record<string, string[]> }>(steps, 'wire-mode').peers;
        expect(Object.keys(peers).length).toBeGreaterThanOrEqual(2);
        for (const modes of Object.values(peers)) expect(modes).toEqual([mode]);
      });

      it(`${mode}: the rados CLI reads back the object, its xattr and omap; the removed one is gone`, () => {
        const file = join(cluster.dir, `${pool}-${OBJ}`);
        rados(pool, ['get', OBJ, file]);
        expectBytes(new Uint8Array(readFileSync(file)), objData());
        expect(rados(pool, ['getxattr', OBJ, XATTR.name])).toBe(XATTR.value);
        expect(rados(pool, ['listomapkeys', OBJ]).trim().split('\n')).toEqual(Object.keys(OMAP).sort());
        for (const [k, v] of Object.entries(OMAP)) {
          const out = join(cluster.dir, `${pool}-omap-${k}`);
          rados(pool, ['getomapval', OBJ, k, out]);
          expect(readFileSync(out, 'utf8')).toBe(v);
        }
        expect(() => rados(pool, ['stat', GONE])).toThrow(/No such file or directory/);
      });

      it(`${mode}: rbd sees the images, the clone's parent, and exports the bytes written`, () => {
        expect(rbdJson<string[]>(['ls']).sort()).toEqual([BASE, KID]);
        const parent = rbdJson<{ parent?: { pool: string; image: string; snapshot: string } }>(['info', KID]).parent;
        expect(parent).toMatchObject({ pool, image: BASE, snapshot: SNAP });
        expect(rbdJson<Array<{ pool: string; image: string }>>(['children', `${BASE}@${SNAP}`]).map((c) => `${c.pool}/${c.image}`)).toEqual([`${pool}/${KID}`]);
        expect(rbdJson<Array<{ name: string; protected: string }>>(['snap', 'ls', BASE]).map((s) => [s.name, s.protected])).toEqual([[SNAP, 'true']]);
        expectBytes(exported(`${BASE}@${SNAP}`), baseData());
        expectBytes(exported(BASE), expectedHead());
        expectBytes(exported(KID), expectedKid());
        expect(rbd(['status', KID])).toMatch(/Watchers: none/);
      }, 120_000);
    }
  });
}

describe('Deno permissions', () => {
  it('without --allow-net, connect fails at once naming the permission (no retry until the timeout)', async () => {
    const { report, ms } = await runFlow('deno', false);
    for (const mode of MODES) {
      expect(report.modes[mode]).toHaveLength(1);
      expect(report.modes[mode][0]).toMatchObject({ step: 'connect', ok: false });
      expect(report.modes[mode][0]!.error).toMatch(/^ConnectionError: .*Requires net access/);
    }
    expect(ms).toBeLessThan(20_000);
  }, 60_000);
});
