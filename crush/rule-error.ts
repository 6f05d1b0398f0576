// A CRUSH rule this mapper will not run. Ceph's crush_do_rule (src/crush/mapper.c) skips step
// ops it does not know and lets a rule of any type through the classic descent, which can leave
// bucket ids in a result; we refuse such a rule instead, naming what we did not know. An MSR
// descent that Ceph itself cannot finish (it asserts or reads outside the map: checked against
// Tentacle's crushtool, which aborts or segfaults) is refused the same way, as kind 'descent'.

/** What UnsupportedRuleError refused: the rule type, a step opcode, or a descent Ceph itself cannot finish. */
export type RuleErrorKind = 'rule type' | 'step op' | 'descent';

/** Thrown when a CRUSH rule cannot be run faithfully (unknown type or step opcode, or a broken MSR descent). */
export class UnsupportedRuleError extends Error {
  /** Always 'UnsupportedRuleError'. */
  override readonly name = 'UnsupportedRuleError';
  /** Index of the rule in the map. */
  readonly rule: number;
  /** What was not understood: the rule's type, one of its steps, or where a descent led. */
  readonly kind: RuleErrorKind;
  /** The rule type or step op code as encoded; for a descent, the item it reached. */
  readonly code: number;
  /** Index of the offending step, for a step op. */
  readonly step: number | undefined;

  constructor(rule: number, kind: RuleErrorKind, code: number, reason: string, step?: number) {
    super(`crush rule ${rule}: ${kind === 'descent' ? `item ${code}` : `${kind} ${code}`}${step !== undefined ? ` at step ${step}` : ''} ${reason}`);
    this.rule = rule;
    this.kind = kind;
    this.code = code;
    this.step = step;
  }
}
