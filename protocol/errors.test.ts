import { describe, expect, it } from 'vitest';
import { AuthError, Errno, ImageBusy, ImageNotFound, ObjectBusy, ObjectNotFound, RadosError, ReadOnlyImage, hasErrno } from './errors.ts';

// Which errno has which class is checked against Ceph's Python bindings on a cluster
// (test/integration/error-classes.test.ts); this file checks the mechanics.
describe('errno classes', () => {
  it('new RadosError(message, errno) builds the errno class, still a RadosError with the message, cause and code', () => {
    const cause = new Error('under');
    const e = new RadosError('stat x: ENOENT', -2, { cause });
    expect(e).toBeInstanceOf(ObjectNotFound);
    expect(e).toBeInstanceOf(RadosError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ObjectNotFound');
    expect(e.message).toBe('stat x: ENOENT');
    expect(e.cause).toBe(cause);
    expect(e.errno).toBe(2);
    expect(e.code).toBe('ENOENT');
    expect(hasErrno(e, Errno.ENOENT)).toBe(true);
  });

  it('an errno without a class stays a plain RadosError; an unnamed errno gets an E<number> code', () => {
    const e = new RadosError('too big', Errno.EFBIG);
    expect(e.constructor).toBe(RadosError);
    expect(e.name).toBe('RadosError');
    expect(e.code).toBe('EFBIG');
    expect(new RadosError('odd', 4095).code).toBe('E4095');
  });

  it("rbd's names are the same classes as rados' for the same errno", () => {
    expect(ImageNotFound).toBe(ObjectNotFound);
    expect(ImageBusy).toBe(ObjectBusy);
    expect(new ReadOnlyImage('x').errno).toBe(Errno.EROFS);
    expect(new RadosError('x', Errno.EBUSY)).toBeInstanceOf(ImageBusy);
  });

  it('subclasses of RadosError keep their own class whatever the errno', () => {
    const e = new AuthError('bad key', Errno.EACCES);
    expect(e.name).toBe('AuthError');
    expect(e.code).toBe('EACCES');
  });
});
