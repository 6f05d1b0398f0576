// cls_lock's inputs and outputs (src/cls/lock/cls_lock_ops.h, cls_lock_types.h): advisory
// object locks, as librados' rados_lock_* and `rados lock` drive them. Each op is a versioned
// struct (ENCODE_START(1, 1)); its input decoder reads it back as the op's decode in
// cls_lock_ops.h does.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddr, type EntityAddr, formatLegacyAddr } from '../types/entity-addr.ts';
import { decodeEntityNameT, encodeEntityNameT, type EntityNameT } from '../types/entity-name.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';
import { clsRead, clsWrite, decodeNoInput, decodeWhole, noInput, noOutput } from './cls-method.ts';

export const LockType = { NONE: 0, EXCLUSIVE: 1, SHARED: 2 } as const;
/** LOCK_FLAG_RENEW: re-acquiring a lock we hold extends it instead of failing. */
export const LOCK_FLAG_RENEW = 1;

export interface LockOp {
  name: string;
  type: number;
  cookie: string;
  tag: string;
  description: string;
  duration: UTime;
  flags: number;
}

/** An exclusive lock with no expiry and no flags, as librbd takes the header's and object map's "rbd_lock". */
export const exclusiveLockOp = (name: string, cookie: string, tag = ''): LockOp => ({
  name,
  type: LockType.EXCLUSIVE,
  cookie,
  tag,
  description: '',
  duration: { sec: 0, nsec: 0 },
  flags: 0,
});

export function encodeLockOp(o: LockOp): Uint8Array {
  return new Writer(64)
    .struct(1, 1, (w) => {
      w.string(o.name).u8(o.type).string(o.cookie).string(o.tag).string(o.description);
      encodeUtime(w, o.duration);
      w.u8(o.flags);
    })
    .finish();
}

/** cls_lock_lock_op read back. */
export function decodeLockOp(b: Uint8Array): LockOp {
  return decodeWhole(b, 'cls_lock_lock_op', (r) =>
    r.struct('cls_lock_lock_op', 1, (r) => ({
      name: r.string('name'),
      type: r.u8('type'),
      cookie: r.string('cookie'),
      tag: r.string('tag'),
      description: r.string('description'),
      duration: decodeUtime(r, 'duration'),
      flags: r.u8('flags'),
    })),
  );
}

export function encodeUnlockOp(name: string, cookie: string): Uint8Array {
  return new Writer(32).struct(1, 1, (w) => w.string(name).string(cookie)).finish();
}

/** cls_lock_unlock_op read back. */
export function decodeUnlockOp(b: Uint8Array): { name: string; cookie: string } {
  return decodeWhole(b, 'cls_lock_unlock_op', (r) => r.struct('cls_lock_unlock_op', 1, (r) => ({ name: r.string('name'), cookie: r.string('cookie') })));
}

/** cls_lock_set_cookie_op (cls_lock_ops.h): a lock we hold moves to a new cookie (librbd ReacquireRequest). */
export function encodeSetCookieOp(name: string, type: number, cookie: string, tag: string, newCookie: string): Uint8Array {
  return new Writer(64).struct(1, 1, (w) => w.string(name).u8(type).string(cookie).string(tag).string(newCookie)).finish();
}

/** cls_lock_set_cookie_op read back. */
export function decodeSetCookieOp(b: Uint8Array): { name: string; type: number; cookie: string; tag: string; newCookie: string } {
  return decodeWhole(b, 'cls_lock_set_cookie_op', (r) =>
    r.struct('cls_lock_set_cookie_op', 1, (r) => ({
      name: r.string('name'),
      type: r.u8('type'),
      cookie: r.string('cookie'),
      tag: r.string('tag'),
      newCookie: r.string('new_cookie'),
    })),
  );
}

/** cls_lock_assert_op (cls_lock_ops.h): the caller holds the lock under this cookie, type and tag. */
export interface AssertLockedOp {
  name: string;
  type: number;
  cookie: string;
  tag: string;
}

export function encodeAssertOp(o: AssertLockedOp): Uint8Array {
  return new Writer(64).struct(1, 1, (w) => w.string(o.name).u8(o.type).string(o.cookie).string(o.tag)).finish();
}

/** cls_lock_assert_op read back. */
export function decodeAssertOp(b: Uint8Array): AssertLockedOp {
  return decodeWhole(b, 'cls_lock_assert_op', (r) =>
    r.struct('cls_lock_assert_op', 1, (r) => ({ name: r.string('name'), type: r.u8('type'), cookie: r.string('cookie'), tag: r.string('tag') })),
  );
}

export function encodeBreakOp(name: string, locker: EntityNameT, cookie: string): Uint8Array {
  return new Writer(48)
    .struct(1, 1, (w) => {
      w.string(name);
      encodeEntityNameT(w, locker);
      w.string(cookie);
    })
    .finish();
}

/** cls_lock_break_op read back: name, entity_name_t locker, cookie. */
export function decodeBreakOp(b: Uint8Array): { name: string; locker: EntityNameT; cookie: string } {
  return decodeWhole(b, 'cls_lock_break_op', (r) =>
    r.struct('cls_lock_break_op', 1, (r) => ({ name: r.string('name'), locker: decodeEntityNameT(r, 'locker'), cookie: r.string('cookie') })),
  );
}

export function encodeGetInfoOp(name: string): Uint8Array {
  return new Writer(32).struct(1, 1, (w) => w.string(name)).finish();
}

/** cls_lock_get_info_op read back: the lock's name. */
export function decodeGetInfoOp(b: Uint8Array): string {
  return decodeWhole(b, 'cls_lock_get_info_op', (r) => r.struct('cls_lock_get_info_op', 1, (r) => r.string('name')));
}

export interface Locker {
  locker: EntityNameT;
  cookie: string;
  expiration: UTime;
  addr: EntityAddr;
  /** The address as librados gives it (entity_addr_t::get_legacy_str, no `v1:`). */
  address: string;
  description: string;
}

export interface LockInfo {
  lockers: Locker[];
  type: number;
  tag: string;
}

export function decodeGetInfoReply(b: Uint8Array): LockInfo {
  return new Reader(b).struct('cls_lock_get_info_reply', 1, (r) => {
    const n = r.count('lockers', 8);
    const lockers: Locker[] = [];
    for (let i = 0; i < n; i++) {
      const id = r.struct('cls_lock_id_t', 1, (r) => ({ locker: decodeEntityNameT(r, 'locker'), cookie: r.string('cookie') }));
      const info = r.struct('cls_lock_locker_info_t', 1, (r) => ({
        expiration: decodeUtime(r, 'expiration'),
        addr: decodeEntityAddr(r, 'addr'),
        description: r.string('description'),
      }));
      lockers.push({ ...id, ...info, address: formatLegacyAddr(info.addr) });
    }
    return { lockers, type: r.u8('lock_type'), tag: r.string('tag') };
  });
}

export function decodeListLocksReply(b: Uint8Array): string[] {
  return new Reader(b).struct('cls_lock_list_locks_reply', 1, (r) => r.array('locks', (r) => r.string('lock'), 4));
}

// --- methods (src/cls/lock/cls_lock.cc registers them; lock, unlock, break_lock and set_cookie
// as RD|WR, get_info, list_locks and assert_locked as RD) ---------------------------------------------------

export const lock = clsWrite('lock', 'lock', encodeLockOp, decodeLockOp);
export const unlock = clsWrite('lock', 'unlock', (i: { name: string; cookie: string }) => encodeUnlockOp(i.name, i.cookie), decodeUnlockOp);
export const breakLock = clsWrite('lock', 'break_lock', (i: { name: string; locker: EntityNameT; cookie: string }) => encodeBreakOp(i.name, i.locker, i.cookie), decodeBreakOp);
export const setCookie = clsWrite(
  'lock',
  'set_cookie',
  (i: { name: string; type: number; cookie: string; tag: string; newCookie: string }) => encodeSetCookieOp(i.name, i.type, i.cookie, i.tag, i.newCookie),
  decodeSetCookieOp,
);
export const getInfo = clsRead('lock', 'get_info', encodeGetInfoOp, decodeGetInfoOp, decodeGetInfoReply);
export const listLocks = clsRead('lock', 'list_locks', noInput, decodeNoInput, decodeListLocksReply);
/**
 * Fails with EBUSY unless the caller holds the lock under this cookie, with this type and tag
 * (cls_lock.cc assert_locked): librbd's ManagedLock::assert_header_locked.
 */
export const assertLocked = clsRead('lock', 'assert_locked', encodeAssertOp, decodeAssertOp, noOutput);
