// The error classes every rados-ts API throws. They live in protocol/ so pure codecs
// (frames, cephx) can raise them without reaching into src/.

/** Options of the error constructors, as Error's own. */
export interface RadosErrorOptions {
  /** The underlying error, kept as Error.cause. */
  cause?: unknown;
}

/**
 * A Ceph operation failed with an errno (negative in Ceph's replies; stored positive here, as
 * librados' Python API does). `new RadosError(message, errno)` builds the errno's own class
 * when it has one (ENOENT → {@link ObjectNotFound}, EBUSY → {@link ObjectBusy}, …, as the
 * Python bindings' make_ex does), so every path that fails with an errno throws the class a
 * caller can catch by name; each of those is still a RadosError.
 */
export class RadosError extends Error {
  /** 'RadosError' for an errno without a class of its own; subclasses set their own. */
  override name = 'RadosError';
  /** Positive errno, e.g. 2 for ENOENT, 13 for EACCES. */
  readonly errno: number;
  constructor(message: string, errno: number, options?: RadosErrorOptions) {
    super(message, options);
    this.errno = Math.abs(errno);
    if (new.target === RadosError) {
      const own = ERRNO_CLASSES.get(this.errno);
      // A constructor may hand back another object: the errno's class with the same message and
      // cause, so each `new RadosError(m, 2)` in the library yields an ObjectNotFound.
      if (own) return new own(message, options);
    }
  }

  /** The errno's symbolic name, as Node's `error.code`: 'ENOENT', 'EBUSY'; `E<number>` for one this library has no name for. */
  get code(): string {
    return ERRNO_NAMES.get(this.errno) ?? `E${this.errno}`;
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
  /** Interrupted call. */
  EINTR: 4,
  /** Already connected. */
  EISCONN: 106,
  /** Not connected, e.g. a watch whose object was removed. */
  ENOTCONN: 107,
  /** The same value as EBLOCKLISTED: the transport was shut down. */
  ESHUTDOWN: 108,
  /** Operation now in progress. */
  EINPROGRESS: 115,
} as const;

// The errno classes: one per errno either Python binding maps to an exception of its own
// (src/pybind/rados/rados.pyx and src/pybind/rbd/rbd.pyx, errno_to_exception, Pacific through
// Tentacle). Where rbd names an errno rados also names (ENOENT: ImageNotFound beside
// ObjectNotFound), the rbd name is the same class under a second name.

/** Operation not permitted (EPERM). Python: rados.PermissionError, rbd.PermissionError. */
export class PermissionError extends RadosError {
  /** Always 'PermissionError'. */
  override name = 'PermissionError';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EPERM, options);
  }
}

/** No such object, pool, image, snapshot, key or entity (ENOENT). Python: rados.ObjectNotFound; rbd.ImageNotFound is this class too ({@link ImageNotFound}). */
export class ObjectNotFound extends RadosError {
  /** Always 'ObjectNotFound'. */
  override name = 'ObjectNotFound';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ENOENT, options);
  }
}

/** An OSD could not read or write the data (EIO). Python: rados.IOError, rbd.IOError. */
export class IOError extends RadosError {
  /** Always 'IOError'. */
  override name = 'IOError';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EIO, options);
  }
}

/** The cluster or an OSD is full (ENOSPC). Python: rados.NoSpace, rbd.NoSpace. */
export class NoSpace extends RadosError {
  /** Always 'NoSpace'. */
  override name = 'NoSpace';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ENOSPC, options);
  }
}

/** It already exists: an exclusive create, a pool, an image, a snapshot (EEXIST). Python: rados.ObjectExists; rbd.ImageExists is this class too ({@link ImageExists}). */
export class ObjectExists extends RadosError {
  /** Always 'ObjectExists'. */
  override name = 'ObjectExists';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EEXIST, options);
  }
}

/** Busy: watchers on an image, a lock held by another client (EBUSY). Python: rados.ObjectBusy; rbd.ImageBusy is this class too ({@link ImageBusy}). */
export class ObjectBusy extends RadosError {
  /** Always 'ObjectBusy'. */
  override name = 'ObjectBusy';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EBUSY, options);
  }
}

/** No such xattr or omap key (ENODATA). Python: rados.NoData. */
export class NoData extends RadosError {
  /** Always 'NoData'. */
  override name = 'NoData';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ENODATA, options);
  }
}

/** The call was interrupted (EINTR). Python: rados.InterruptedOrTimeoutError. */
export class InterruptedOrTimeoutError extends RadosError {
  /** Always 'InterruptedOrTimeoutError'. */
  override name = 'InterruptedOrTimeoutError';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EINTR, options);
  }
}

/** A Ceph-side timeout ran out, e.g. osd_op_timeout or a notify with no answer (ETIMEDOUT). A timeout of our own call is a {@link TimeoutError}. Python: rados.TimedOut; rbd.Timeout is this class too ({@link Timeout}). */
export class TimedOut extends RadosError {
  /** Always 'TimedOut'. */
  override name = 'TimedOut';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ETIMEDOUT, options);
  }
}

/** The caps or the key do not allow it (EACCES). Python: rados.PermissionDeniedError. */
export class PermissionDeniedError extends RadosError {
  /** Always 'PermissionDeniedError'. */
  override name = 'PermissionDeniedError';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EACCES, options);
  }
}

/** Operation in progress (EINPROGRESS). Python: rados.InProgress. */
export class InProgress extends RadosError {
  /** Always 'InProgress'. */
  override name = 'InProgress';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EINPROGRESS, options);
  }
}

/** Already connected (EISCONN). Python: rados.IsConnected. */
export class IsConnected extends RadosError {
  /** Always 'IsConnected'. */
  override name = 'IsConnected';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EISCONN, options);
  }
}

/** Invalid argument (EINVAL). Python: rados.InvalidArgumentError; rbd.InvalidArgument is this class too ({@link InvalidArgument}). */
export class InvalidArgumentError extends RadosError {
  /** Always 'InvalidArgumentError'. */
  override name = 'InvalidArgumentError';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EINVAL, options);
  }
}

/** Not connected, e.g. a watch whose object was removed (ENOTCONN). Python: rados.NotConnected. */
export class NotConnected extends RadosError {
  /** Always 'NotConnected'. */
  override name = 'NotConnected';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ENOTCONN, options);
  }
}

/** This client was blocklisted or its connection shut down (ESHUTDOWN, Ceph's EBLOCKLISTED). Python: rados.ConnectionShutdown, rbd.ConnectionShutdown. */
export class ConnectionShutdown extends RadosError {
  /** Always 'ConnectionShutdown'. */
  override name = 'ConnectionShutdown';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ESHUTDOWN, options);
  }
}

/** Read-only: a write to a snapshot, an image whose lock another client keeps (EROFS). Python: rbd.ReadOnlyImage. */
export class ReadOnlyImage extends RadosError {
  /** Always 'ReadOnlyImage'. */
  override name = 'ReadOnlyImage';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EROFS, options);
  }
}

/** Not empty: an image with snapshots, a namespace or pool with images (ENOTEMPTY). Python: rbd.ImageHasSnapshots. */
export class ImageHasSnapshots extends RadosError {
  /** Always 'ImageHasSnapshots'. */
  override name = 'ImageHasSnapshots';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ENOTEMPTY, options);
  }
}

/** Not implemented by the daemon or the image format (ENOSYS). Python: rbd.FunctionNotSupported. */
export class FunctionNotSupported extends RadosError {
  /** Always 'FunctionNotSupported'. */
  override name = 'FunctionNotSupported';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ENOSYS, options);
  }
}

/** An argument out of its domain, e.g. an object size order past 25 (EDOM). Python: rbd.ArgumentOutOfRange. */
export class ArgumentOutOfRange extends RadosError {
  /** Always 'ArgumentOutOfRange'. */
  override name = 'ArgumentOutOfRange';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EDOM, options);
  }
}

/** The pool's quota is reached (EDQUOT). Python: rbd.DiskQuotaExceeded. */
export class DiskQuotaExceeded extends RadosError {
  /** Always 'DiskQuotaExceeded'. */
  override name = 'DiskQuotaExceeded';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EDQUOT, options);
  }
}

/** Canceled before it completed (ECANCELED). Python: rbd.OperationCanceled. */
export class OperationCanceled extends RadosError {
  /** Always 'OperationCanceled'. */
  override name = 'OperationCanceled';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.ECANCELED, options);
  }
}

/** Not supported by the OSD, the pool or the image (EOPNOTSUPP). Python: rbd.OperationNotSupported. */
export class OperationNotSupported extends RadosError {
  /** Always 'OperationNotSupported'. */
  override name = 'OperationNotSupported';
  constructor(message: string, options?: RadosErrorOptions) {
    super(message, Errno.EOPNOTSUPP, options);
  }
}

/** rbd's name for ENOENT: the same class as {@link ObjectNotFound}. */
export const ImageNotFound = ObjectNotFound;
/** rbd's name for ENOENT (the instance type). */
export type ImageNotFound = ObjectNotFound;
/** rbd's name for EEXIST: the same class as {@link ObjectExists}. */
export const ImageExists = ObjectExists;
/** rbd's name for EEXIST (the instance type). */
export type ImageExists = ObjectExists;
/** rbd's name for EBUSY: the same class as {@link ObjectBusy}. */
export const ImageBusy = ObjectBusy;
/** rbd's name for EBUSY (the instance type). */
export type ImageBusy = ObjectBusy;
/** rbd's name for EINVAL: the same class as {@link InvalidArgumentError}. */
export const InvalidArgument = InvalidArgumentError;
/** rbd's name for EINVAL (the instance type). */
export type InvalidArgument = InvalidArgumentError;
/** rbd's name for ETIMEDOUT: the same class as {@link TimedOut}. */
export const Timeout = TimedOut;
/** rbd's name for ETIMEDOUT (the instance type). */
export type Timeout = TimedOut;

const ERRNO_CLASSES = new Map<number, new (message: string, options?: RadosErrorOptions) => RadosError>([
  [Errno.EPERM, PermissionError],
  [Errno.ENOENT, ObjectNotFound],
  [Errno.EIO, IOError],
  [Errno.ENOSPC, NoSpace],
  [Errno.EEXIST, ObjectExists],
  [Errno.EBUSY, ObjectBusy],
  [Errno.ENODATA, NoData],
  [Errno.EINTR, InterruptedOrTimeoutError],
  [Errno.ETIMEDOUT, TimedOut],
  [Errno.EACCES, PermissionDeniedError],
  [Errno.EINPROGRESS, InProgress],
  [Errno.EISCONN, IsConnected],
  [Errno.EINVAL, InvalidArgumentError],
  [Errno.ENOTCONN, NotConnected],
  [Errno.ESHUTDOWN, ConnectionShutdown],
  [Errno.EROFS, ReadOnlyImage],
  [Errno.ENOTEMPTY, ImageHasSnapshots],
  [Errno.ENOSYS, FunctionNotSupported],
  [Errno.EDOM, ArgumentOutOfRange],
  [Errno.EDQUOT, DiskQuotaExceeded],
  [Errno.ECANCELED, OperationCanceled],
  [Errno.EOPNOTSUPP, OperationNotSupported],
]);

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
