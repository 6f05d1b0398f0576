// pool_opts_t (src/osd/osd_types.{h,cc}): the per-pool options `ceph osd pool set` stores
// (compression, scrub intervals, target_size_ratio, read_ratio …), keyed by name as
// `ceph osd pool ls detail` prints them under "options".
import type { Reader } from '../../protocol/encoding/reader.ts';
import { readF64 } from './denc-numbers.ts';

/** One pool_opts_t value: a string, an integer (number, or bigint past 2^53) or a double. */
export type PoolOptionValue = string | number | bigint;

/**
 * pool_opts_t::key_t by value, named as opt_mapping names them (Tentacle 20.2; Pacific and
 * Reef define a prefix of this list: Pacific ends at pg_num_max, Reef adds read_ratio).
 */
export const POOL_OPTION_NAMES: readonly string[] = [
  'scrub_min_interval',
  'scrub_max_interval',
  'deep_scrub_interval',
  'recovery_priority',
  'recovery_op_priority',
  'scrub_priority',
  'compression_mode',
  'compression_algorithm',
  'compression_required_ratio',
  'compression_max_blob_size',
  'compression_min_blob_size',
  'csum_type',
  'csum_max_block',
  'csum_min_block',
  'fingerprint_algorithm',
  'pg_num_min',
  'target_size_bytes',
  'target_size_ratio',
  'pg_autoscale_bias',
  'read_lease_interval',
  'dedup_tier',
  'dedup_chunk_algorithm',
  'dedup_cdc_chunk_size',
  'pg_num_max',
  'read_ratio',
  'pct_update_delay',
];

/** pool_opts_t::type_t. */
const OptType = { STR: 0, INT: 1, DOUBLE: 2 } as const;

/**
 * pool_opts_t::decode: v2 (Nautilus+) stores INT as le64, v1 as le32. An INT beyond 2^53
 * stays a bigint; a key this table does not know is kept as `unknown-<key>`.
 */
export function decodePoolOptions(r: Reader, field = 'pool_opts_t'): Map<string, PoolOptionValue> {
  return r.struct(field, 2, (r, v) => {
    const out = new Map<string, PoolOptionValue>();
    const n = r.count(`${field}.size`, 8);
    for (let i = 0; i < n; i++) {
      const key = r.i32(`${field}.key`);
      const type = r.i32(`${field}.type`);
      const name = POOL_OPTION_NAMES[key] ?? `unknown-${key}`;
      if (type === OptType.STR) out.set(name, r.string(`${field}.${name}`));
      else if (type === OptType.INT) {
        if (v >= 2) {
          const x = r.i64(`${field}.${name}`);
          out.set(name, x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x);
        } else out.set(name, r.i32(`${field}.${name}`));
      } else if (type === OptType.DOUBLE) out.set(name, readF64(r, `${field}.${name}`));
      else r.fail(`${field}.${name}`, `unknown option type ${type}`);
    }
    return out;
  });
}
