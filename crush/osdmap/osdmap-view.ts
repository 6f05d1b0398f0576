// The public face of a decoded OSDMap: `decodeOSDMap(bytes)` → an OSDMap with placement
// methods, `applyIncremental(map, incBytes)` → the next one.
import { parsePgId } from '../../protocol/types/pg.ts';
import type { CrushMap } from '../crush-map.ts';
import { decodeOsdMap } from './decode-osdmap.ts';
import { applyIncremental as applyInc, type OsdMapIncremental } from './incremental.ts';
import type { OsdMapData } from './osdmap.ts';
import { crushOf, type ObjectLocatorInput, objectToPg, type PgMapping, pgToUpActing, rawPgToPg } from './placement.ts';

export class OSDMap {
  readonly data: OsdMapData;
  constructor(data: OsdMapData) {
    this.data = data;
  }
  get epoch(): number {
    return this.data.epoch;
  }
  get fsid(): string {
    return this.data.fsid;
  }
  get crush(): CrushMap {
    return crushOf(this.data);
  }
  /** The PG an object lands in (after stable_mod to the pool's pg_num). */
  objectToPg(poolId: number, name: string, loc: ObjectLocatorInput = {}): { pool: number; seed: number } {
    const raw = objectToPg(this.data, poolId, name, loc);
    return { pool: poolId, seed: rawPgToPg(this.data.pools.get(poolId)!, raw.seed) };
  }
  /** up, up_primary, acting, acting_primary of a PG ("1.2f" or { pool, seed }). */
  pgToOsds(pgid: string | { pool: number; seed: number }): PgMapping {
    const pg = typeof pgid === 'string' ? parsePgId(pgid) : pgid;
    return pgToUpActing(this.data, pg.pool, pg.seed);
  }
  /** Shorthand: object → PG → OSDs. */
  objectToOsds(poolId: number, name: string, loc: ObjectLocatorInput = {}): PgMapping & { pgid: { pool: number; seed: number } } {
    const pgid = this.objectToPg(poolId, name, loc);
    return { pgid, ...this.pgToOsds(pgid) };
  }
}

export function decodeOSDMap(bytes: Uint8Array): OSDMap {
  return new OSDMap(decodeOsdMap(bytes));
}

export function applyIncremental(map: OSDMap, inc: Uint8Array | OsdMapIncremental): OSDMap {
  return new OSDMap(applyInc(map.data, inc));
}
