// The error classes every rados-ts API throws. They live in protocol/ so pure codecs
// (frames, cephx) can raise them without reaching into src/.

export interface RadosErrorOptions {
  cause?: unknown;
}

/** A Ceph operation failed with an errno (negative in Ceph's replies; stored positive here, as librados' Python API does). */
export class RadosError extends Error {
  override name = 'RadosError';
  /** Positive errno, e.g. 2 for ENOENT, 13 for EACCES. */
  readonly errno: number;
  constructor(message: string, errno: number, options?: RadosErrorOptions) {
    super(message, options);
    this.errno = Math.abs(errno);
  }
}

/** Authentication failed: a wrong key, an unknown entity, a bad server proof or signature. */
export class AuthError extends RadosError {
  override name = 'AuthError';
}

/** The connection could not be made or was lost; in-flight work on it is reported with this. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** The peer sent bytes that break the protocol: a bad crc or GCM tag, an impossible length, an unknown tag. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** A call did not complete within its timeout. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Linux errno values Ceph puts on the wire (include/linux/errno.h); the ones callers test for. */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  ENXIO: 6,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  EINVAL: 22,
  EFBIG: 27,
  ENOSPC: 28,
  EROFS: 30,
  ERANGE: 34,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOTSUP: 95,
  EOPNOTSUPP: 95,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ENODATA: 61,
  EILSEQ: 84,
  ETIMEDOUT: 110,
  ECANCELED: 125,
  EBLOCKLISTED: 108,
  ESTALE: 116,
  EDQUOT: 122,
  EOLDSNAPC: 85,
  EDOM: 33,
} as const;

const ERRNO_NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(Errno)) if (!ERRNO_NAMES.has(v)) ERRNO_NAMES.set(v, k);

/** Whether `e` is a RadosError carrying one of these (positive) errnos. */
export const hasErrno = (e: unknown, ...errnos: number[]): e is RadosError => e instanceof RadosError && errnos.includes(e.errno);

/** A `.catch` handler that lets these errnos pass (resolving undefined) and rethrows the rest: `remove(oid).catch(skipErrno(Errno.ENOENT))`. */
export const skipErrno =
  (...errnos: number[]) =>
  (e: unknown): undefined => {
    if (!hasErrno(e, ...errnos)) throw e;
    return undefined;
  };

/** "ENOENT" for 2 or -2; "errno 1234" when unknown. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES.get(Math.abs(errno)) ?? `errno ${Math.abs(errno)}`;
}
