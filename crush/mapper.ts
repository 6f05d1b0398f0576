// crush_do_rule and its two choosers (src/crush/mapper.c), kept step for step: the retry
// counters, local retries and fallback, vary_r and stable, position-dependent choose_args,
// collisions and out-weights, so the result equals Ceph's for every map and tunable. Rules of
// the MSR types (Squid+) go to crush_msr_do_rule (msr.ts), as crush_do_rule sends them.
import { type Args, bucketChoose, isOut, newCall, type Workspace } from './bucket-choose.ts';
import { permChoose } from './buckets/perm.ts';
import { BucketAlg, CRUSH_ITEM_NONE, CRUSH_ITEM_UNDEF, type CrushBucket, type CrushMap, type CrushRule, DEFAULT_CHOOSE_ARGS, RuleOp, RuleType } from './crush-map.ts';
import { msrDoRule } from './msr.ts';
import { UnsupportedRuleError } from './rule-error.ts';

export { CRUSH_ITEM_NONE } from './crush-map.ts';

interface Ctx {
  map: CrushMap;
  ws: Workspace;
  weight: ArrayLike<number>;
  x: number;
  args: Args;
}

function chooseFirstn(
  c: Ctx,
  bucket: CrushBucket,
  numrep: number,
  type: number,
  out: Int32Array,
  outBase: number,
  outpos: number,
  outSize: number,
  tries: number,
  recurseTries: number,
  localRetries: number,
  localFallbackRetries: number,
  recurseToLeaf: boolean,
  varyR: number,
  stable: number,
  out2: Int32Array | undefined,
  out2Base: number,
  parentR: number,
): number {
  const { map, x } = c;
  let count = outSize;
  let item = 0;
  for (let rep = stable ? 0 : outpos; rep < numrep && count > 0; rep++) {
    let ftotal = 0;
    let skipRep = false;
    let retryDescent: boolean;
    do {
      retryDescent = false;
      let inb = bucket;
      let flocal = 0;
      let retryBucket: boolean;
      do {
        let collide = false;
        retryBucket = false;
        const r = rep + parentR + ftotal;
        let reject: boolean;
        let itemtype = 0;
        if (inb.size === 0) {
          reject = true;
        } else {
          if (localFallbackRetries > 0 && flocal >= inb.size >> 1 && flocal > localFallbackRetries) {
            item = permChoose(inb, c.ws.get(-1 - inb.id), x, r);
          } else {
            item = bucketChoose(c.ws, inb, x, r, c.args, outpos);
          }
          if (item >= map.maxDevices) {
            skipRep = true;
            break;
          }
          itemtype = item < 0 ? (map.buckets[-1 - item]?.type ?? 0) : 0;
          if (itemtype !== type) {
            if (item >= 0 || -1 - item >= map.buckets.length || !map.buckets[-1 - item]) {
              skipRep = true;
              break;
            }
            inb = map.buckets[-1 - item]!;
            retryBucket = true;
            continue;
          }
          for (let i = 0; i < outpos; i++) {
            if (out[outBase + i] === item) {
              collide = true;
              break;
            }
          }
          reject = false;
          if (!collide && recurseToLeaf) {
            if (item < 0) {
              const subR = varyR ? r >> (varyR - 1) : 0;
              const sub = map.buckets[-1 - item];
              // (a missing bucket only happens in a corrupt map: Ceph would crash, we reject)
              if (
                !sub ||
                chooseFirstn(
                  c,
                  sub,
                  stable ? 1 : outpos + 1,
                  0,
                  out2!,
                  out2Base,
                  outpos,
                  count,
                  recurseTries,
                  0,
                  localRetries,
                  localFallbackRetries,
                  false,
                  varyR,
                  stable,
                  undefined,
                  0,
                  subR,
                ) <= outpos
              ) {
                reject = true; // no leaf under it
              }
            } else {
              out2![out2Base + outpos] = item;
            }
          }
          if (!reject && !collide && itemtype === 0) reject = isOut(c.weight, item, x);
        }
        if (reject || collide) {
          ftotal++;
          flocal++;
          if (collide && flocal <= localRetries) retryBucket = true;
          else if (localFallbackRetries > 0 && flocal <= inb.size + localFallbackRetries) retryBucket = true;
          else if (ftotal < tries) retryDescent = true;
          else skipRep = true;
        }
      } while (retryBucket);
    } while (retryDescent);
    if (skipRep) continue;
    out[outBase + outpos] = item;
    outpos++;
    count--;
  }
  return outpos;
}

function chooseIndep(
  c: Ctx,
  bucket: CrushBucket,
  left: number,
  numrep: number,
  type: number,
  out: Int32Array,
  outBase: number,
  outpos: number,
  tries: number,
  recurseTries: number,
  recurseToLeaf: boolean,
  out2: Int32Array | undefined,
  out2Base: number,
  parentR: number,
): void {
  const { map, x } = c;
  const endpos = outpos + left;
  for (let rep = outpos; rep < endpos; rep++) {
    out[outBase + rep] = CRUSH_ITEM_UNDEF;
    if (out2) out2[out2Base + rep] = CRUSH_ITEM_UNDEF;
  }
  for (let ftotal = 0; left > 0 && ftotal < tries; ftotal++) {
    for (let rep = outpos; rep < endpos; rep++) {
      if (out[outBase + rep] !== CRUSH_ITEM_UNDEF) continue;
      let inb = bucket;
      for (;;) {
        // r depends on the position, also in nested calls (see mapper.c)
        let r = rep + parentR;
        if (inb.alg === BucketAlg.UNIFORM && inb.size % numrep === 0) r += (numrep + 1) * ftotal;
        else r += numrep * ftotal;
        if (inb.size === 0) break;
        const item = bucketChoose(c.ws, inb, x, r, c.args, outpos);
        if (item >= map.maxDevices) {
          out[outBase + rep] = CRUSH_ITEM_NONE;
          if (out2) out2[out2Base + rep] = CRUSH_ITEM_NONE;
          left--;
          break;
        }
        const itemtype = item < 0 ? (map.buckets[-1 - item]?.type ?? 0) : 0;
        if (itemtype !== type) {
          if (item >= 0 || -1 - item >= map.buckets.length || !map.buckets[-1 - item]) {
            out[outBase + rep] = CRUSH_ITEM_NONE;
            if (out2) out2[out2Base + rep] = CRUSH_ITEM_NONE;
            left--;
            break;
          }
          inb = map.buckets[-1 - item]!;
          continue;
        }
        let collide = false;
        for (let i = outpos; i < endpos; i++) {
          if (out[outBase + i] === item) {
            collide = true;
            break;
          }
        }
        if (collide) break;
        if (recurseToLeaf) {
          if (item < 0) {
            const sub = map.buckets[-1 - item];
            if (!sub) break; // corrupt map
            chooseIndep(c, sub, 1, numrep, 0, out2!, out2Base, rep, recurseTries, 0, false, undefined, 0, r);
            if (out2![out2Base + rep] === CRUSH_ITEM_NONE) break; // no leaf
          } else {
            out2![out2Base + rep] = item;
          }
        }
        if (itemtype === 0 && isOut(c.weight, item, x)) break;
        out[outBase + rep] = item;
        left--;
        break;
      }
    }
  }
  for (let rep = outpos; rep < endpos; rep++) {
    if (out[outBase + rep] === CRUSH_ITEM_UNDEF) out[outBase + rep] = CRUSH_ITEM_NONE;
    if (out2 && out2[out2Base + rep] === CRUSH_ITEM_UNDEF) out2[out2Base + rep] = CRUSH_ITEM_NONE;
  }
}

const checked = new WeakSet<CrushRule>();

/**
 * Refuses what Ceph would run to a wrong answer: a rule type outside enum crush_rule_type, a
 * step op outside enum crush_opcodes (Ceph skips it), and `choosemsr` in a classic rule (Ceph
 * skips it too, emitting the bucket it took). set_msr_* steps in a classic rule are no-ops there
 * as in Ceph.
 */
function checkRule(rule: CrushRule, ruleIndex: number): void {
  if (checked.has(rule)) return;
  const msr = rule.type === RuleType.MSR_FIRSTN || rule.type === RuleType.MSR_INDEP;
  if (!msr && rule.type !== RuleType.REPLICATED && rule.type !== RuleType.ERASURE) {
    throw new UnsupportedRuleError(ruleIndex, 'rule type', rule.type, 'is not replicated (1), erasure (3), msr_firstn (4) or msr_indep (5)');
  }
  rule.steps.forEach((s, i) => {
    if (s.op === 5 || s.op > RuleOp.CHOOSE_MSR) throw new UnsupportedRuleError(ruleIndex, 'step op', s.op, 'is not a CRUSH step op', i);
    if (s.op === RuleOp.CHOOSE_MSR && !msr) throw new UnsupportedRuleError(ruleIndex, 'step op', s.op, '(choosemsr) is only valid in an msr_firstn/msr_indep rule', i);
  });
  checked.add(rule);
}

/** CrushWrapper::choose_args_get_with_fallback: the pool's choose_args, else the default set, else none. */
export function chooseArgsFor(map: CrushMap, index: number | bigint | undefined): Args {
  if (index === undefined || map.chooseArgs.size === 0) return undefined;
  return map.chooseArgs.get(BigInt(index)) ?? map.chooseArgs.get(BigInt(DEFAULT_CHOOSE_ARGS));
}

/**
 * crush_do_rule: up to `resultMax` items for input x. `weights` are the devices' 16.16
 * reweights (0x10000 = fully in); `chooseArgsIndex` selects choose_args as CrushWrapper::do_rule
 * does (the pool id, falling back to the default set).
 */
export function doRule(map: CrushMap, ruleIndex: number, x: number, resultMax: number, weights: ArrayLike<number>, chooseArgsIndex?: number | bigint): number[] {
  const rule = ruleIndex >= 0 ? map.rules[ruleIndex] : undefined;
  if (!rule || resultMax <= 0) return [];
  checkRule(rule, ruleIndex);
  const ws = newCall(map);
  if (rule.type === RuleType.MSR_FIRSTN || rule.type === RuleType.MSR_INDEP) {
    return msrDoRule(map, ruleIndex, rule, ws, x | 0, resultMax, weights, chooseArgsFor(map, chooseArgsIndex));
  }
  const c: Ctx = { map, ws, weight: weights, x: x | 0, args: chooseArgsFor(map, chooseArgsIndex) };
  const t = map.tunables;
  if (ws.a.length < resultMax) {
    ws.a = new Int32Array(resultMax);
    ws.b = new Int32Array(resultMax);
    ws.c = new Int32Array(resultMax);
  }
  const cbuf = ws.c;
  let w = ws.a;
  let o = ws.b;
  let wsize = 0;
  const result: number[] = [];
  let chooseTries = t.chooseTotalTries + 1; // the original value counted retries, not tries
  let chooseLeafTries = 0;
  let localRetries = t.chooseLocalTries;
  let localFallbackRetries = t.chooseLocalFallbackTries;
  let varyR = t.chooseleafVaryR;
  let stable = t.chooseleafStable;
  for (const step of rule.steps) {
    switch (step.op) {
      case RuleOp.TAKE:
        if ((step.arg1 >= 0 && step.arg1 < map.maxDevices) || (-1 - step.arg1 >= 0 && -1 - step.arg1 < map.buckets.length && map.buckets[-1 - step.arg1])) {
          w[0] = step.arg1;
          wsize = 1;
        }
        break;
      case RuleOp.SET_CHOOSE_TRIES:
        if (step.arg1 > 0) chooseTries = step.arg1;
        break;
      case RuleOp.SET_CHOOSELEAF_TRIES:
        if (step.arg1 > 0) chooseLeafTries = step.arg1;
        break;
      case RuleOp.SET_CHOOSE_LOCAL_TRIES:
        if (step.arg1 >= 0) localRetries = step.arg1;
        break;
      case RuleOp.SET_CHOOSE_LOCAL_FALLBACK_TRIES:
        if (step.arg1 >= 0) localFallbackRetries = step.arg1;
        break;
      case RuleOp.SET_CHOOSELEAF_VARY_R:
        if (step.arg1 >= 0) varyR = step.arg1;
        break;
      case RuleOp.SET_CHOOSELEAF_STABLE:
        if (step.arg1 >= 0) stable = step.arg1;
        break;
      case RuleOp.CHOOSELEAF_FIRSTN:
      case RuleOp.CHOOSE_FIRSTN:
      case RuleOp.CHOOSELEAF_INDEP:
      case RuleOp.CHOOSE_INDEP: {
        if (wsize === 0) break;
        const firstn = step.op === RuleOp.CHOOSE_FIRSTN || step.op === RuleOp.CHOOSELEAF_FIRSTN;
        const recurseToLeaf = step.op === RuleOp.CHOOSELEAF_FIRSTN || step.op === RuleOp.CHOOSELEAF_INDEP;
        let osize = 0;
        for (let i = 0; i < wsize; i++) {
          let numrep = step.arg1;
          if (numrep <= 0) {
            numrep += resultMax;
            if (numrep <= 0) continue;
          }
          const bno = -1 - w[i]!;
          if (bno < 0 || bno >= map.buckets.length || !map.buckets[bno]) continue; // e.g. CRUSH_ITEM_NONE
          const bucket = map.buckets[bno];
          if (firstn) {
            const recurseTries = chooseLeafTries ? chooseLeafTries : t.chooseleafDescendOnce ? 1 : chooseTries;
            osize += chooseFirstn(
              c,
              bucket,
              numrep,
              step.arg2,
              o,
              osize,
              0,
              resultMax - osize,
              chooseTries,
              recurseTries,
              localRetries,
              localFallbackRetries,
              recurseToLeaf,
              varyR,
              stable,
              cbuf,
              osize,
              0,
            );
          } else {
            const outSize = numrep < resultMax - osize ? numrep : resultMax - osize;
            chooseIndep(c, bucket, outSize, numrep, step.arg2, o, osize, 0, chooseTries, chooseLeafTries ? chooseLeafTries : 1, recurseToLeaf, cbuf, osize, 0);
            osize += outSize;
          }
        }
        if (recurseToLeaf) for (let i = 0; i < osize; i++) o[i] = cbuf[i]!;
        const tmp = o;
        o = w;
        w = tmp;
        wsize = osize;
        break;
      }
      case RuleOp.EMIT:
        for (let i = 0; i < wsize && result.length < resultMax; i++) result.push(w[i]!);
        wsize = 0;
        break;
      default:
        break;
    }
  }
  return result;
}
