// Which events of a trace to show (`rados-ts trace decode --peer/--type/--object/--pool`): every
// given criterion must hold; within one, any of its comma-separated values may.
import type { TraceEvent } from './decode-capture.ts';

/** Filter criteria; absent ones match everything. */
export interface TraceFilter {
  /** "ip", "ip:port" or ":port" of either end. */
  peer?: string[];
  /** Message type (MOSDOp) or frame tag (HELLO), case-insensitive. */
  type?: string[];
  /** Object name, exactly. */
  object?: string[];
  /** Pool id: the pool of an op's locator, or of its reply's pg. */
  pool?: number[];
}

function endpointMatches(endpoint: string, want: string): boolean {
  if (want.startsWith(':')) return endpoint.endsWith(want);
  if (endpoint === want) return true;
  return endpoint.startsWith(`${want}:`) || endpoint.startsWith(`[${want}]:`);
}

/** The pool an event is about, if it is an op or a reply. */
function poolOf(e: TraceEvent): number | undefined {
  const pool = e.fields['pool'];
  if (typeof pool === 'number') return pool;
  const pg = e.fields['pg'];
  return typeof pg === 'string' ? Number(pg.split('.')[0]) : undefined;
}

/** Whether an event passes the filter. */
export function matchesFilter(e: TraceEvent, f: TraceFilter): boolean {
  if (f.peer && !f.peer.some((p) => endpointMatches(e.from, p) || endpointMatches(e.to, p))) return false;
  if (f.type) {
    const names = [e.tag, e.message?.type].filter((x): x is string => x !== undefined).map((x) => x.toLowerCase());
    if (!f.type.some((t) => names.includes(t.toLowerCase()))) return false;
  }
  if (f.object && !f.object.includes(String(e.fields['object']))) return false;
  if (f.pool) {
    const pool = poolOf(e);
    if (pool === undefined || !f.pool.includes(pool)) return false;
  }
  return true;
}
