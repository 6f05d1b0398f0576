// CrushWrapper::decode (src/crush/CrushWrapper.cc): buckets with per-algorithm payloads, rules,
// names, then tunables, device classes and choose_args, each present only if bytes remain.
import { DecodeError } from '../protocol/encoding/decode-error.ts';
import { Reader } from '../protocol/encoding/reader.ts';
import { utf8Decode } from '../protocol/encoding/utf8.ts';
import { BucketAlg, type ChooseArg, type CrushBucket, type CrushMap, type CrushRule, LEGACY_TUNABLES } from './crush-map.ts';

const CRUSH_MAGIC = 0x00010000;
const EMPTY_U32 = new Uint32Array(0);

function u32Array(r: Reader, n: number, field: string): Uint32Array {
  r.need(n * 4, field);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = r.u32(field);
  return out;
}

function decodeBucket(r: Reader, index: number): CrushBucket | undefined {
  const f = `crush.bucket[${index}]`;
  const algTag = r.u32(`${f}.alg`);
  if (algTag === 0) return undefined;
  if (algTag < BucketAlg.UNIFORM || algTag > BucketAlg.STRAW2) r.fail(`${f}.alg`, `unsupported bucket algorithm ${algTag}`, r.offset - 4);
  const id = r.i32(`${f}.id`);
  const type = r.u16(`${f}.type`);
  const alg = r.u8(`${f}.alg`);
  const hash = r.u8(`${f}.hash`);
  const weight = r.u32(`${f}.weight`);
  const size = r.count(`${f}.size`, 4);
  const items = new Int32Array(size);
  for (let j = 0; j < size; j++) items[j] = r.i32(`${f}.items`);
  const b: CrushBucket = {
    id,
    type,
    alg,
    hash,
    weight,
    size,
    items,
    itemWeight: 0,
    itemWeights: EMPTY_U32,
    sumWeights: EMPTY_U32,
    nodeWeights: EMPTY_U32,
    numNodes: 0,
    straws: EMPTY_U32,
  };
  switch (algTag) {
    case BucketAlg.UNIFORM:
      b.itemWeight = r.u32(`${f}.item_weight`);
      break;
    case BucketAlg.LIST:
    case BucketAlg.STRAW: {
      r.need(size * 8, `${f}.weights`);
      const a = new Uint32Array(size);
      const c = new Uint32Array(size);
      for (let j = 0; j < size; j++) {
        a[j] = r.u32(`${f}.item_weights`);
        c[j] = r.u32(algTag === BucketAlg.LIST ? `${f}.sum_weights` : `${f}.straws`);
      }
      b.itemWeights = a;
      if (algTag === BucketAlg.LIST) b.sumWeights = c;
      else b.straws = c;
      break;
    }
    case BucketAlg.TREE:
      b.numNodes = r.u8(`${f}.num_nodes`);
      b.nodeWeights = u32Array(r, b.numNodes, `${f}.node_weights`);
      break;
    case BucketAlg.STRAW2:
      b.itemWeights = u32Array(r, size, `${f}.item_weights`);
      break;
  }
  return b;
}

/** decode_32_or_64_string_map: keys were once written as 64-bit; an empty length means that happened. */
function stringMap(r: Reader, field: string): Map<number, string> {
  const n = r.count(field, 9);
  const m = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const key = r.i32(`${field}.key`);
    let len = r.u32(`${field}.len`);
    if (len === 0) len = r.u32(`${field}.len`);
    m.set(key, utf8Decode(r.bytes(len, `${field}.value`), 0, len));
  }
  return m;
}

/**
 * CrushWrapper::decode (src/crush/CrushWrapper.cc): buckets, rules, names, tunables, device classes and
 * choose_args.
 */
export function decodeCrushMap(input: Uint8Array | Reader): CrushMap {
  const r = input instanceof Reader ? input : new Reader(input);
  const magic = r.u32('crush.magic');
  if (magic !== CRUSH_MAGIC) throw new DecodeError('crush.magic', r.offset - 4, `bad magic 0x${magic.toString(16)}`);
  const maxBuckets = r.i32('crush.max_buckets');
  const maxRules = r.u32('crush.max_rules');
  const encodedMaxDevices = r.i32('crush.max_devices');
  if (maxBuckets < 0 || maxBuckets * 4 > r.remaining) r.fail('crush.max_buckets', `${maxBuckets} buckets cannot fit in ${r.remaining} bytes`);
  const buckets: Array<CrushBucket | undefined> = [];
  for (let i = 0; i < maxBuckets; i++) buckets.push(decodeBucket(r, i));
  if (maxRules * 4 > r.remaining) r.fail('crush.max_rules', `${maxRules} rules cannot fit in ${r.remaining} bytes`);
  const rules: Array<CrushRule | undefined> = [];
  for (let i = 0; i < maxRules; i++) {
    if (!r.u32(`crush.rule[${i}].exists`)) {
      rules.push(undefined);
      continue;
    }
    const len = r.count(`crush.rule[${i}].len`, 12);
    const ruleset = r.u8('rule.ruleset');
    const type = r.u8('rule.type');
    const minSize = r.u8('rule.min_size');
    const maxSize = r.u8('rule.max_size');
    const steps = [];
    for (let j = 0; j < len; j++) steps.push({ op: r.u32('rule.step.op'), arg1: r.i32('rule.step.arg1'), arg2: r.i32('rule.step.arg2') });
    rules.push({ ruleset, type, minSize, maxSize, steps });
  }
  const typeNames = stringMap(r, 'crush.type_map');
  const itemNames = stringMap(r, 'crush.name_map');
  const ruleNames = stringMap(r, 'crush.rule_name_map');
  const t = { ...LEGACY_TUNABLES };
  if (r.remaining > 0) {
    t.chooseLocalTries = r.u32('crush.choose_local_tries');
    t.chooseLocalFallbackTries = r.u32('crush.choose_local_fallback_tries');
    t.chooseTotalTries = r.u32('crush.choose_total_tries');
  }
  if (r.remaining > 0) t.chooseleafDescendOnce = r.u32('crush.chooseleaf_descend_once');
  if (r.remaining > 0) t.chooseleafVaryR = r.u8('crush.chooseleaf_vary_r');
  if (r.remaining > 0) t.strawCalcVersion = r.u8('crush.straw_calc_version');
  if (r.remaining > 0) t.allowedBucketAlgs = r.u32('crush.allowed_bucket_algs');
  if (r.remaining > 0) t.chooseleafStable = r.u8('crush.chooseleaf_stable');
  const classMap = new Map<number, number>();
  const className = new Map<number, string>();
  const classBucket = new Map<number, Map<number, number>>();
  if (r.remaining > 0) {
    for (const [k, v] of r.map(
      'crush.class_map',
      (r) => r.i32('item'),
      (r) => r.i32('class'),
      8,
    ))
      classMap.set(k, v);
    for (const [k, v] of r.map(
      'crush.class_name',
      (r) => r.i32('class'),
      (r) => r.string('name'),
      8,
    ))
      className.set(k, v);
    for (const [k, v] of r.map(
      'crush.class_bucket',
      (r) => r.i32('bucket'),
      (r) =>
        r.map(
          'per_class',
          (r) => r.i32('class'),
          (r) => r.i32('shadow'),
          8,
        ),
      8,
    )) {
      classBucket.set(k, v);
    }
  }
  const chooseArgs = new Map<bigint, Array<ChooseArg | undefined>>();
  if (r.remaining > 0) {
    const n = r.count('crush.choose_args', 12);
    for (let i = 0; i < n; i++) {
      const index = r.i64('choose_args.index');
      const args: Array<ChooseArg | undefined> = new Array<ChooseArg | undefined>(maxBuckets);
      const size = r.count('choose_args.size', 12);
      for (let j = 0; j < size; j++) {
        const bucketIndex = r.u32('choose_arg.bucket_index');
        if (bucketIndex >= maxBuckets) r.fail('choose_arg.bucket_index', `bucket index ${bucketIndex} beyond max_buckets ${maxBuckets}`);
        const positions = r.count('choose_arg.weight_set_positions', 4);
        const weightSet: Uint32Array[] = [];
        for (let k = 0; k < positions; k++) weightSet.push(u32Array(r, r.count('weight_set.size', 4), 'weight_set.weights'));
        const idsSize = r.count('choose_arg.ids_size', 4);
        let ids: Int32Array | undefined;
        if (idsSize > 0) {
          ids = new Int32Array(idsSize);
          for (let k = 0; k < idsSize; k++) ids[k] = r.i32('choose_arg.ids');
        }
        args[bucketIndex] = { weightSet, ids };
      }
      chooseArgs.set(index, args);
    }
  }
  // Squid+ (CRUSH_MSR feature): the MSR tunables follow choose_args; older maps keep the defaults.
  if (r.remaining > 0) {
    t.msrDescents = r.u32('crush.msr_descents');
    t.msrCollisionTries = r.u32('crush.msr_collision_tries');
  }
  // crush_finalize: max_devices is recomputed from the items the buckets hold.
  let maxDevices = 0;
  for (const b of buckets) if (b) for (const item of b.items) if (item >= maxDevices) maxDevices = item + 1;
  return { buckets, rules, maxDevices, encodedMaxDevices, tunables: t, typeNames, itemNames, ruleNames, classMap, className, classBucket, chooseArgs };
}
