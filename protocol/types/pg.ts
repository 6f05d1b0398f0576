import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** A PG by pool and placement seed, as Ceph prints it: `<pool>.<seed in hex>` ("3.1f"). */
export interface PgId {
  /** The pool id. */
  pool: number;
  /** The placement seed (the PG's number within the pool, below pg_num, once folded). */
  seed: number;
}

/** pg_t (src/osd/osd_types.h): u8 1, le64 pool, le32 seed, le32 preferred (always -1 since Luminous). */
export interface PgT extends PgId {
  /** pg_t::m_pool: the pool id. */
  pool: number;
  /** pg_t::m_seed: the placement seed (the PG's number within the pool, below pg_num). */
  seed: number;
  /** pg_t::m_preferred: a long-gone preferred OSD; -1. */
  preferred: number;
}

/** What encodePgT and encodeSpgT take: a PgId, with `preferred` when it is not -1. */
export type PgTInput = PgId & Partial<Pick<PgT, 'preferred'>>;

/** Decodes a pg_t (version byte 1 only). */
export function decodePgT(r: Reader, field = 'pg_t'): PgT {
  const v = r.u8(field);
  if (v !== 1) r.fail(field, `unknown pg_t version ${v}`, r.offset - 1);
  const pool = r.i64n(field);
  const seed = r.u32(field);
  const preferred = r.i32(field);
  return { pool, seed, preferred };
}

/** Encodes a pg_t; preferred defaults to -1. */
export function encodePgT(w: Writer, pg: PgTInput): void {
  w.u8(1)
    .i64(pg.pool)
    .u32(pg.seed)
    .i32(pg.preferred ?? -1);
}

/** As Ceph prints a pg: `<pool>.<seed in hex>`. */
export function formatPgId(pg: PgId): string {
  return `${pg.pool}.${pg.seed.toString(16)}`;
}

/** Parses `<pool>.<seed in hex>` (e.g. "3.1f"); a RangeError otherwise. */
export function parsePgId(s: string): PgId {
  const m = /^(\d+)\.([0-9a-fA-F]+)$/.exec(s);
  if (!m) throw new RangeError(`not a pg id: ${s}`);
  return { pool: Number(m[1]), seed: parseInt(m[2]!, 16) };
}

/** shard_id_t NO_SHARD. */
export const NO_SHARD = -1;

/** spg_t: ENCODE_START(1,1) pg_t, s8 shard. */
export interface SpgT {
  /** spg_t::pgid: the PG. */
  pgid: PgT;
  /** spg_t::shard: the erasure-code shard (shard_id_t), or NO_SHARD for a replicated pool. */
  shard: number;
}

/** Decodes an spg_t. */
export function decodeSpgT(r: Reader, field = 'spg_t'): SpgT {
  return r.struct(field, 1, (r) => {
    const pgid = decodePgT(r, `${field}.pgid`);
    const shard = r.i8(`${field}.shard`);
    return { pgid, shard };
  });
}

/** What encodeSpgT takes: an SpgT whose pgid may leave `preferred` out (-1). */
export interface SpgTInput {
  /** spg_t::pgid: the PG. */
  pgid: PgTInput;
  /** spg_t::shard: the erasure-code shard, or NO_SHARD. */
  shard: number;
}

/** Encodes an spg_t. */
export function encodeSpgT(w: Writer, s: SpgTInput): void {
  w.struct(1, 1, (w) => {
    encodePgT(w, s.pgid);
    w.i8(s.shard);
  });
}
