// Where an op goes and when a new OSDMap means sending it again, as Objecter::_calc_target
// decides for ops it rescans on a map change (src/osdc/Objecter.cc; `any_change` false):
// the PG changed, the acting primary changed or moved within the acting set
// (OSDMap::primary_changed_broken), an EC op's shard changed, the op's PG split or merged
// (pg_num changed), or the pool forces a resend in this epoch (pg_pool_t::last_force_op_resend).
// An OSD drops an op whose epoch predates its PG's last primary change or interval
// (PrimaryLogPG::can_discard_op) and counts on the client to send it again: missing one of
// these cases leaves an op waiting forever. Pure arithmetic on pools and acting sets, so it
// sits with the OSDMap code; the Objecter (src/osd/objecter.ts) holds the ops and resends them.
import type { PgPool } from './pg-pool.ts';
import { stableMod } from './placement.ts';

export interface OpTarget {
  /** The acting primary: where the op is sent. */
  osd: number;
  pool: number;
  /** The PG (after stable_mod to pg_num). */
  seed: number;
  rawHash: number;
  /** The EC shard the primary serves, -1 for replicated pools. */
  shard: number;
  acting: number[];
  /** The pool's pg_num when the target was computed (op_target_t::pg_num). */
  pgNum: number;
  /** The pool's last_force_op_resend this target has already honoured. */
  lastForceResend: number;
}

/** (1 << cbits(n)) - 1: the mask pg_t::is_split uses for the old pg_num. */
const splitMask = (n: number): number => 2 ** (32 - Math.clz32(n)) - 1;

/** pg_t::is_split (src/osd/osd_types.cc): PG `seed` gains children when pg_num goes from `oldPgNum` to `newPgNum`. */
export function pgIsSplit(seed: number, oldPgNum: number, newPgNum: number): boolean {
  if (seed >= oldPgNum || newPgNum <= oldPgNum) return false;
  const mask = splitMask(oldPgNum);
  for (let x = oldPgNum; x < newPgNum; x++) if (stableMod(x, oldPgNum, mask) === seed) return true;
  return false;
}

/** pg_t::is_merge_source: PG `seed` goes away into its parent when pg_num shrinks to `newPgNum`. */
export function pgIsMergeSource(seed: number, oldPgNum: number, newPgNum: number): boolean {
  return seed < oldPgNum && seed >= newPgNum;
}

/** pg_t::is_merge_target: PG `seed` takes in children when pg_num shrinks to `newPgNum`. */
export function pgIsMergeTarget(seed: number, oldPgNum: number, newPgNum: number): boolean {
  return seed < newPgNum && pgIsSplit(seed, newPgNum, oldPgNum);
}

/** OSDMap::calc_pg_role_broken: the first position of `osd` in `acting`, or -1. */
const roleOf = (osd: number, acting: readonly number[]): number => acting.indexOf(osd);

/** OSDMap::primary_changed_broken. */
export function primaryChanged(oldPrimary: number, oldActing: readonly number[], newPrimary: number, newActing: readonly number[]): boolean {
  if (oldActing.length === 0 && newActing.length === 0) return false;
  if (oldActing.length === 0 || newActing.length === 0) return true;
  if (oldPrimary !== newPrimary) return true;
  return roleOf(oldPrimary, oldActing) !== roleOf(newPrimary, newActing);
}

/**
 * Why an op sent to `old` must be sent again under the map of `epoch`, where it now maps to
 * `now` (undefined: no primary now); undefined when it need not be. Objecter checks the forced
 * resend at the exact epoch as it scans every map; we may apply several maps before one scan,
 * so any forced resend newer than the one the op was sent under counts.
 */
export function resendReason(old: OpTarget | undefined, now: OpTarget | undefined, pool: PgPool | undefined, epoch: number): string | undefined {
  if (!old) return 'it had no primary';
  if (!now) return `pg ${pgName(old)} has no primary in epoch ${epoch}`;
  if (pool && epoch >= pool.lastForceOpResend && old.lastForceResend < pool.lastForceOpResend) return `pool ${old.pool} forces a resend in epoch ${pool.lastForceOpResend}`;
  // Objecter::_calc_target's split_or_merge, for the op's PG under the old pg_num.
  if (old.pgNum !== now.pgNum) {
    if (pgIsSplit(old.seed, old.pgNum, now.pgNum)) return `pg ${pgName(old)} split (pg_num ${old.pgNum} -> ${now.pgNum})`;
    if (pgIsMergeSource(old.seed, old.pgNum, now.pgNum) || pgIsMergeTarget(old.seed, old.pgNum, now.pgNum)) return `pg ${pgName(old)} merged (pg_num ${old.pgNum} -> ${now.pgNum})`;
  }
  if (now.seed !== old.seed) return `pg ${pgName(old)} -> ${pgName(now)}`;
  if (now.shard !== old.shard) return `shard ${old.shard} -> ${now.shard}`;
  if (primaryChanged(old.osd, old.acting, now.osd, now.acting))
    return `primary osd.${old.osd} [${old.acting.join(',')}] -> osd.${now.osd} [${now.acting.join(',')}] in epoch ${epoch}`;
  return undefined;
}

/** Whether an op sent to `old` must be sent again under the map of `epoch` (resendReason). */
export function needsResend(old: OpTarget | undefined, now: OpTarget | undefined, pool: PgPool | undefined, epoch: number): boolean {
  return resendReason(old, now, pool, epoch) !== undefined;
}

/** A PG as Ceph prints pg_t: pool.seed, the seed in hex. */
export function pgName(t: { pool: number; seed: number }): string {
  return `${t.pool}.${t.seed.toString(16)}`;
}
