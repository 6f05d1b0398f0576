// The faults the thrasher injects, each applied, held for a while and undone by one call:
// daemons killed and restarted, OSDs marked out, primary affinity, pg-upmap-items and
// pg-upmap-primary, pg_num changes (splits and merges), and on our side cut, partitioned and
// delayed connections (the switches in ClientFaults, read by our handles' transports).
import type { Prng } from './prng.ts';
import { cephJson, sleep, type ThrashContext } from './thrash-context.ts';

/** The fault kinds; `pg-upmap-primary` only where the release has the read balancer. */
export const FAULT_KINDS = ['osd-kill', 'osd-out', 'primary-affinity', 'pg-upmap-items', 'pg-upmap-primary', 'pg-num', 'mon-kill', 'conn-cuts', 'partition', 'delay'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What is broken now: the schedule keeps at most one OSD and one monitor down, one OSD out. */
export interface FaultState {
  osdDown: number | undefined;
  monDown: string | undefined;
  osdOut: number | undefined;
  /** No pg_num change before this (ms): the mgr walks pg_num step by step. */
  pgNumQuietUntil: number;
  partitioned: boolean;
  /** The monitor our handles talk to now, as a port. */
  ourMonPort: () => number | undefined;
}

interface PgStat {
  pg_summary?: { num_pg_by_state?: Array<{ name: string; num: number }> };
  num_pg_by_state?: Array<{ name: string; num: number }>;
}

/**
 * Every PG active+clean (`ceph pg stat`); snapshot trimming and scrubbing on a clean PG count
 * as clean (every copy is there; trimming removed snapshots can take minutes: Pacific sleeps
 * osd_snap_trim_sleep_hdd, 5 s, between trims on memstore).
 */
export async function allClean(ctx: ThrashContext): Promise<boolean> {
  const s = await cephJson<PgStat>(ctx, ['pg', 'stat']);
  const states = s.pg_summary?.num_pg_by_state ?? s.num_pg_by_state ?? [];
  return states.length > 0 && states.every((x) => x.name === 'active+clean' || x.name.startsWith('active+clean+'));
}

async function osdPort(ctx: ThrashContext, osd: number): Promise<number | undefined> {
  const dump = await cephJson<{ osds: Array<{ osd: number; public_addrs: { addrvec: Array<{ type: string; addr: string }> } }> }>(ctx, ['osd', 'dump']);
  const a = dump.osds.find((o) => o.osd === osd)?.public_addrs.addrvec.find((x) => x.type === 'v2');
  return a ? Number(a.addr.split(':')[1]) : undefined;
}

async function pgUp(ctx: ThrashContext, pgid: string): Promise<{ up: number[]; acting: number[] }> {
  return cephJson<{ up: number[]; acting: number[] }>(ctx, ['pg', 'map', pgid]);
}

async function poolPgNum(ctx: ThrashContext, pool: string): Promise<{ id: number; pgNum: number }> {
  const pools = await cephJson<Array<{ pool_name: string; pool_id: number; pg_num: number }>>(ctx, ['osd', 'pool', 'ls', 'detail']);
  const p = pools.find((x) => x.pool_name === pool)!;
  return { id: p.pool_id, pgNum: p.pg_num };
}

/** Whether `kind` can start now (the limits in FaultState). */
export function applicable(kind: FaultKind, ctx: ThrashContext, st: FaultState): boolean {
  switch (kind) {
    case 'osd-kill':
      return st.osdDown === undefined;
    case 'osd-out':
      return st.osdOut === undefined;
    case 'mon-kill':
      return st.monDown === undefined && st.ourMonPort() !== undefined;
    case 'pg-upmap-primary':
      return ctx.readBalancer;
    case 'pg-num':
      return Date.now() >= st.pgNumQuietUntil;
    case 'partition':
      return !st.partitioned;
    case 'primary-affinity':
    case 'pg-upmap-items':
    case 'conn-cuts':
    case 'delay':
      return true;
  }
}

/**
 * Applies one fault of `kind`, holds it and undoes it; resolves with what it did (for the
 * log). Every random choice comes from `rng`, so a seed replays the schedule.
 */
export async function runFault(kind: FaultKind, ctx: ThrashContext, st: FaultState, rng: Prng): Promise<string> {
  const { cluster } = ctx;
  switch (kind) {
    case 'osd-kill': {
      const osd = rng.pick(cluster.osdIds.filter((o) => o !== st.osdOut));
      st.osdDown = osd;
      const holdMs = rng.int(3_000, 15_000);
      try {
        // A SIGKILLed memstore OSD has lost its store, as a failed disk would: it comes back
        // empty (replaceOsd) and is backfilled. Only while every PG is clean, so each
        // acknowledged write still has copies elsewhere; else a clean stop, store kept.
        const signal = rng.chance(0.6) && (await allClean(ctx)) ? 'SIGKILL' : 'SIGTERM';
        await cluster.stopDaemon(`osd.${osd}`, signal);
        await sleep(holdMs);
        if (signal === 'SIGKILL') await cluster.replaceOsd(osd);
        else await cluster.startOsd(osd);
        return `osd.${osd} ${signal}${signal === 'SIGKILL' ? ' (store lost, replaced empty)' : ''}, down ${holdMs} ms`;
      } finally {
        st.osdDown = undefined;
      }
    }
    case 'osd-out': {
      const osd = rng.pick(cluster.osdIds);
      st.osdOut = osd;
      const holdMs = rng.int(5_000, 20_000);
      try {
        await cluster.ceph(['osd', 'out', String(osd)]);
        await sleep(holdMs);
        await cluster.ceph(['osd', 'in', String(osd)]);
        return `osd.${osd} out for ${holdMs} ms`;
      } finally {
        st.osdOut = undefined;
      }
    }
    case 'primary-affinity': {
      const osd = rng.pick(cluster.osdIds);
      const weight = rng.pick(['0', '0.5']);
      const holdMs = rng.int(5_000, 20_000);
      await cluster.ceph(['osd', 'primary-affinity', `osd.${osd}`, weight]);
      await sleep(holdMs);
      await cluster.ceph(['osd', 'primary-affinity', `osd.${osd}`, '1']);
      return `osd.${osd} primary-affinity ${weight} for ${holdMs} ms`;
    }
    case 'pg-upmap-items': {
      const pool = rng.pick([ctx.pools.rep2, ctx.pools.rep3, ctx.pools.ec]);
      const { id, pgNum } = await poolPgNum(ctx, pool);
      const pgid = `${id}.${rng.int(0, pgNum - 1).toString(16)}`;
      const { up } = await pgUp(ctx, pgid);
      const from = up.filter((o) => o >= 0);
      const to = cluster.osdIds.filter((o) => !up.includes(o));
      if (from.length === 0 || to.length === 0) return `pg ${pgid}: nothing to remap`;
      const a = rng.pick(from);
      const b = rng.pick(to);
      const holdMs = rng.int(5_000, 20_000);
      await cluster.ceph(['osd', 'pg-upmap-items', pgid, String(a), String(b)]);
      await sleep(holdMs);
      await cluster.ceph(['osd', 'rm-pg-upmap-items', pgid]);
      return `pg ${pgid} upmap osd.${a} -> osd.${b} for ${holdMs} ms`;
    }
    case 'pg-upmap-primary': {
      const pool = rng.pick([ctx.pools.rep2, ctx.pools.rep3]);
      const { id, pgNum } = await poolPgNum(ctx, pool);
      const pgid = `${id}.${rng.int(0, pgNum - 1).toString(16)}`;
      const { acting } = await pgUp(ctx, pgid);
      const others = acting.slice(1).filter((o) => o >= 0);
      if (others.length === 0) return `pg ${pgid}: no other OSD to make primary`;
      const osd = rng.pick(others);
      const holdMs = rng.int(5_000, 20_000);
      await cluster.ceph(['osd', 'pg-upmap-primary', pgid, String(osd)]);
      await sleep(holdMs);
      await cluster.ceph(['osd', 'rm-pg-upmap-primary', pgid]);
      return `pg ${pgid} primary -> osd.${osd} for ${holdMs} ms`;
    }
    case 'pg-num': {
      st.pgNumQuietUntil = Date.now() + 25_000;
      const pool = rng.pick([ctx.pools.rep2, ctx.pools.rep3]);
      const { pgNum } = await poolPgNum(ctx, pool);
      const to = rng.pick([8, 16, 32].filter((n) => n !== pgNum));
      await cluster.ceph(['osd', 'pool', 'set', pool, 'pg_num', String(to)]);
      return `${pool} pg_num ${pgNum} -> ${to} (${to > pgNum ? 'split' : 'merge'})`;
    }
    case 'mon-kill': {
      const port = st.ourMonPort();
      const i = cluster.monAddrs.findIndex((a) => a.includes(`:${port},`) || a.includes(`:${port}]`));
      const name = cluster.monNames[i >= 0 ? i : rng.int(0, cluster.monNames.length - 1)]!;
      st.monDown = name;
      const holdMs = rng.int(3_000, 10_000);
      const signal = rng.pick(['SIGKILL', 'SIGTERM'] as const);
      try {
        await cluster.stopDaemon(`mon.${name}`, signal);
        await sleep(holdMs);
        await cluster.startMon(name);
        return `mon.${name} (ours: ${i >= 0}) ${signal}, down ${holdMs} ms`;
      } finally {
        st.monDown = undefined;
      }
    }
    case 'conn-cuts': {
      const holdMs = rng.int(5_000, 15_000);
      ctx.faults.cutting = true;
      await sleep(holdMs);
      ctx.faults.cutting = false;
      return `connections cut for ${holdMs} ms`;
    }
    case 'partition': {
      const osd = rng.pick(cluster.osdIds);
      const port = await osdPort(ctx, osd);
      if (port === undefined) return `osd.${osd} has no address now`;
      // Longer than the watch timeout: the OSD drops our watches there.
      const holdMs = ctx.watchTimeoutSec * 1000 + rng.int(2_000, 6_000);
      st.partitioned = true;
      ctx.faults.partitionedPorts.add(port);
      try {
        await sleep(holdMs);
      } finally {
        ctx.faults.partitionedPorts.delete(port);
        st.partitioned = false;
      }
      return `partitioned from osd.${osd} for ${holdMs} ms`;
    }
    case 'delay': {
      const holdMs = rng.int(5_000, 15_000);
      const max = rng.int(5, 80);
      ctx.faults.maxDelayMs = max;
      await sleep(holdMs);
      ctx.faults.maxDelayMs = 0;
      return `sends delayed up to ${max} ms for ${holdMs} ms`;
    }
  }
}
