import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';
import { utf8Encode } from '../encoding/utf8.ts';

/** CEPH_NOSNAP: the head object. */
export const CEPH_NOSNAP = 0xfffffffffffffffen;
/** CEPH_SNAPDIR: the snapdir pseudo-object. */
export const CEPH_SNAPDIR = 0xffffffffffffffffn;

/**
 * hobject_t (src/common/hobject.h): ENCODE_START(4,3) key, oid, le64 snap, le32 hash,
 * bool max, nspace, le64 pool. `pool` stays a bigint because the minimum object uses INT64_MIN.
 */
export interface HObject {
  /** hobject_t::key: the locator key that placed the object; empty when its name did. */
  key: string;
  /** hobject_t::oid: the object name. */
  oid: string;
  /** hobject_t::snap: the snapshot id; CEPH_NOSNAP for the head object, CEPH_SNAPDIR for the snapdir. */
  snap: bigint;
  /** hobject_t::hash: the 32-bit hash of the name (or key) that placed the object in its PG. */
  hash: number;
  /** hobject_t::max: true for the maximum object (sorts after every other; the end of a listing). */
  max: boolean;
  /** hobject_t::nspace: the namespace; empty for the default one. */
  nspace: string;
  /** hobject_t::pool: the pool id; -1 for none, INT64_MIN for the minimum object. */
  pool: bigint;
}

/** Decodes an hobject_t (versions 1 to 4; older ones lack max, nspace and pool). */
export function decodeHObject(r: Reader, field = 'hobject_t'): HObject {
  return r.struct(field, 4, (r, v) => {
    const key = r.string(`${field}.key`);
    const oid = r.string(`${field}.oid`);
    const snap = r.u64(`${field}.snap`);
    const hash = r.u32(`${field}.hash`);
    const max = v >= 2 ? r.bool(`${field}.max`) : false;
    let nspace = '';
    let pool = -1n;
    if (v >= 4) {
      nspace = r.string(`${field}.nspace`);
      pool = r.i64(`${field}.pool`);
    }
    return { key, oid, snap, hash, max, nspace, pool };
  });
}

/** Encodes an hobject_t (version 4). */
export function encodeHObject(w: Writer, h: HObject): void {
  w.struct(4, 3, (w) => {
    w.string(h.key).string(h.oid).u64(h.snap).u32(h.hash).bool(h.max).string(h.nspace).i64(h.pool);
  });
}

/** snapid_t's operator<< (src/include/object.h): "head", "snapdir", else the id in hex. */
export function formatSnapId(snap: bigint): string {
  return snap === CEPH_NOSNAP ? 'head' : snap === CEPH_SNAPDIR ? 'snapdir' : snap.toString(16);
}

/** append_out_escaped (src/common/hobject.cc): '%', ':', '/' and bytes outside 32..126 as %xx. */
function escaped(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += b === 0x25 || b === 0x3a || b === 0x2f || b < 32 || b >= 127 ? `%${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

/**
 * hobject_t's operator<< (src/common/hobject.cc): "pool:bitwise-key:nspace:key:name:snap", the
 * key being the hash with its bits reversed, as 8 hex digits ("1:602f83fe:::obj1:head").
 */
export function formatHObject(h: HObject): string {
  if (h.max) return 'MAX';
  if (h.pool === -9223372036854775808n && h.hash === 0 && h.snap === 0n && !h.oid && !h.key && !h.nspace) return 'MIN';
  return `${h.pool}:${bitwiseKey(h.hash).toString(16).padStart(8, '0')}:${escaped(h.nspace)}:${escaped(h.key)}:${escaped(h.oid)}:${formatSnapId(h.snap)}`;
}

/** The hash with its 32 bits reversed: hobject_t's bitwise sort key (get_bitwise_key_u32). */
export function bitwiseKey(hash: number): number {
  let rev = 0;
  for (let i = 0; i < 32; i++) rev = (rev << 1) | ((hash >>> i) & 1);
  return rev >>> 0;
}

/** std::string's operator< on the UTF-8 bytes (what the OSD compares), as -1, 0 or 1. */
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const x = utf8Encode(a);
  const y = utf8Encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

const sign = (a: number | bigint, b: number | bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * hobject_t's order (cmp in src/common/hobject.cc, the bitwise sort every OSD uses since
 * Luminous): max last, then pool, the bit-reversed hash, namespace, the effective key (the
 * locator key, or the name without one; only when either has a key), name, snap.
 */
export function compareHObject(a: HObject, b: HObject): number {
  if (a.max !== b.max) return a.max ? 1 : -1;
  if (a.max) return 0;
  return (
    sign(a.pool, b.pool) ||
    sign(bitwiseKey(a.hash), bitwiseKey(b.hash)) ||
    compareBytes(a.nspace, b.nspace) ||
    (a.key || b.key ? compareBytes(a.key || a.oid, b.key || b.oid) : 0) ||
    compareBytes(a.oid, b.oid) ||
    sign(a.snap, b.snap)
  );
}
