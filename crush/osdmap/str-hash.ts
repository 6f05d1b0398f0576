// ceph_str_hash (src/common/ceph_hash.cc): rjenkins (Jenkins' lookup2 over the bytes) and the
// old Linux dcache hash, selected by pg_pool_t::object_hash.
/** Object name hash types (CEPH_STR_HASH_*, src/include/ceph_hash.h), as pg_pool_t::object_hash names them. */
export const StrHash = {
  /** CEPH_STR_HASH_LINUX: the Linux dcache hash. */
  LINUX: 1,
  /** CEPH_STR_HASH_RJENKINS: Jenkins' lookup2; what every pool uses today. */
  RJENKINS: 2,
} as const;

/** ceph_str_hash_rjenkins: Jenkins' lookup2 hash of the bytes; unsigned 32-bit. */
export function strHashRjenkins(k: Uint8Array): number {
  let a = 0x9e3779b9 | 0;
  let b = a;
  let c = 0;
  let len = k.length;
  let i = 0;
  const mix = (): void => {
    a = (a - b - c) ^ (c >>> 13);
    b = (b - c - a) ^ (a << 8);
    c = (c - a - b) ^ (b >>> 13);
    a = (a - b - c) ^ (c >>> 12);
    b = (b - c - a) ^ (a << 16);
    c = (c - a - b) ^ (b >>> 5);
    a = (a - b - c) ^ (c >>> 3);
    b = (b - c - a) ^ (a << 10);
    c = (c - a - b) ^ (b >>> 15);
  };
  while (len >= 12) {
    a = (a + (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24))) | 0;
    b = (b + (k[i + 4]! | (k[i + 5]! << 8) | (k[i + 6]! << 16) | (k[i + 7]! << 24))) | 0;
    c = (c + (k[i + 8]! | (k[i + 9]! << 8) | (k[i + 10]! << 16) | (k[i + 11]! << 24))) | 0;
    mix();
    i += 12;
    len -= 12;
  }
  c = (c + k.length) | 0;
  // The tail, as lookup2's fall-through switch adds it (the low byte of c holds the length).
  if (len >= 11) c = (c + (k[i + 10]! << 24)) | 0;
  if (len >= 10) c = (c + (k[i + 9]! << 16)) | 0;
  if (len >= 9) c = (c + (k[i + 8]! << 8)) | 0;
  if (len >= 8) b = (b + (k[i + 7]! << 24)) | 0;
  if (len >= 7) b = (b + (k[i + 6]! << 16)) | 0;
  if (len >= 6) b = (b + (k[i + 5]! << 8)) | 0;
  if (len >= 5) b = (b + k[i + 4]!) | 0;
  if (len >= 4) a = (a + (k[i + 3]! << 24)) | 0;
  if (len >= 3) a = (a + (k[i + 2]! << 16)) | 0;
  if (len >= 2) a = (a + (k[i + 1]! << 8)) | 0;
  if (len >= 1) a = (a + k[i]!) | 0;
  mix();
  return c >>> 0;
}

/** ceph_str_hash_linux: the old Linux dcache string hash; unsigned 32-bit. */
export function strHashLinux(k: Uint8Array): number {
  let hash = 0;
  for (const ch of k) hash = Math.imul((hash + (ch << 4) + (ch >> 4)) | 0, 11);
  return hash >>> 0;
}

/** ceph_str_hash: the hash of the bytes by type (StrHash); 0xffffffff for an unknown type. */
export function cephStrHash(type: number, k: Uint8Array): number {
  switch (type) {
    case StrHash.LINUX:
      return strHashLinux(k);
    case StrHash.RJENKINS:
      return strHashRjenkins(k);
    default:
      return 0xffffffff; // ceph_str_hash: -1 for an unknown type
  }
}
