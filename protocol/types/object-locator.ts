import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/**
 * object_locator_t (src/osd/osd_types.h): ENCODE_START(6, 3) le64 pool, le32 preferred (-1),
 * string key, string nspace, le64 hash (-1 unless the hash is given explicitly, which bumps compat to 6).
 */
export interface ObjectLocator {
  /** object_locator_t::pool: the pool id. */
  pool: number;
  /** object_locator_t::key: the locator key hashed for placement instead of the object name; empty for none. */
  key: string;
  /** object_locator_t::nspace: the namespace; empty for the default one. */
  nspace: string;
  /** object_locator_t::hash: an explicit placement hash overriding key and name; -1 for none. */
  hash: number;
}

/** Decodes an object_locator_t (versions 1 to 6). */
export function decodeObjectLocator(r: Reader, field = 'object_locator_t'): ObjectLocator {
  return r.struct(field, 6, (r, v) => {
    let pool: number;
    if (v < 2) {
      // Pre-v2 encodings carried a 32-bit pool and a 16-bit preferred osd.
      pool = r.i32(`${field}.pool`);
      r.i16(`${field}.preferred`);
    } else {
      pool = r.i64n(`${field}.pool`);
      r.i32(`${field}.preferred`);
    }
    const key = r.string(`${field}.key`);
    const nspace = v >= 5 ? r.string(`${field}.nspace`) : '';
    const hash = v >= 6 ? r.i64n(`${field}.hash`) : -1;
    return { pool, key, nspace, hash };
  });
}

/** Encodes an object_locator_t (version 6; compat 3, or 6 when hash is set). */
export function encodeObjectLocator(w: Writer, l: ObjectLocator): void {
  w.struct(6, l.hash === -1 ? 3 : 6, (w) => {
    w.i64(l.pool).i32(-1).string(l.key).string(l.nspace).i64(l.hash);
  });
}
