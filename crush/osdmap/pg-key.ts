// pg_t as a map key. Pools are s64 in Ceph but stay far below 2^21 in practice, so a
// number key (pool * 2^32 + seed) is exact and cheap.
import type { Reader } from '../../protocol/encoding/reader.ts';
import { decodePgT } from '../../protocol/types/pg.ts';

export type PgKey = number;

export function pgKey(pool: number, seed: number): PgKey {
  return pool * 0x1_0000_0000 + seed;
}

export function pgOfKey(k: PgKey): { pool: number; seed: number } {
  return { pool: Math.floor(k / 0x1_0000_0000), seed: k % 0x1_0000_0000 };
}

export function decodePgKey(r: Reader, field: string): PgKey {
  const pg = decodePgT(r, field);
  return pgKey(pg.pool, pg.seed);
}

export const decodeI32Vec = (r: Reader, field: string): number[] => r.array(field, (r) => r.i32(field), 4);
