// cls_lock descriptors: each input read back field by field in the layout of
// src/cls/lock/cls_lock_ops.h, and each output built in that layout and decoded; then against
// the bytes `rados lock` (librados) sent and the OSD returned (fixtures/ops/rados-lock, see its
// README), with the values `rados lock info` printed.
import { beforeAll, describe, expect, it } from 'vitest';
import { type CapturedCall, capturedCalls, capturedOutput } from '../../test/capture/osd-ops.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { AF_INET, AddrType, encodeEntityAddr } from '../types/entity-addr.ts';
import { decodeEntityNameT, encodeEntityNameT } from '../types/entity-name.ts';
import { decodeUtime, encodeUtime } from '../types/utime.ts';
import * as lock from './cls-lock.ts';

const v1 = <T>(b: Uint8Array, body: (r: Reader) => T): T => {
  const r = new Reader(b);
  const out = r.struct('op', 1, (r, v) => {
    expect(v).toBe(1);
    const x = body(r);
    r.expectEnd('op body');
    return x;
  });
  r.expectEnd('op');
  return out;
};

describe('cls_lock method descriptors', () => {
  it('name each class method once, with the access cls_lock.cc registers', () => {
    const all = [lock.lock, lock.unlock, lock.breakLock, lock.setCookie, lock.getInfo, lock.listLocks];
    expect(all.map((m) => `${m.cls}.${m.method}:${m.access}`)).toEqual([
      'lock.lock:write',
      'lock.unlock:write',
      'lock.break_lock:write',
      'lock.set_cookie:write',
      'lock.get_info:read',
      'lock.list_locks:read',
    ]);
  });

  it('lock: cls_lock_lock_op (name, u8 type, cookie, tag, description, utime duration, u8 flags)', () => {
    const op = { name: 'rbd_lock', type: lock.LockType.SHARED, cookie: 'c1', tag: 't', description: 'd', duration: { sec: 30, nsec: 5 }, flags: lock.LOCK_FLAG_RENEW };
    const back = v1(lock.lock.encode(op), (r) => ({
      name: r.string(),
      type: r.u8(),
      cookie: r.string(),
      tag: r.string(),
      description: r.string(),
      duration: decodeUtime(r),
      flags: r.u8(),
    }));
    expect(back).toEqual(op);
  });

  it('exclusiveLockOp: exclusive, no expiry, no flags', () => {
    expect(lock.exclusiveLockOp('rbd_lock', 'auto 1', 'internal')).toEqual({
      name: 'rbd_lock',
      type: lock.LockType.EXCLUSIVE,
      cookie: 'auto 1',
      tag: 'internal',
      description: '',
      duration: { sec: 0, nsec: 0 },
      flags: 0,
    });
  });

  it('unlock: cls_lock_unlock_op (name, cookie)', () => {
    expect(v1(lock.unlock.encode({ name: 'n', cookie: 'c' }), (r) => [r.string(), r.string()])).toEqual(['n', 'c']);
  });

  it('break_lock: cls_lock_break_op (name, entity_name_t locker, cookie)', () => {
    const i = { name: 'n', locker: { type: 8, num: 4123n }, cookie: 'c' };
    expect(v1(lock.breakLock.encode(i), (r) => ({ name: r.string(), locker: decodeEntityNameT(r), cookie: r.string() }))).toEqual(i);
  });

  it('set_cookie: cls_lock_set_cookie_op (name, u8 type, cookie, tag, new cookie)', () => {
    const i = { name: 'n', type: lock.LockType.EXCLUSIVE, cookie: 'old', tag: 'internal', newCookie: 'new' };
    expect(v1(lock.setCookie.encode(i), (r) => ({ name: r.string(), type: r.u8(), cookie: r.string(), tag: r.string(), newCookie: r.string() }))).toEqual(i);
  });

  it('get_info: cls_lock_get_info_op in, cls_lock_get_info_reply out', () => {
    expect(v1(lock.getInfo.encode('rbd_lock'), (r) => r.string())).toBe('rbd_lock');
    const addr = { type: AddrType.ANY, nonce: 77, family: AF_INET, ip: '10.0.0.5', port: 0 };
    const reply = new Writer()
      .struct(1, 1, (w) => {
        w.u32(1);
        w.struct(1, 1, (w) => {
          encodeEntityNameT(w, { type: 8, num: 4123n });
          w.string('auto 140');
        });
        w.struct(1, 1, (w) => {
          encodeUtime(w, { sec: 0, nsec: 0 });
          encodeEntityAddr(w, addr);
          w.string('desc');
        });
        w.u8(lock.LockType.EXCLUSIVE).string('internal');
      })
      .finish();
    const info = lock.getInfo.decode(reply);
    expect(info.type).toBe(lock.LockType.EXCLUSIVE);
    expect(info.tag).toBe('internal');
    expect(info.lockers).toHaveLength(1);
    expect(info.lockers[0]).toMatchObject({ locker: { type: 8, num: 4123n }, cookie: 'auto 140', expiration: { sec: 0, nsec: 0 }, description: 'desc' });
    expect(info.lockers[0]!.addr).toMatchObject({ nonce: 77, ip: '10.0.0.5' });
  });

  it('list_locks: no input, cls_lock_list_locks_reply out', () => {
    expect(lock.listLocks.encode(undefined)).toEqual(new Uint8Array(0));
    const reply = new Writer().struct(1, 1, (w) => w.u32(2).string('a').string('rbd_lock')).finish();
    expect(lock.listLocks.decode(reply)).toEqual(['a', 'rbd_lock']);
  });
});

describe('cls_lock against `rados lock` (fixtures/ops/rados-lock)', () => {
  let calls: CapturedCall[];
  /** What `rados lock info lock-obj l1` printed (its JSON comes first in the output). */
  let info: { name: string; type: string; tag: string; lockers: Array<{ name: string; cookie: string; description: string; expiration: string; addr: string }> };
  beforeAll(async () => {
    calls = await capturedCalls('rados-lock');
    const out = capturedOutput('rados-lock');
    info = JSON.parse(out.slice(0, out.indexOf('}]}') + 3)) as typeof info;
  });
  const call = (method: string) => calls.find((c) => c.method === method)!;
  const lockerNum = () => BigInt(info.lockers[0]!.name.split('.')[1]!);

  it('lock: --lock-cookie c1 --lock-tag t1 --lock-description d1 --lock-duration 60 --lock-type exclusive', () => {
    const sent = call('lock');
    expect(sent.cls).toBe(lock.lock.cls);
    expect(lock.lock.encode({ name: 'l1', type: lock.LockType.EXCLUSIVE, cookie: 'c1', tag: 't1', description: 'd1', duration: { sec: 60, nsec: 0 }, flags: 0 })).toEqual(
      sent.input,
    );
  });
  it('get_info: its input, and the reply decoded to what `rados lock info` printed', () => {
    const sent = call('get_info');
    expect(lock.getInfo.encode('l1')).toEqual(sent.input);
    const got = lock.getInfo.decode(sent.output);
    const printed = info.lockers[0]!;
    expect({ type: got.type, tag: got.tag }).toEqual({ type: lock.LockType.EXCLUSIVE, tag: info.tag });
    expect(got.lockers).toHaveLength(1);
    const l = got.lockers[0]!;
    // `rados lock info` prints the address without its type ("127.0.0.1:0/1063613044").
    expect(l.address).toBe(printed.addr);
    const [, ip, port, nonce] = /^(.*):(\d+)\/(\d+)$/.exec(printed.addr)!;
    expect({ locker: l.locker, cookie: l.cookie, description: l.description, ip: l.addr.ip, port: l.addr.port, nonce: l.addr.nonce }).toEqual({
      locker: { type: 8, num: lockerNum() },
      cookie: printed.cookie,
      description: printed.description,
      ip,
      port: Number(port),
      nonce: Number(nonce),
    });
    // "2026-12-01T00:58:52.768861+0000": utime_t printed to the microsecond.
    const [, date, frac] = /^(.*)\.(\d{6})\+0000$/.exec(printed.expiration)!;
    expect({ sec: l.expiration.sec, usec: Math.floor(l.expiration.nsec / 1000) }).toEqual({ sec: Date.parse(`${date!}Z`) / 1000, usec: Number(frac) });
  });
  it('list_locks: no input; the reply names the lock', () => {
    const sent = call('list_locks');
    expect(lock.listLocks.encode(undefined)).toEqual(sent.input);
    expect(lock.listLocks.decode(sent.output)).toEqual([info.name]);
  });
  it('break_lock: the lock, the locker `rados lock info` named, the cookie', () => {
    expect(lock.breakLock.encode({ name: 'l1', locker: { type: 8, num: lockerNum() }, cookie: 'c1' })).toEqual(call('break_lock').input);
  });
  it('every call succeeded', () => {
    expect(calls.map((c) => [c.method, c.rval])).toEqual([
      ['lock', 0],
      ['get_info', 0],
      ['list_locks', 0],
      ['break_lock', 0],
    ]);
  });
});
