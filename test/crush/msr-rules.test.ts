// MSR rules (msr_firstn / msr_indep, Squid+) against Tentacle's crushtool, whatever release the
// suite runs against (Pacific's and Reef's crushtool do not know them): maps compiled from text
// by Tentacle's crushtool, `--test --show-mappings` line for line over several num-rep values,
// with OSDs reweighted and marked out (--weight), a pool id, per-position choose_args; a pool
// whose crush_rule is an MSR rule against Tentacle's osdmaptool. Then the rules Ceph cannot run:
// we refuse them with UnsupportedRuleError where crushtool crashes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrushMap } from '../../crush/crush-map.ts';
import { decodeCrushMap } from '../../crush/decode-crush-map.ts';
import { doRule } from '../../crush/mapper.ts';
import { UnsupportedRuleError } from '../../crush/rule-error.ts';
import { osdmapCommand } from '../../src/cli/osdmap-commands.ts';
import { prepareRelease, releaseNamed, releaseTool } from '../cluster/releases.ts';
import { crushtool, crushtoolMappings, readMap } from './crushtool.ts';
import { msrMap, type MsrMapOptions, msrRules, osdsOfHost } from './msr-map.ts';
import { crushtoolArgs, firstDiff, ourMappings, type TestParams } from './ours.ts';

const tentacle = releaseNamed('tentacle');
let tool = '';
// /tmp is shared with the release's chroot at the same path.
const dir = mkdtempSync('/tmp/rados-ts-msr-');
let compared = 0;
beforeAll(() => {
  prepareRelease(tentacle);
  tool = releaseTool(tentacle, 'crushtool');
}, 1_800_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`msr-rules: ${compared} mappings compared with Tentacle's crushtool`);
});

const JEWEL = {
  choose_local_tries: 0,
  choose_local_fallback_tries: 0,
  choose_total_tries: 50,
  chooseleaf_descend_once: 1,
  chooseleaf_vary_r: 1,
  chooseleaf_stable: 1,
  straw_calc_version: 1,
  allowed_bucket_algs: 54,
};

function compile(name: string, text: string): string {
  const src = join(dir, `${name}.txt`);
  const out = join(dir, name);
  writeFileSync(src, text);
  crushtool(['-c', src, '-o', out], tool);
  return out;
}

function compare(map: string, decoded: CrushMap, p: TestParams): void {
  const theirs = crushtoolMappings(map, crushtoolArgs(p), tool);
  const ours = ourMappings(decoded, p);
  expect(theirs.length).toBeGreaterThan(0);
  expect(firstDiff(ours, theirs), `${map} ${crushtoolArgs(p).join(' ')}`).toBeUndefined();
  compared += theirs.length;
}

const base: Omit<MsrMapOptions, 'alg' | 'tunables' | 'classes' | 'chooseArgs' | 'emptyHost'> = {
  racks: 3,
  hostsPerRack: 3,
  osdsPerHost: (h) => 3 + (h % 3),
  weight: (i) => (i % 7 === 6 ? 0 : 0.5 + (i % 4) * 0.75),
};

// Maps keep Ceph's default msr_descents / msr_collision_tries (100 / 100) in one case only: a
// rule asked for more replicas than it can place exhausts every descent and collision try, on
// both sides, and the limits only scale that cost.
const FEW = { msr_descents: 12, msr_collision_tries: 6 };
const CASES: Array<{ name: string; o: MsrMapOptions; heavyX?: number }> = [
  { name: 'straw2-args', o: { ...base, alg: 'straw2', tunables: JEWEL, classes: true, chooseArgs: true, emptyHost: true }, heavyX: 32 },
  { name: 'straw2-tight', o: { ...base, alg: 'straw2', tunables: { ...JEWEL, msr_descents: 3, msr_collision_tries: 2 }, classes: false, chooseArgs: false, emptyHost: false } },
  { name: 'straw', o: { ...base, alg: 'straw', tunables: { ...JEWEL, ...FEW }, classes: true, chooseArgs: false, emptyHost: true } },
  { name: 'list', o: { ...base, alg: 'list', tunables: { ...JEWEL, ...FEW }, classes: true, chooseArgs: true, emptyHost: false } },
  { name: 'tree', o: { ...base, alg: 'tree', tunables: { ...JEWEL, ...FEW }, classes: true, chooseArgs: false, emptyHost: true } },
  { name: 'uniform', o: { ...base, alg: 'uniform', tunables: { ...JEWEL, ...FEW }, classes: false, chooseArgs: false, emptyHost: false } },
];

describe("MSR rules against Tentacle's crushtool", () => {
  for (const { name, o, heavyX = 64 } of CASES) {
    it(`${name} hosts: ${msrRules(o.classes).length} rules, 1 to 3 levels, reweights and outs`, () => {
      const map = compile(name, msrMap(o));
      const decoded = decodeCrushMap(readMap(map));
      expect(decoded.tunables.msrDescents).toBe(o.tunables.msr_descents ?? 100);
      expect(decoded.tunables.msrCollisionTries).toBe(o.tunables.msr_collision_tries ?? 100);
      expect(decoded.rules.every((r) => r && (r.type === 4 || r.type === 5))).toBe(true);
      const outs: Array<Map<number, number>> = [
        new Map<number, number>(),
        new Map([
          [1, 0],
          [4, 0x8000],
          [9, 0x1999],
          [17, 0x4000],
        ]),
        // a whole host out, another one half in
        new Map([...osdsOfHost(o, 1).map((d) => [d, 0] as [number, number]), ...osdsOfHost(o, 4).map((d) => [d, 0x8000] as [number, number])]),
      ];
      // More replicas than some rules can place (3 racks, a 3-osd host): fewer inputs for those.
      for (const weights of outs) {
        for (const numRep of [1, 2, 3]) compare(map, decoded, { minX: 0, maxX: 255, numRep, weights });
        for (const numRep of [4, 6]) compare(map, decoded, { minX: 0, maxX: heavyX - 1, numRep, weights });
        for (const numRep of [8, 11]) compare(map, decoded, { minX: 0, maxX: heavyX / 4 - 1, numRep, weights });
      }
      compare(map, decoded, { minX: 0, maxX: 127, numRep: 5, poolId: 3 });
    });
  }
});

/** One rule in a small map (2 racks of 2 hosts, 15 osds), compiled by Tentacle's crushtool. */
function oneRule(name: string, type: string, steps: string[], weight = base.weight): string {
  const text = msrMap({ ...base, weight, racks: 2, hostsPerRack: 2, alg: 'straw2', tunables: JEWEL, classes: false, chooseArgs: false, emptyHost: false }).replace(
    /# rules[\s\S]*# end crush map/,
    `# rules\nrule ${name} {\n\tid 0\n\ttype ${type}\n${steps.map((s) => `\tstep ${s}`).join('\n')}\n}\n\n# end crush map`,
  );
  return compile(name, text);
}

/** Whether crushtool dies on the map: an assert, a segfault, or a heap error after which its crash handler hangs (killed). */
function crushtoolFails(map: string): boolean {
  try {
    crushtoolMappings(map, ['--min-x', '0', '--max-x', '3', '--num-rep', '3'], tool, 5_000);
    return false;
  } catch {
    return true;
  }
}

describe("a pool placed by an MSR rule, against Tentacle's osdmaptool", () => {
  // Since Quincy the pool's crush_rule is the rule id (no mask match): a replicated pool can
  // name an msr_firstn rule (or, unchecked by osdmaptool, an msr_indep one, whose holes the
  // replicated pool then drops). No zero CRUSH weights here: Tentacle's osdmaptool --mark-up-in
  // also sets those to 1.0 (Pacific's does not, and our osdmap CLI follows Pacific's).
  const rules: Array<[string, string, string[]]> = [
    ['pool_host_osd', 'msr_firstn', ['take default', 'choosemsr 0 type host', 'choosemsr 1 type osd', 'emit']],
    ['pool_rack_host_osd', 'msr_firstn', ['take default', 'choosemsr 2 type rack', 'choosemsr 2 type host', 'choosemsr 1 type osd', 'emit']],
    ['pool_indep', 'msr_indep', ['take default', 'choosemsr 2 type host', 'choosemsr 2 type osd', 'emit']],
  ];
  for (const [name, type, steps] of rules) {
    it(`${name} (${type}): --test-map-pgs-dump up/in, with an osd out`, async () => {
      const osdmaptool = releaseTool(tentacle, 'osdmaptool');
      const crush = oneRule(name, type, steps, (i) => 0.5 + (i % 4) * 0.75);
      const om = join(dir, `${name}.osdmap`);
      const run = (args: string[]): string => execFileSync(osdmaptool, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
      run(['--createsimple', String(decodeCrushMap(readMap(crush)).maxDevices), '--with-default-pool', '--pg_bits', '5', '--pgp_bits', '4', '--clobber', om]);
      run([om, '--import-crush', crush]);
      for (const marks of [['--mark-up-in'], ['--mark-up-in', '--mark-out', '3']]) {
        const theirs = run([om, ...marks, '--test-map-pgs-dump']);
        let mine = '';
        await osdmapCommand(['test-map-pgs-dump', '--osdmap', om, ...marks], (x) => (mine += x));
        expect(theirs).toContain('[');
        expect(mine).toBe(theirs);
      }
    });
  }
});

describe('rules Ceph cannot run are refused', () => {
  const cases: Array<{ name: string; type: string; steps: string[]; kind: string }> = [
    // crush_msr_emit_result's assert: the block is emitted until the output is full
    { name: 'take_device', type: 'msr_firstn', steps: ['take osd.0', 'emit'], kind: 'descent' },
    // crush_msr_choose asserts its step is a choosemsr
    { name: 'take_emit', type: 'msr_indep', steps: ['take default', 'emit'], kind: 'descent' },
    // a device reached where a rack was asked: buckets[-1 - device], a segfault
    { name: 'no_such_level', type: 'msr_indep', steps: ['take h0', 'choosemsr 2 type host', 'choosemsr 1 type osd', 'emit'], kind: 'descent' },
    // a negative count sizes a stack array: a segfault
    { name: 'negative_count', type: 'msr_indep', steps: ['take default', 'choosemsr -1 type host', 'choosemsr 1 type osd', 'emit'], kind: 'step op' },
    // the classic descent skips choosemsr and emits the bucket it took (then frees twice)
    { name: 'msr_step_classic_rule', type: 'replicated', steps: ['take default', 'choosemsr 2 type host', 'emit'], kind: 'step op' },
  ];
  for (const c of cases) {
    it(`${c.name}: crushtool crashes, we throw UnsupportedRuleError (${c.kind})`, { timeout: 30_000 }, () => {
      const map = oneRule(c.name, c.type, c.steps);
      expect(crushtoolFails(map)).toBe(true);
      const decoded = decodeCrushMap(readMap(map));
      const w = new Array<number>(decoded.maxDevices).fill(0x10000);
      let err: unknown;
      try {
        doRule(decoded, 0, 1, 3, w);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnsupportedRuleError);
      expect((err as UnsupportedRuleError).kind).toBe(c.kind);
      expect((err as UnsupportedRuleError).rule).toBe(0);
    });
  }

  it('rule types and step ops outside crush.h are refused by code, not mapped', () => {
    const map = decodeCrushMap(readMap(oneRule('plain', 'msr_indep', ['take default', 'choosemsr 0 type host', 'choosemsr 1 type osd', 'emit'])));
    const w = new Array<number>(map.maxDevices).fill(0x10000);
    const rule = map.rules[0]!;
    expect(doRule(map, 0, 1, 3, w)).toHaveLength(3);
    for (const [type, op, what] of [
      [2, 1, 'rule type 2'],
      [1, 5, 'step op 5'],
      [3, 17, 'step op 17'],
      [4, 99, 'step op 99'],
    ] as const) {
      const m: CrushMap = { ...map, rules: [{ ...rule, type, steps: rule.steps.map((s, i) => (i === 1 ? { ...s, op } : s)) }] };
      expect(() => doRule(m, 0, 1, 3, w)).toThrow(UnsupportedRuleError);
      expect(() => doRule(m, 0, 1, 3, w)).toThrow(what);
    }
  });
});
