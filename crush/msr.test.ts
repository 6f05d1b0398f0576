// MSR rules on a hand-built map, without Ceph's tools (test/crush/msr-rules.test.ts compares
// with Tentacle's crushtool): the failure-domain and out-device behaviour, holes, and what is
// refused with UnsupportedRuleError.
import { describe, expect, it } from 'vitest';
import { BucketAlg, CRUSH_ITEM_NONE, type CrushBucket, type CrushMap, type CrushRuleStep, LEGACY_TUNABLES, RuleOp, RuleType } from './crush-map.ts';
import { doRule } from './mapper.ts';
import { UnsupportedRuleError } from './rule-error.ts';

const EMPTY = new Uint32Array(0);
function straw2(id: number, type: number, items: number[]): CrushBucket {
  const w = new Uint32Array(items.length).fill(0x10000);
  return {
    id,
    type,
    alg: BucketAlg.STRAW2,
    hash: 0,
    weight: 0x10000 * items.length,
    size: items.length,
    items: Int32Array.from(items),
    itemWeight: 0,
    itemWeights: w,
    sumWeights: EMPTY,
    nodeWeights: EMPTY,
    numNodes: 0,
    straws: EMPTY,
  };
}

/** root -1 (type 2) > hosts -2..-5 (type 1) > 3 osds each (0..11). */
function map(type: number, steps: Array<[number, number, number]>): CrushMap {
  const hosts = [0, 1, 2, 3].map((h) => straw2(-2 - h, 1, [3 * h, 3 * h + 1, 3 * h + 2]));
  const rule = { ruleset: 0, type, minSize: 1, maxSize: 10, steps: steps.map(([op, arg1, arg2]): CrushRuleStep => ({ op, arg1, arg2 })) };
  return {
    buckets: [straw2(-1, 2, [-2, -3, -4, -5]), ...hosts],
    rules: [rule],
    maxDevices: 12,
    encodedMaxDevices: 12,
    tunables: { ...LEGACY_TUNABLES },
    typeNames: new Map(),
    itemNames: new Map(),
    ruleNames: new Map(),
    classMap: new Map(),
    className: new Map(),
    classBucket: new Map(),
    chooseArgs: new Map(),
  };
}

const hostOf = (osd: number): number => Math.floor(osd / 3);
const TWO_BY_TWO: Array<[number, number, number]> = [
  [RuleOp.TAKE, -1, 0],
  [RuleOp.CHOOSE_MSR, 2, 1],
  [RuleOp.CHOOSE_MSR, 2, 0],
  [RuleOp.EMIT, 0, 0],
];

describe('MSR rules', () => {
  it('choosemsr 2 host, 2 osd: two osds on each of two hosts; an out osd moves within its stride', () => {
    const m = map(RuleType.MSR_INDEP, TWO_BY_TWO);
    const all = new Array<number>(12).fill(0x10000);
    for (let x = 0; x < 200; x++) {
      const r = doRule(m, 0, x, 4, all);
      expect(r).toHaveLength(4);
      expect(new Set(r).size).toBe(4);
      expect(hostOf(r[0]!)).toBe(hostOf(r[1]!));
      expect(hostOf(r[2]!)).toBe(hostOf(r[3]!));
      expect(hostOf(r[0]!)).not.toBe(hostOf(r[2]!));
      // indep: marking one out changes only its own position
      const w = [...all];
      w[r[1]!] = 0;
      const again = doRule(m, 0, x, 4, w);
      expect([again[0], again[2], again[3]]).toEqual([r[0], r[2], r[3]]);
      expect(again[1]).not.toBe(r[1]);
      expect(hostOf(again[1]!)).not.toBe(hostOf(r[2]!));
    }
  });

  it('msr_firstn returns only what it found; msr_indep leaves CRUSH_ITEM_NONE holes', () => {
    const steps: Array<[number, number, number]> = [
      [RuleOp.TAKE, -1, 0],
      [RuleOp.CHOOSE_MSR, 0, 1],
      [RuleOp.CHOOSE_MSR, 1, 0],
      [RuleOp.EMIT, 0, 0],
    ];
    const w = new Array<number>(12).fill(0x10000);
    for (let x = 0; x < 10; x++) {
      expect(doRule(map(RuleType.MSR_FIRSTN, steps), 0, x, 6, w)).toHaveLength(4); // 4 hosts
      const indep = doRule(map(RuleType.MSR_INDEP, steps), 0, x, 6, w);
      expect(indep).toHaveLength(6);
      expect(indep.filter((o) => o === CRUSH_ITEM_NONE)).toHaveLength(2);
    }
  });

  it('a rule that is not TAKE, CHOOSE_MSR*, EMIT blocks maps nothing (as Ceph)', () => {
    const w = new Array<number>(12).fill(0x10000);
    const classic = map(RuleType.MSR_FIRSTN, [
      [RuleOp.TAKE, -1, 0],
      [RuleOp.CHOOSELEAF_FIRSTN, 0, 1],
      [RuleOp.EMIT, 0, 0],
    ]);
    expect(doRule(classic, 0, 1, 3, w)).toEqual([]);
    const noEmit = map(RuleType.MSR_INDEP, TWO_BY_TWO.slice(0, 3));
    expect(doRule(noEmit, 0, 1, 3, w)).toEqual([]);
  });

  it('set_msr_* steps and tunables bound the retries', () => {
    const w = new Array<number>(12).fill(0);
    const m = map(RuleType.MSR_INDEP, [[RuleOp.SET_MSR_DESCENTS, 1, 0], [RuleOp.SET_MSR_COLLISION_TRIES, 1, 0], ...TWO_BY_TWO]);
    expect(doRule(m, 0, 1, 4, w)).toEqual([CRUSH_ITEM_NONE, CRUSH_ITEM_NONE, CRUSH_ITEM_NONE, CRUSH_ITEM_NONE]);
    const none = map(RuleType.MSR_FIRSTN, TWO_BY_TWO);
    none.tunables.msrDescents = 0;
    expect(doRule(none, 0, 1, 4, new Array<number>(12).fill(0x10000))).toEqual([]);
  });

  const refused: Array<[string, number, Array<[number, number, number]>, string]> = [
    ['an unknown rule type', 2, TWO_BY_TWO, 'rule type 2'],
    [
      'an unknown step op',
      RuleType.MSR_INDEP,
      [
        [RuleOp.TAKE, -1, 0],
        [5, 1, 0],
        [RuleOp.EMIT, 0, 0],
      ],
      'step op 5',
    ],
    [
      'choosemsr in a classic rule',
      RuleType.REPLICATED,
      [
        [RuleOp.TAKE, -1, 0],
        [RuleOp.CHOOSE_MSR, 2, 1],
        [RuleOp.EMIT, 0, 0],
      ],
      'step op 16',
    ],
    [
      'a negative choosemsr count',
      RuleType.MSR_INDEP,
      [
        [RuleOp.TAKE, -1, 0],
        [RuleOp.CHOOSE_MSR, -1, 1],
        [RuleOp.CHOOSE_MSR, 1, 0],
        [RuleOp.EMIT, 0, 0],
      ],
      'negative count',
    ],
    [
      'a device taken by an MSR rule',
      RuleType.MSR_FIRSTN,
      [
        [RuleOp.TAKE, 0, 0],
        [RuleOp.EMIT, 0, 0],
      ],
      'item 0',
    ],
    [
      'take then emit with no choosemsr',
      RuleType.MSR_INDEP,
      [
        [RuleOp.TAKE, -1, 0],
        [RuleOp.EMIT, 0, 0],
      ],
      'item -1',
    ],
    [
      'a type the descent never meets',
      RuleType.MSR_INDEP,
      [
        [RuleOp.TAKE, -1, 0],
        [RuleOp.CHOOSE_MSR, 2, 7],
        [RuleOp.CHOOSE_MSR, 1, 0],
        [RuleOp.EMIT, 0, 0],
      ],
      'looking for a bucket of type 7',
    ],
    [
      'a missing root',
      RuleType.MSR_INDEP,
      [
        [RuleOp.TAKE, -9, 0],
        [RuleOp.CHOOSE_MSR, 1, 0],
        [RuleOp.EMIT, 0, 0],
      ],
      'item -9',
    ],
  ];
  for (const [what, type, steps, message] of refused) {
    it(`refuses ${what}`, () => {
      const m = map(type, steps);
      const call = (): number[] => doRule(m, 0, 1, 3, new Array<number>(12).fill(0x10000));
      expect(call).toThrow(UnsupportedRuleError);
      expect(call).toThrow(message);
    });
  }
});
