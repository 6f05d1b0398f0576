// crush_msr_do_rule and its helpers (src/crush/mapper.c, Squid+): rules of type msr_firstn /
// msr_indep. Unlike the classic descent, which fills one step's vector before the next, MSR is
// depth first: for each choice it descends through every `choosemsr` step of the block, and when
// it hits an out device it retries the whole descent (up to msr_descents times) rather than only
// the last step. Each choose step keeps a collision vector per mapping index, so a bucket picked
// for one stride is never used for another. See doc/dev/crush-msr.rst for the motivation.
//
// Rule shape (crush_msr_scan_config_steps / crush_msr_scan_next): a prefix of set_msr_* steps,
// then blocks of TAKE, CHOOSE_MSR*, EMIT. A block that breaks the shape makes the whole call
// return nothing, as Ceph does.
import { type Args, bucketChoose, isOut, type Workspace } from './bucket-choose.ts';
import { CRUSH_ITEM_NONE, CRUSH_ITEM_UNDEF, type CrushBucket, type CrushMap, type CrushRule, RuleOp, RuleType } from './crush-map.ts';
import { UnsupportedRuleError } from './rule-error.ts';

/** crush_msr_input + crush_msr_workspace + crush_msr_output, for one call. */
interface Msr {
  map: CrushMap;
  rule: CrushRule;
  ruleIndex: number;
  ws: Workspace;
  x: number;
  weights: ArrayLike<number>;
  args: Args;
  resultMax: number;
  descents: number;
  collisionTries: number;
  // workspace of the current EMIT block: one vector of resultMax entries per choose step
  startStep: number;
  endStep: number;
  stepVecs: Int32Array[];
  // output
  out: number[];
  returned: number;
  firstn: boolean;
}

/** crush_msr_get_retry_value: r = ((descent · result_max + index) << 16) + collision try, as a C int. */
function retryValue(m: Msr, index: number, tryno: number, localTry: number): number {
  const total = (Math.imul(tryno, m.resultMax) + index) >>> 0;
  return ((total << 16) + localTry) | 0;
}

/** Refuses a descent Ceph cannot finish (it asserts, or indexes outside the map). */
function cannot(m: Msr, step: number, item: number, reason: string): never {
  throw new UnsupportedRuleError(m.ruleIndex, 'descent', item, reason, step);
}

/**
 * crush_msr_descend: from `bucket`, choose down until a device or a bucket of `type`. An empty
 * bucket on the way trips crush_bucket_choose's BUG_ON in Ceph; a missing one is a NULL there;
 * a bucket that contains itself (a corrupt map) would keep Ceph descending for ever.
 */
function descend(m: Msr, step: number, bucket: CrushBucket, type: number, tryno: number, localTry: number, index: number): number {
  const r = retryValue(m, index, tryno, localTry);
  for (let depth = 0; ; depth++) {
    if (depth > m.map.buckets.length) cannot(m, step, bucket.id, 'is on a cycle of buckets');
    if (bucket.size === 0) cannot(m, step, bucket.id, 'is an empty bucket the MSR descent chose into');
    const item = bucketChoose(m.ws, bucket, m.x, r, m.args, index);
    if (item >= 0) return item;
    const next = m.map.buckets[-1 - item];
    if (!next) cannot(m, step, item, 'is not a bucket of the map');
    if (next.type === type) return item;
    bucket = next;
  }
}

/** crush_msr_leaf_vec_populated: every leaf slot of [start, end) is mapped (checked on the last step's vector). */
function leafPopulated(m: Msr, start: number, end: number): boolean {
  const leaf = m.stepVecs[m.endStep - m.startStep - 1]!;
  for (let i = start; i < end; i++) if (leaf[i] === CRUSH_ITEM_UNDEF) return false;
  return true;
}

/**
 * crush_msr_valid_candidate: a candidate already used for this step in [exStart, exEnd) is valid
 * only if that use is inside this stride [inStart, inEnd).
 */
function validCandidate(m: Msr, step: number, exStart: number, exEnd: number, inStart: number, inEnd: number, candidate: number): boolean {
  const vec = m.stepVecs[step - m.startStep]!;
  for (let i = exStart; i < exEnd; i++) if (vec[i] === candidate) return i >= inStart && i < inEnd;
  return true;
}

/** crush_msr_push_used: add to the stride's collision set; false if it was already there. */
function pushUsed(m: Msr, step: number, start: number, end: number, candidate: number): boolean {
  const vec = m.stepVecs[step - m.startStep]!;
  for (let i = start; i < end; i++) {
    if (vec[i] === candidate) return false;
    if (vec[i] === CRUSH_ITEM_UNDEF) {
      vec[i] = candidate;
      return true;
    }
  }
  // Ceph asserts this cannot happen: a stride never holds more buckets than it has slots.
  return cannot(m, step, candidate, "overflowed its stride's collision set");
}

/** crush_msr_pop_used: drop the stride's last entry (the candidate pushed by this pass). */
function popUsed(m: Msr, step: number, start: number, end: number): void {
  const vec = m.stepVecs[step - m.startStep]!;
  for (let i = end; i > start;) {
    i--;
    if (vec[i] !== CRUSH_ITEM_UNDEF) {
      vec[i] = CRUSH_ITEM_UNDEF;
      return;
    }
  }
}

/** crush_msr_emit_result: firstn appends in emission order, indep writes at the mapping index. */
function emit(m: Msr, position: number, item: number): void {
  if (m.firstn) m.out[m.returned++] = item;
  else {
    m.out[position] = item;
    m.returned++;
  }
}

/**
 * crush_msr_choose: map indices [start, end) with choose steps [step, endStep) under `bucket`.
 * The range is cut into strides, one per item this step picks (`choosemsr 4 type host` makes 4);
 * each stride's item is chosen (retrying collisions locally) and then descended into. Returns
 * how many leaves were mapped. A bucket picked in this pass whose subtree mapped nothing is
 * taken back out of its stride's collision set only at the end, so that within the pass it
 * still repels the other strides.
 */
function choose(m: Msr, bucket: CrushBucket, totalDescendants: number, start: number, end: number, step: number, tryno: number): number {
  const s = m.rule.steps[step]!;
  const numStrides = s.arg1 ? s.arg1 : m.resultMax;
  const strideLength = Math.floor(totalDescendants / numStrides);
  const undo: boolean[] = [];
  let mapped = 0;
  let strideIndex = 0;
  for (let strideStart = start; strideStart < end; strideStart += strideLength, strideIndex++) {
    const strideEnd = Math.min(strideStart + strideLength, end);
    if (leafPopulated(m, strideStart, strideEnd)) continue;
    let candidate: number | undefined;
    for (let localTry = 0; localTry < m.collisionTries; localTry++) {
      const c = descend(m, step, bucket, s.arg2, tryno, localTry, strideIndex);
      if (validCandidate(m, step, start, end, strideStart, strideEnd, c)) {
        candidate = c;
        break;
      }
    }
    if (candidate === undefined) continue; // every collision try collided
    if (s.arg2 === 0) {
      // a leaf: only valid as the block's last step, one leaf per stride
      if (strideLength !== 1 || step + 1 !== m.endStep) continue;
      if (isOut(m.weights, candidate, m.x)) continue; // crush_msr_do_rule descends again
      pushUsed(m, step, strideStart, strideEnd, candidate);
      emit(m, strideStart, candidate);
      mapped++;
    } else {
      if (step + 1 >= m.endStep) continue; // a bucket type with no step after it
      // A device where a bucket type was asked for (no bucket of that type on the way down):
      // Ceph indexes buckets[-1 - device] here, outside the map, and crashes.
      if (candidate >= 0) cannot(m, step, candidate, `is a device, reached looking for a bucket of type ${s.arg2}`);
      const child = m.map.buckets[-1 - candidate]!;
      const childMapped = choose(m, child, strideLength, strideStart, strideEnd, step + 1, tryno);
      const pushed = pushUsed(m, step, strideStart, strideEnd, candidate);
      if (pushed && childMapped === 0) undo[strideIndex] = true;
      else mapped += childMapped;
    }
  }
  strideIndex = 0;
  for (let strideStart = start; strideStart < end; strideStart += strideLength, strideIndex++) {
    if (undo[strideIndex]) popUsed(m, step, strideStart, Math.min(strideStart + strideLength, end));
  }
  return mapped;
}

/**
 * crush_msr_scan_next: the block starting at `step` must be TAKE, CHOOSE_MSR*, EMIT. Returns the
 * EMIT's index and the block's fan-out (product of the choose counts, 0 meaning result_max), or
 * undefined for a malformed block.
 */
function scanBlock(m: Msr, step: number): { emit: number; total: number } | undefined {
  const steps = m.rule.steps;
  if (step + 1 >= steps.length || steps[step]!.op !== RuleOp.TAKE) return undefined;
  let total = 1;
  let negative = -1;
  let i = step + 1;
  for (; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.op === RuleOp.EMIT) break;
    if (s.op !== RuleOp.CHOOSE_MSR) return undefined;
    if (s.arg1 < 0 && negative < 0) negative = i;
    total = Math.imul(total, s.arg1 ? s.arg1 : m.resultMax) >>> 0;
  }
  if (i >= steps.length) return undefined;
  // Ceph multiplies the counts as unsigned and sizes a stack array by them: a negative count
  // segfaults crushtool.
  if (negative >= 0) throw new UnsupportedRuleError(m.ruleIndex, 'step op', RuleOp.CHOOSE_MSR, `has a negative count ${steps[negative]!.arg1}`, negative);
  return { emit: i, total };
}

/**
 * crush_msr_do_rule: up to resultMax devices for input x. msr_firstn returns the devices found,
 * in order; msr_indep returns resultMax positions, CRUSH_ITEM_NONE where nothing was found.
 */
export function msrDoRule(map: CrushMap, ruleIndex: number, rule: CrushRule, ws: Workspace, x: number, resultMax: number, weights: ArrayLike<number>, args: Args): number[] {
  const steps = rule.steps;
  let descents = map.tunables.msrDescents;
  let collisionTries = map.tunables.msrCollisionTries;
  // crush_msr_scan_config_steps: the set_msr_* prefix, read as unsigned
  let step = 0;
  for (; step < steps.length; step++) {
    const s = steps[step]!;
    if (s.op === RuleOp.SET_MSR_DESCENTS) descents = s.arg1 >>> 0;
    else if (s.op === RuleOp.SET_MSR_COLLISION_TRIES) collisionTries = s.arg1 >>> 0;
    else break;
  }
  const m: Msr = {
    map,
    rule,
    ruleIndex,
    ws,
    x,
    weights,
    args,
    resultMax,
    descents,
    collisionTries,
    startStep: 0,
    endStep: 0,
    stepVecs: [],
    out: new Array<number>(resultMax).fill(CRUSH_ITEM_NONE),
    returned: 0,
    firstn: rule.type === RuleType.MSR_FIRSTN,
  };
  let startIndex = 0;
  while (step < steps.length) {
    const block = scanBlock(m, step);
    if (!block) return []; // an invalid rule: whatever was found is dropped
    const take = steps[step]!.arg1;
    if (take >= 0) {
      // `take osd.N; emit`: Ceph emits the device at start_index but never moves past the block
      // (it emits again until its output assert fails), so no result of its is defined.
      if (step + 1 !== block.emit) return [];
      cannot(m, step, take, "is a device taken directly, which Ceph's MSR descent emits until its output assert fails");
    }
    // `take bucket; emit` with no choose step: Ceph runs crush_msr_choose on the EMIT step itself
    // (its assert aside), striding by 0 or reading before its vectors. Refused.
    if (step + 1 === block.emit) cannot(m, step, take, "is taken with no choosemsr step after it, which Ceph's MSR descent asserts against");
    const root = map.buckets[-1 - take];
    if (!root) cannot(m, step, take, 'is taken but is not a bucket of the map');
    const endIndex = Math.min(startIndex + block.total, resultMax);
    m.startStep = step + 1;
    m.endStep = block.emit;
    m.stepVecs = [];
    for (let i = m.startStep; i < m.endStep; i++) m.stepVecs.push(new Int32Array(resultMax).fill(CRUSH_ITEM_UNDEF));
    const limit = m.returned + (endIndex - startIndex);
    for (let tryno = 0; tryno < m.descents && m.returned < limit; tryno++) choose(m, root, block.total, startIndex, endIndex, m.startStep, tryno);
    startIndex = endIndex;
    step = block.emit + 1;
  }
  return m.firstn ? m.out.slice(0, m.returned) : m.out;
}
