// cls_lock's inputs and outputs (src/cls/lock/cls_lock_ops.h, cls_lock_types.h): advisory
// object locks, as librados' rados_lock_* and `rados lock` drive them.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddr, type EntityAddr, formatEntityAddr } from '../types/entity-addr.ts';
import { decodeEntityNameT, encodeEntityNameT, type EntityNameT } from '../types/entity-name.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';
import { clsRead, clsWrite, noInput } from './cls-method.ts';

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

export function encodeUnlockOp(name: string, cookie: string): Uint8Array {
  return new Writer(32).struct(1, 1, (w) => w.string(name).string(cookie)).finish();
}

/** cls_lock_set_cookie_op (cls_lock_ops.h): a lock we hold moves to a new cookie (librbd ReacquireRequest). */
export function encodeSetCookieOp(name: string, type: number, cookie: string, tag: string, newCookie: string): Uint8Array {
  return new Writer(64).struct(1, 1, (w) => w.string(name).u8(type).string(cookie).string(tag).string(newCookie)).finish();
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

export function encodeGetInfoOp(name: string): Uint8Array {
  return new Writer(32).struct(1, 1, (w) => w.string(name)).finish();
}

export interface Locker {
  locker: EntityNameT;
  cookie: string;
  expiration: UTime;
  addr: EntityAddr;
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
      lockers.push({ ...id, ...info, address: formatEntityAddr(info.addr) });
    }
    return { lockers, type: r.u8('lock_type'), tag: r.string('tag') };
  });
}

export function decodeListLocksReply(b: Uint8Array): string[] {
  return new Reader(b).struct('cls_lock_list_locks_reply', 1, (r) => r.array('locks', (r) => r.string('lock'), 4));
}

// --- methods (src/cls/lock/cls_lock.cc registers them; lock, unlock, break_lock and set_cookie
// as RD|WR, get_info and list_locks as RD) ---------------------------------------------------

export const lock = clsWrite('lock', 'lock', encodeLockOp);
export const unlock = clsWrite('lock', 'unlock', (i: { name: string; cookie: string }) => encodeUnlockOp(i.name, i.cookie));
export const breakLock = clsWrite('lock', 'break_lock', (i: { name: string; locker: EntityNameT; cookie: string }) => encodeBreakOp(i.name, i.locker, i.cookie));
export const setCookie = clsWrite('lock', 'set_cookie', (i: { name: string; type: number; cookie: string; tag: string; newCookie: string }) =>
  encodeSetCookieOp(i.name, i.type, i.cookie, i.tag, i.newCookie),
);
export const getInfo = clsRead('lock', 'get_info', encodeGetInfoOp, decodeGetInfoReply);
export const listLocks = clsRead('lock', 'list_locks', noInput, decodeListLocksReply);
