// Where an op goes and when a new OSDMap means sending it again, as Objecter::_calc_target
// decides for ops it rescans on a map change (src/osdc/Objecter.cc; `any_change` false):
// the PG changed, the acting primary changed or moved within the acting set
// (OSDMap::primary_changed_broken), an EC op's shard changed, or the pool forces a resend in
// this epoch (pg_pool_t::last_force_op_resend).
import type { PgPool } from '../../crush/osdmap/pg-pool.ts';

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
  /** The pool's last_force_op_resend this target has already honoured. */
  lastForceResend: number;
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
 * Whether an op sent to `old` must be sent again under the map of `epoch`, where it now maps
 * to `now` (undefined: no primary now). Objecter checks the forced resend at the exact epoch
 * as it scans every map; we may apply several maps before one scan, so any forced resend
 * newer than the one the op was sent under counts.
 */
export function needsResend(old: OpTarget | undefined, now: OpTarget | undefined, pool: PgPool | undefined, epoch: number): boolean {
  if (!old || !now) return true;
  if (pool && epoch >= pool.lastForceOpResend && old.lastForceResend < pool.lastForceOpResend) return true;
  return now.seed !== old.seed || now.shard !== old.shard || primaryChanged(old.osd, old.acting, now.osd, now.acting);
}
