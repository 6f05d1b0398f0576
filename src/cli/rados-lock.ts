// `rados lock list|info|get|break` (rados.cc do_lock_cmd): cls_lock's advisory locks, printed
// through a Formatter (compact JSON when no --format is given; `plain` is no formatter there),
// and rados's two error lines, its own and main's "error N: …".
import * as clsLock from '../../protocol/cls/cls-lock.ts';
import { RadosError } from '../../protocol/errors.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import { callCls } from '../cls-call.ts';
import { formatJson, ioOf, type Verb, type VerbContext, VerbError } from './rados-verb.ts';
import { formatLocalUtime } from './utime-local.ts';

// cls_lock_type_str (src/cls/lock/cls_lock_types.h): 3 is exclusive-ephemeral.
const TYPE_NAMES: Record<number, string> = { 0: 'none', [clsLock.LockType.EXCLUSIVE]: 'exclusive', [clsLock.LockType.SHARED]: 'shared', 3: 'exclusive-ephemeral' };

/** rados's line for the failed call, then main's "error N: (N) …". */
function lockFail(what: string, e: unknown): never {
  if (!(e instanceof RadosError)) throw e;
  throw new VerbError(`ERROR: ${what}: ${cppStrerror(e.errno)}\nerror ${Math.abs(e.errno)}: ${cppStrerror(e.errno)}`);
}

const SUBCOMMANDS: Record<string, { args: number; run(c: VerbContext, oid: string, rest: string[]): Promise<void> }> = {
  list: {
    args: 0,
    async run(c, oid) {
      const locks = await ioOf(c)
        .listLocks(oid)
        .catch((e: unknown) => lockFail('rados_list_locks()', e));
      c.out.out(formatJson(c, { objname: oid, locks: locks.map((name) => ({ name })) }));
    },
  },
  info: {
    args: 1,
    async run(c, oid, [name]) {
      const info = await callCls(ioOf(c), oid, clsLock.getInfo, name!).catch((e: unknown) => lockFail('rados_lock_get_lock_info()', e));
      c.out.out(
        formatJson(c, {
          name,
          type: TYPE_NAMES[info.type] ?? '<unknown>',
          tag: info.tag,
          lockers: info.lockers.map((l) => ({
            name: `client.${l.locker.num}`,
            cookie: l.cookie,
            description: l.description,
            expiration: formatLocalUtime(l.expiration.sec, Math.floor(l.expiration.nsec / 1000)),
            addr: l.address,
          })),
        }),
      );
    },
  },
  get: {
    args: 1,
    async run(c, oid, [name]) {
      const { cookie, tag, description, type = 'exclusive', duration } = c.lock;
      const durationSec = duration === undefined ? 0 : Number(duration);
      if (!Number.isFinite(durationSec) || durationSec < 0) throw new VerbError(`ERROR: bad lock duration: ${duration}\nerror 22: ${cppStrerror(22)}`);
      const opts = { description, durationSec };
      const io = ioOf(c);
      let done: Promise<void>;
      if (type === 'exclusive') done = io.lockExclusive(oid, name!, cookie, opts);
      else if (type === 'shared') done = io.lockShared(oid, name!, cookie, tag, opts);
      else throw new VerbError(`unknown lock type was specified, aborting\nerror 22: ${cppStrerror(22)}`);
      await done.catch((e: unknown) => lockFail('failed locking', e));
    },
  },
  break: {
    args: 2,
    async run(c, oid, [name, locker]) {
      if (!/^client\.\d+$/.test(locker!)) throw new VerbError(`ERROR: failed to parse locker name (${locker})\nerror 22: ${cppStrerror(22)}`);
      await ioOf(c)
        .breakLock(oid, name!, locker!, c.lock.cookie)
        .catch((e: unknown) => lockFail('failed breaking lock', e));
    },
  },
};

export const LOCK_VERB: Verb = {
  pool: true,
  args: [2, 4],
  async run(c) {
    const [sub, oid, ...rest] = c.args as [string, string, ...string[]];
    const s = SUBCOMMANDS[sub];
    if (!s || rest.length !== s.args)
      throw new VerbError(`rados: lock ${sub}: unknown subcommand or wrong number of arguments (list OBJ, info OBJ NAME, get OBJ NAME, break OBJ NAME LOCKER)`);
    // rados returns -EINVAL from main for it: exit status 234.
    if (c.formatGiven && c.format === 'plain') throw new VerbError('unrecognized format: plain', 'err', 256 - 22);
    await s.run(c, oid, rest);
  },
};
