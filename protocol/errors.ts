// The error classes every rados-ts API throws. They live in protocol/ so pure codecs
// (frames, cephx) can raise them without reaching into src/.

/** Options of the error constructors, as Error's own. */
export interface RadosErrorOptions {
  /** The underlying error, kept as Error.cause. */
  cause?: unknown;
}

/** A Ceph operation failed with an errno (negative in Ceph's replies; stored positive here, as librados' Python API does). */
export class RadosError extends Error {
  /** Always 'RadosError'; subclasses set their own. */
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
  /** Always 'AuthError'. */
  override name = 'AuthError';
}

/** The connection could not be made or was lost; in-flight work on it is reported with this. */
export class ConnectionError extends Error {
  /** Always 'ConnectionError'. */
  override name = 'ConnectionError';
}

/** The peer sent bytes that break the protocol: a bad crc or GCM tag, an impossible length, an unknown tag. */
export class ProtocolError extends Error {
  /** Always 'ProtocolError'. */
  override name = 'ProtocolError';
}

/** A call did not complete within its timeout. */
export class TimeoutError extends Error {
  /** Always 'TimeoutError'. */
  override name = 'TimeoutError';
}

/** Linux errno values Ceph puts on the wire (include/linux/errno.h); the ones callers test for. */
export const Errno = {
  /** Operation not permitted, e.g. by a pool flag or the object's state. */
  EPERM: 1,
  /** No such object, pool, key, snapshot or entity. */
  ENOENT: 2,
  /** I/O error: an OSD could not read or write the data. */
  EIO: 5,
  /** Bad file descriptor: a handle (e.g. a watch or an ioctx) that is not valid. */
  EBADF: 9,
  /** No such device or address. */
  ENXIO: 6,
  /** Try again: the resource is busy or not ready (e.g. a lock held, a PG not active). */
  EAGAIN: 11,
  /** Out of memory. */
  ENOMEM: 12,
  /** Permission denied: the caps or the key do not allow it. */
  EACCES: 13,
  /** Busy, e.g. an image with watchers or a lock held by another client. */
  EBUSY: 16,
  /** Already exists (an exclusive create, a pool, a snapshot). */
  EEXIST: 17,
  /** Cross-device link: the operation would span pools or objects it cannot join. */
  EXDEV: 18,
  /** No such device, e.g. an object class or method the OSD does not load. */
  ENODEV: 19,
  /** Invalid argument. */
  EINVAL: 22,
  /** Too large, e.g. an object or write past osd_max_object_size or osd_max_write_size. */
  EFBIG: 27,
  /** No space: the cluster or an OSD is full. */
  ENOSPC: 28,
  /** Read-only, e.g. a write to a snapshot or a read-only pool. */
  EROFS: 30,
  /** Too many links, e.g. removing an RBD image that is still in a group. */
  EMLINK: 31,
  /** Out of range, e.g. a name or attribute value too long for the OSD. */
  ERANGE: 34,
  /** Deadlock avoided: the lock is already held by the caller. */
  EDEADLK: 35,
  /** Name too long (object name past osd_max_object_name_len). */
  ENAMETOOLONG: 36,
  /** Not supported: the OSD or the pool type cannot do this op. */
  ENOTSUP: 95,
  /** The same value as ENOTSUP on Linux. */
  EOPNOTSUPP: 95,
  /** Function not implemented: an op or command the daemon does not know. */
  ENOSYS: 38,
  /** Not empty, e.g. removing a pool or directory object that still has entries. */
  ENOTEMPTY: 39,
  /** No data: an xattr or omap key that does not exist. */
  ENODATA: 61,
  /** Illegal byte sequence, e.g. a malformed encoding in a request. */
  EILSEQ: 84,
  /** Not connected: a watch lost for good, its object deleted among the causes (Objecter::_normalize_watch_error). */
  ENOTCONN: 107,
  /** Timed out, e.g. osd_op_timeout or a monitor command timeout reached. */
  ETIMEDOUT: 110,
  /** Canceled: the operation was aborted before it completed. */
  ECANCELED: 125,
  /** Ceph's EBLOCKLISTED (= ESHUTDOWN): this client instance is on the OSDMap blocklist. */
  EBLOCKLISTED: 108,
  /** Stale handle: it refers to state the peer no longer has. */
  ESTALE: 116,
  /** Quota exceeded: the pool's quota_max_bytes or quota_max_objects. */
  EDQUOT: 122,
  /** Ceph's EOLDSNAPC (= ERESTART): the write's snap context is older than the object's. */
  EOLDSNAPC: 85,
  /** Argument out of domain. */
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
