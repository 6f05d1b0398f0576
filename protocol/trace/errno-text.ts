// cpp_strerror (src/common/errno.cc) as Ceph's prints use it: "(2) No such file or directory".
// The texts are glibc's strerror for the Linux errnos Ceph puts on the wire (the daemons that
// printed them run on glibc).

const STRERROR: Record<number, string> = {
  0: 'Success',
  1: 'Operation not permitted',
  2: 'No such file or directory',
  5: 'Input/output error',
  6: 'No such device or address',
  9: 'Bad file descriptor',
  11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory',
  13: 'Permission denied',
  16: 'Device or resource busy',
  17: 'File exists',
  18: 'Invalid cross-device link',
  19: 'No such device',
  22: 'Invalid argument',
  27: 'File too large',
  28: 'No space left on device',
  30: 'Read-only file system',
  33: 'Numerical argument out of domain',
  34: 'Numerical result out of range',
  35: 'Resource deadlock avoided',
  36: 'File name too long',
  38: 'Function not implemented',
  39: 'Directory not empty',
  61: 'No data available',
  75: 'Value too large for defined data type',
  84: 'Invalid or incomplete multibyte or wide character',
  85: 'Interrupted system call should be restarted',
  95: 'Operation not supported',
  108: 'Cannot send after transport endpoint shutdown',
  110: 'Connection timed out',
  116: 'Stale file handle',
  122: 'Disk quota exceeded',
  125: 'Operation canceled',
};

/** cpp_strerror(r): "(2) No such file or directory" for -2 or 2. */
export function cppStrerror(r: number): string {
  const n = Math.abs(r);
  return `(${n}) ${STRERROR[n] ?? `Unknown error ${n}`}`;
}
