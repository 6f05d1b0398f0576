// Object → PG → OSDs exactly as src/osd/OSDMap.cc and osd_types.cc compute it:
// object_locator_to_pg, raw_pg_to_pg (stable_mod), raw_pg_to_pps, _pg_to_raw_osds (find_rule +
// do_rule with the pool's choose_args), _remove_nonexistent_osds, _apply_upmap (pg_upmap,
// pg_upmap_items, and Reef's pg_upmap_primaries), _raw_to_up_osds, _pick_primary,
// _apply_primary_affinity, _get_temp_osds (with Tentacle's pgtemp_undo_primaryfirst).
import { utf8Encode } from '../../protocol/encoding/utf8.ts';
import { type PgId, parsePgId } from '../../protocol/types/pg.ts';
import type { CrushMap } from '../crush-map.ts';
import { CRUSH_ITEM_NONE } from '../crush-map.ts';
import { decodeCrushMap } from '../decode-crush-map.ts';
import { crushHash32_2 } from '../hash.ts';
import { doRule } from '../mapper.ts';
import { poolRule } from '../rules.ts';
import { DEFAULT_PRIMARY_AFFINITY, osdExists, osdIsUp, type OSDMap } from './osdmap.ts';
import { pgKey } from './pg-key.ts';
import { type PgPool, poolAllowsEcOptimizations, poolIsHashPsPool, PoolType } from './pg-pool.ts';
import { cephStrHash } from './str-hash.ts';

/**
 * Where a PG lives (OSDMap::pg_to_up_acting_osds): the up set CRUSH and upmaps give, and the acting set serving
 * I/O.
 */
export interface PgMapping {
  /** OSDs CRUSH and the upmaps place the PG on, among the up ones; CRUSH_ITEM_NONE holes for erasure-coded pools. */
  up: number[];
  /** The primary of the up set; -1 if none. */
  upPrimary: number;
  /** The OSDs serving the PG now: pg_temp when set, else the up set. */
  acting: number[];
  /** The OSD clients send the PG's ops to; -1 if none. */
  actingPrimary: number;
}

/** Where an object maps (`objectToOsds`, as `ceph osd map`): its PG and the PG's OSDs. */
export interface ObjectMapping extends PgMapping {
  /** The object's PG, its seed already folded to pg_num (the `1.a` in `ceph osd map`). */
  pgid: PgId;
}

/** The parts of object_locator_t that choose an object's PG (besides the pool). */
export interface ObjectLocatorInput {
  /** The object's namespace; the default namespace when empty or absent. */
  namespace?: string;
  /** Locator key: hashed instead of the name when set. */
  key?: string;
  /** An explicit hash (object_locator_t::hash), overriding key and name. */
  hash?: number;
}

const crushCache = new WeakMap<Uint8Array, CrushMap>();
/** The OSDMap's CRUSH map, decoded once per map blob and cached. */
export function crushOf(m: OSDMap): CrushMap {
  let c = crushCache.get(m.crush);
  if (!c) {
    c = decodeCrushMap(m.crush);
    crushCache.set(m.crush, c);
  }
  return c;
}

/** (1 << cbits(n - 1)) - 1, as pg_pool_t::calc_pg_masks. */
export function pgMask(n: number): number {
  if (n <= 1) return 0;
  return 2 ** (32 - Math.clz32(n - 1)) - 1;
}

/** ceph_stable_mod (src/include/rados.h). */
export function stableMod(x: number, b: number, bmask: number): number {
  const m = (x & bmask) >>> 0;
  return m < b ? m : (x & (bmask >>> 1)) >>> 0;
}

/** pg_pool_t::hash_key: the namespace, a 0x1f byte, then the key. */
export function hashKey(pool: PgPool, key: string, ns: string): number {
  const k = utf8Encode(key);
  if (!ns) return cephStrHash(pool.objectHash, k);
  const n = utf8Encode(ns);
  const buf = new Uint8Array(n.length + 1 + k.length);
  buf.set(n);
  buf[n.length] = 0x1f;
  buf.set(k, n.length + 1);
  return cephStrHash(pool.objectHash, buf);
}

/** The PG (pg_pool_t::raw_pg_to_pg): a raw seed folded onto the pool's pg_num with ceph_stable_mod. */
export function rawPgToPg(pool: PgPool, seed: number): number {
  return stableMod(seed, pool.pgNum, pgMask(pool.pgNum));
}

/** pg_pool_t::raw_pg_to_pps: the placement seed fed to CRUSH. */
export function rawPgToPps(pool: PgPool, poolId: number, seed: number): number {
  const s = stableMod(seed, pool.pgpNum, pgMask(pool.pgpNum));
  return poolIsHashPsPool(pool) ? crushHash32_2(s, poolId) : (s + poolId) >>> 0;
}

const canShift = (pool: PgPool): boolean => pool.type === PoolType.REPLICATED;

function pgToRawOsds(m: OSDMap, pool: PgPool, poolId: number, seed: number): { raw: number[]; pps: number } {
  const pps = rawPgToPps(pool, poolId, seed);
  const crush = crushOf(m);
  const ruleno = poolRule(crush, pool.crushRule, pool.type, pool.size);
  let raw = ruleno >= 0 ? doRule(crush, ruleno, pps, pool.size, m.osdWeight, poolId) : [];
  // _remove_nonexistent_osds: shift for replicated pools, holes for erasure-coded ones
  if (canShift(pool)) raw = raw.filter((o) => osdExists(m, o));
  else raw = raw.map((o) => (osdExists(m, o) ? o : CRUSH_ITEM_NONE));
  return { raw, pps };
}

function isMarkedOut(m: OSDMap, osd: number): boolean {
  return osd !== CRUSH_ITEM_NONE && osd < m.maxOsd && osd >= 0 && m.osdWeight[osd] === 0;
}

/** The pg_upmap / pg_upmap_items / pg_upmap_primaries overrides of the raw CRUSH result (OSDMap::_apply_upmap). */
function applyUpmap(m: OSDMap, pool: PgPool, poolId: number, seed: number, raw: number[]): number[] {
  const key = pgKey(poolId, rawPgToPg(pool, seed));
  const explicit = m.pgUpmap.get(key);
  if (explicit) {
    // One target marked out rejects the whole mapping, and the items and primary with it.
    if (explicit.some((o) => isMarkedOut(m, o))) return raw;
    raw = [...explicit];
  }
  const items = m.pgUpmapItems.get(key);
  if (items) {
    raw = [...raw];
    for (const [from, to] of items) {
      let exists = false;
      let pos = -1;
      for (let i = 0; i < raw.length; i++) {
        const o = raw[i]!;
        if (o === to) {
          exists = true;
          break;
        }
        if (o === from && pos < 0 && !isMarkedOut(m, to)) pos = i;
      }
      if (!exists && pos >= 0) raw[pos] = to;
    }
  }
  // Reef's read balancer: swap the chosen OSD into the first slot, if it is a valid OSD id,
  // not marked out, and already in the set past the first slot; otherwise ignored. It works
  // on the raw set, so a chosen OSD that is down is dropped afterwards like any other.
  const prim = m.pgUpmapPrimaries.get(key);
  if (prim !== undefined && prim !== CRUSH_ITEM_NONE && prim >= 0 && prim < m.maxOsd && m.osdWeight[prim] !== 0) {
    const at = raw.indexOf(prim, 1);
    if (at > 0) {
      raw = [...raw];
      raw[at] = raw[0]!;
      raw[0] = prim;
    }
  }
  return raw;
}

function rawToUp(m: OSDMap, pool: PgPool, raw: number[]): number[] {
  if (canShift(pool)) return raw.filter((o) => osdExists(m, o) && osdIsUp(m, o));
  return raw.map((o) => (osdExists(m, o) && osdIsUp(m, o) ? o : CRUSH_ITEM_NONE));
}

function pickPrimary(osds: number[]): number {
  for (const o of osds) if (o !== CRUSH_ITEM_NONE) return o;
  return -1;
}

function applyPrimaryAffinity(m: OSDMap, pool: PgPool, seed: number, osds: number[], primary: number): number {
  const pa = m.primaryAffinity;
  if (!pa) return primary;
  if (!osds.some((o) => o !== CRUSH_ITEM_NONE && pa[o] !== DEFAULT_PRIMARY_AFFINITY)) return primary;
  let pos = -1;
  for (let i = 0; i < osds.length; i++) {
    const o = osds[i]!;
    if (o === CRUSH_ITEM_NONE) continue;
    const a = pa[o]!;
    if (a < DEFAULT_PRIMARY_AFFINITY && crushHash32_2(seed, o) >>> 16 >= a) {
      if (pos < 0) pos = i; // a fallback if nobody else takes it
    } else {
      pos = i;
      break;
    }
  }
  if (pos < 0) return primary;
  const p = osds[pos]!;
  if (canShift(pool) && pos > 0) {
    for (let i = pos; i > 0; i--) osds[i] = osds[i - 1]!;
    osds[0] = p;
  }
  return p;
}

/**
 * OSDMap::pgtemp_undo_primaryfirst (Tentacle): an optimized EC pool's pg_temp lists the shards
 * that may be primary first; put every OSD back at its shard's position.
 */
function undoPrimaryFirst(pool: PgPool, temp: number[]): number[] {
  if (!poolAllowsEcOptimizations(pool) || temp.length !== pool.size) return temp;
  const nonprimary = new Set(pool.nonprimaryShards);
  let primaryAt = 0;
  let nonprimaryAt = pool.size - nonprimary.size;
  const out: number[] = [];
  for (let shard = 0; shard < pool.size; shard++) out.push(nonprimary.has(shard) ? temp[nonprimaryAt++]! : temp[primaryAt++]!);
  return out;
}

/** OSDMap::pgtemp_primaryfirst (Tentacle): the order pg_temp stores an optimized EC acting set in. */
function primaryFirst(pool: PgPool, acting: number[]): number[] {
  if (!poolAllowsEcOptimizations(pool)) return acting;
  const nonprimary = new Set(pool.nonprimaryShards);
  return [...acting.filter((_, shard) => !nonprimary.has(shard)), ...acting.filter((_, shard) => nonprimary.has(shard))];
}

/** OSDMap::pgtemp_undo_primaryfirst for one position (Tentacle), as written there. */
function undoPrimaryFirstShard(pool: PgPool, pos: number): number {
  if (pos <= 0 || !poolAllowsEcOptimizations(pool)) return pos;
  const parity = pool.size - pool.nonprimaryShards.length - 1;
  return pos > parity ? pos - parity : pos + pool.size - parity - 1;
}

/**
 * The shard of an erasure-coded PG its acting primary serves, as Objecter::_calc_target finds
 * it: the primary's first position in the acting set (taken in pg_temp's primary-first order
 * when the PG has a pg_temp), turned back into a shard. -1 (NO_SHARD) for replicated pools.
 */
export function actingPrimaryShard(m: OSDMap, poolId: number, seed: number, mapping: PgMapping): number {
  const pool = m.pools.get(poolId);
  if (!pool || pool.type !== PoolType.ERASURE) return -1;
  const hasTemp = m.pgTemp.has(pgKey(poolId, seed));
  const order = hasTemp ? primaryFirst(pool, mapping.acting) : mapping.acting;
  const pos = order.indexOf(mapping.actingPrimary);
  if (pos < 0) return -1;
  return hasTemp ? undoPrimaryFirstShard(pool, pos) : pos;
}

function tempOsds(m: OSDMap, pool: PgPool, poolId: number, seed: number): { acting: number[]; primary: number } {
  const key = pgKey(poolId, rawPgToPg(pool, seed));
  const stored = m.pgTemp.get(key);
  const temp: number[] = [];
  for (const o of stored ?? []) {
    if (!osdExists(m, o) || !osdIsUp(m, o)) {
      if (!canShift(pool)) temp.push(CRUSH_ITEM_NONE);
    } else temp.push(o);
  }
  const acting = stored ? undoPrimaryFirst(pool, temp) : temp;
  // The primary is the first OSD of pg_temp as stored (primary-capable shards first).
  const pt = m.primaryTemp.get(key);
  const primary = pt !== undefined ? pt : pickPrimary(temp);
  return { acting, primary };
}

/** OSDMap::pg_to_up_acting_osds for pg (pool, seed); an unknown pool or seed ≥ pg_num maps to nothing. */
export function pgToUpActing(m: OSDMap, poolId: number, seed: number): PgMapping {
  const pool = m.pools.get(poolId);
  if (!pool || seed >= pool.pgNum) return { up: [], upPrimary: -1, acting: [], actingPrimary: -1 };
  const temp = tempOsds(m, pool, poolId, seed);
  const { raw, pps } = pgToRawOsds(m, pool, poolId, seed);
  const up = rawToUp(m, pool, applyUpmap(m, pool, poolId, seed, raw));
  const upPrimary = applyPrimaryAffinity(m, pool, pps, up, pickPrimary(up));
  let acting = temp.acting;
  let actingPrimary = temp.primary;
  if (acting.length === 0) {
    acting = up;
    if (actingPrimary === -1) actingPrimary = upPrimary;
  }
  return { up, upPrimary, acting, actingPrimary };
}

/**
 * OSDMap::object_locator_to_pg: the raw pg of an object in a pool: the pool id as given, and
 * the raw placement seed (the object's hash, not yet folded onto pg_num: see rawPgToPg).
 */
export function objectToPg(m: OSDMap, poolId: number, name: string, loc: ObjectLocatorInput = {}): PgId {
  const pool = m.pools.get(poolId);
  if (!pool) throw new RangeError(`pool ${poolId} does not exist in osdmap epoch ${m.epoch}`);
  const ps = loc.hash !== undefined && loc.hash >= 0 ? loc.hash : hashKey(pool, loc.key ? loc.key : name, loc.namespace ?? '');
  return { pool: poolId, seed: ps };
}

/** up, up_primary, acting, acting_primary of a PG, named "1.2f" or { pool, seed } (`ceph pg map`). */
export function pgToOsds(m: OSDMap, pgid: string | PgId): PgMapping {
  const pg = typeof pgid === 'string' ? parsePgId(pgid) : pgid;
  return pgToUpActing(m, pg.pool, pg.seed);
}

/** Object → PG (after stable_mod to the pool's pg_num) → OSDs, as `ceph osd map` shows it. */
export function objectToOsds(m: OSDMap, poolId: number, name: string, loc: ObjectLocatorInput = {}): ObjectMapping {
  const pool = m.pools.get(poolId);
  if (!pool) throw new RangeError(`pool ${poolId} is not in the OSDMap`);
  const pgid = { pool: poolId, seed: rawPgToPg(pool, objectToPg(m, poolId, name, loc).seed) };
  return { pgid, ...pgToUpActing(m, poolId, pgid.seed) };
}
