// IoCtx: object I/O in one pool (and namespace), as librados' Python `rados.Ioctx` names it,
// in camelCase. Each method is one compound op through the Objecter; errors carry Ceph's errno.
import { Reader } from '../protocol/encoding/reader.ts';
import { Writer } from '../protocol/encoding/writer.ts';
import { utf8Encode } from '../protocol/encoding/utf8.ts';
import { Errno, RadosError, errnoName } from '../protocol/errors.ts';
import { OsdOpCode, OsdOpFlag } from '../protocol/messages/osd-op-codes.ts';
import { clsUnion, extentUnion, snapUnion, xattrUnion } from '../protocol/messages/osd-op-struct.ts';
import { PoolOpCode, type PoolOpReply } from '../protocol/messages/pool-op.ts';
import {
  decodeGetInfoReply,
  decodeListLocksReply,
  encodeBreakOp,
  encodeGetInfoOp,
  encodeLockOp,
  encodeUnlockOp,
  LOCK_FLAG_RENEW,
  LockType,
} from '../protocol/cls/cls-lock.ts';
import { decodeUtime } from '../protocol/types/utime.ts';
import type { CallOptions } from './abort.ts';
import type { ObjectOpResult, Objecter, OpStep } from './osd/objecter.ts';
import type { ReadOp, ReadStepValue, WriteOp } from './compound-op.ts';
import { type NotifyHandler, type ObjectAddress, OP_LIST_WATCHERS, type WatchErrorHandler, type WatchHandle, type WatchNotify } from './osd/watch-notify.ts';
import { decodeListWatchers, type NotifyResult, type Watcher } from '../protocol/messages/watch-notify.ts';
import { ALL_NAMESPACES, type ListedObject, listObjects } from './osd/list-objects.ts';
import type { OsdMapData } from '../crush/osdmap/osdmap.ts';

export type Bytes = Uint8Array | string;
const bytes = (b: Bytes): Uint8Array => (typeof b === 'string' ? utf8Encode(b) : b);
const EMPTY_UNION = new Uint8Array(28);
/** CEPH_OSD_OP_ROLLBACK (rados.h). */
const ROLLBACK = 0x220e;

/** The OSD's 4 MiB default object name limit is far above this; librados refuses empty names. */
function checkName(oid: string): void {
  if (typeof oid !== 'string' || oid.length === 0) throw new RadosError('object name must be a non-empty string', Errno.EINVAL);
}

/** What an IoCtx needs from its cluster handle. */
export interface IoCtxContext {
  objecter: Objecter;
  watchNotify: WatchNotify;
  map: () => OsdMapData | undefined;
  poolOp: (pool: number, op: number, opts: { name?: string; snapId?: bigint } & CallOptions) => Promise<PoolOpReply>;
  waitForEpoch: (epoch: number, options?: CallOptions) => Promise<void>;
}

export interface LockOptions extends CallOptions {
  description?: string;
  /** Seconds until the lock expires; 0 or absent: until unlocked. */
  durationSec?: number;
  /** Re-acquiring a lock we hold renews it (LOCK_FLAG_RENEW). */
  renew?: boolean;
}

export interface PoolSnap {
  id: bigint;
  name: string;
  stamp: Date;
}

export interface ObjectStat {
  size: number;
  mtime: Date;
}

export class IoCtx {
  readonly poolId: number;
  readonly poolName: string;
  private readonly objecter: Objecter;
  private ns = '';
  private locatorKey = '';

  private readonly map: () => OsdMapData | undefined;
  private readonly ctx: IoCtxContext;
  private readSnap: bigint | undefined;
  private writeSnapc: { seq: bigint; snaps: bigint[] } | undefined;

  constructor(ctx: IoCtxContext, poolId: number, poolName: string) {
    this.ctx = ctx;
    this.map = ctx.map;
    this.objecter = ctx.objecter;
    this.poolId = poolId;
    this.poolName = poolName;
  }

  /** rados_ioctx_set_namespace: later ops address this namespace ('' is the default one). */
  setNamespace(ns: string): void {
    this.ns = ns;
  }
  getNamespace(): string {
    return this.ns;
  }
  /** rados_ioctx_locator_set_key: objects are placed by this key instead of their name. */
  setLocatorKey(key: string): void {
    this.locatorKey = key;
  }

  private async run(oid: string, steps: OpStep[], what: string, options?: CallOptions): Promise<ObjectOpResult> {
    checkName(oid);
    const write = steps.some((st) => (st.op & 0x2000) !== 0);
    const r = await this.objecter.submit(
      {
        poolId: this.poolId,
        oid,
        steps,
        ...(this.ns ? { namespace: this.ns } : {}),
        ...(this.locatorKey ? { key: this.locatorKey } : {}),
        ...(!write && this.readSnap !== undefined ? { snapId: this.readSnap } : {}),
        ...(write && this.writeSnapc ? { snapSeq: this.writeSnapc.seq, snaps: this.writeSnapc.snaps } : {}),
      },
      options,
    );
    if (r.result < 0) throw new RadosError(`${what} ${this.poolName}/${oid}: ${errnoName(r.result)}`, r.result);
    return r;
  }

  /** Replaces the whole object (creating it). */
  async writeFull(oid: string, data: Bytes, options?: CallOptions): Promise<void> {
    const d = bytes(data);
    await this.run(oid, [{ op: OsdOpCode.WRITEFULL, union: extentUnion(0, d.length), indata: d }], 'write_full', options);
  }

  async write(oid: string, data: Bytes, offset = 0, options?: CallOptions): Promise<void> {
    const d = bytes(data);
    await this.run(oid, [{ op: OsdOpCode.WRITE, union: extentUnion(offset, d.length), indata: d }], 'write', options);
  }

  async append(oid: string, data: Bytes, options?: CallOptions): Promise<void> {
    const d = bytes(data);
    await this.run(oid, [{ op: OsdOpCode.APPEND, union: extentUnion(0, d.length), indata: d }], 'append', options);
  }

  /** Reads up to `length` bytes (default 8192, as the Python API) from `offset`. */
  async read(oid: string, length = 8192, offset = 0, options?: CallOptions): Promise<Uint8Array> {
    const r = await this.run(oid, [{ op: OsdOpCode.READ, union: extentUnion(offset, length) }], 'read', options);
    return r.steps[0]!.outdata.slice();
  }

  async stat(oid: string, options?: CallOptions): Promise<ObjectStat> {
    const r = await this.run(oid, [{ op: OsdOpCode.STAT, union: EMPTY_UNION }], 'stat', options);
    const rd = new Reader(r.steps[0]!.outdata);
    const size = rd.u64n('stat.size');
    const t = decodeUtime(rd, 'stat.mtime');
    return { size, mtime: new Date(t.sec * 1000 + Math.floor(t.nsec / 1e6)) };
  }

  async remove(oid: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: OsdOpCode.DELETE, union: EMPTY_UNION }], 'remove', options);
  }

  async setXattr(oid: string, name: string, value: Bytes, options?: CallOptions): Promise<void> {
    const n = utf8Encode(name);
    const v = bytes(value);
    const indata = new Uint8Array(n.length + v.length);
    indata.set(n);
    indata.set(v, n.length);
    await this.run(oid, [{ op: OsdOpCode.SETXATTR, union: xattrUnion(n.length, v.length), indata }], 'set_xattr', options);
  }

  async getXattr(oid: string, name: string, options?: CallOptions): Promise<Uint8Array> {
    const n = utf8Encode(name);
    const r = await this.run(oid, [{ op: OsdOpCode.GETXATTR, union: xattrUnion(n.length, 0), indata: n }], 'get_xattr', options);
    return r.steps[0]!.outdata.slice();
  }

  async rmXattr(oid: string, name: string, options?: CallOptions): Promise<void> {
    const n = utf8Encode(name);
    await this.run(oid, [{ op: OsdOpCode.RMXATTR, union: xattrUnion(n.length, 0), indata: n }], 'rm_xattr', options);
  }

  /** set_omap: keys and values (map<string, bufferlist>). */
  async setOmap(oid: string, entries: Iterable<[string, Bytes]> | Record<string, Bytes>, options?: CallOptions): Promise<void> {
    const list = Symbol.iterator in Object(entries) ? [...(entries as Iterable<[string, Bytes]>)] : Object.entries(entries as Record<string, Bytes>);
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const w = new Writer(64);
    w.u32(list.length);
    for (const [k, v] of list) w.string(k).blob(bytes(v));
    await this.run(oid, [{ op: OsdOpCode.OMAPSETVALS, union: EMPTY_UNION, indata: w.finish() }], 'set_omap', options);
  }

  /** get_omap_vals: up to `max` entries after `startAfter` whose keys start with `prefix`. */
  async getOmapVals(oid: string, opts: { startAfter?: string; prefix?: string; max?: number } & CallOptions = {}): Promise<{ entries: Map<string, Uint8Array>; more: boolean }> {
    const w = new Writer(64).string(opts.startAfter ?? '').u64(opts.max ?? 512).string(opts.prefix ?? '');
    const r = await this.run(oid, [{ op: OsdOpCode.OMAPGETVALS, union: EMPTY_UNION, indata: w.finish() }], 'get_omap_vals', opts);
    const rd = new Reader(r.steps[0]!.outdata);
    const entries = rd.map('omap', (r) => r.string('key'), (r) => r.blob('value').slice(), 8);
    const more = rd.remaining > 0 ? rd.bool('more') : false;
    return { entries, more };
  }

  async getOmapKeys(oid: string, opts: { startAfter?: string; max?: number } & CallOptions = {}): Promise<{ keys: string[]; more: boolean }> {
    const w = new Writer(32).string(opts.startAfter ?? '').u64(opts.max ?? 512);
    const r = await this.run(oid, [{ op: OsdOpCode.OMAPGETKEYS, union: EMPTY_UNION, indata: w.finish() }], 'get_omap_keys', opts);
    const rd = new Reader(r.steps[0]!.outdata);
    const keys = rd.array('omap_keys', (r) => r.string('key'), 4);
    const more = rd.remaining > 0 ? rd.bool('more') : false;
    return { keys, more };
  }

  async removeOmapKeys(oid: string, keys: string[], options?: CallOptions): Promise<void> {
    const sorted = [...keys].sort();
    const w = new Writer(64);
    w.array(sorted, (w, k) => w.string(k));
    await this.run(oid, [{ op: OsdOpCode.OMAPRMKEYS, union: EMPTY_UNION, indata: w.finish() }], 'remove_omap_keys', options);
  }

  /**
   * Lists objects (Python: `list_objects`) PG by PG, in this IoCtx's namespace, or in all of
   * them with `{ allNamespaces: true }`.
   */
  listObjects(opts: { allNamespaces?: boolean; batch?: number } & CallOptions = {}): AsyncIterable<ListedObject> {
    return listObjects(this.objecter, this.poolId, () => this.map()?.pools.get(this.poolId)?.pgNum ?? 0, () => this.map()?.epoch ?? 0, {
      ...opts,
      namespace: opts.allNamespaces ? ALL_NAMESPACES : this.ns,
    });
  }

  /** Creates the object; with `exclusive`, fails with EEXIST if it exists. */
  async create(oid: string, opts: { exclusive?: boolean } & CallOptions = {}): Promise<void> {
    await this.run(oid, [{ op: OsdOpCode.CREATE, flags: opts.exclusive ? OsdOpFlag.EXCL : 0, union: EMPTY_UNION }], 'create', opts);
  }

  async truncate(oid: string, size: number, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: OsdOpCode.TRUNCATE, union: extentUnion(size, 0) }], 'truncate', options);
  }

  /** Zeroes a range (the OSD may punch a hole). */
  async zero(oid: string, offset: number, length: number, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: OsdOpCode.ZERO, union: extentUnion(offset, length) }], 'zero', options);
  }

  /** The allocated extents in a range and their data (holes omitted). */
  async sparseRead(oid: string, offset: number, length: number, options?: CallOptions): Promise<{ extents: Array<[number, number]>; data: Uint8Array }> {
    const r = await this.run(oid, [{ op: OsdOpCode.SPARSE_READ, union: extentUnion(offset, length) }], 'sparse_read', options);
    const rd = new Reader(r.steps[0]!.outdata);
    const extents = rd.pairs('sparse_read.extents', (r) => r.u64n('offset'), (r) => r.u64n('length'), 16);
    const data = rd.blob('sparse_read.data').slice();
    return { extents, data };
  }

  async getXattrs(oid: string, options?: CallOptions): Promise<Map<string, Uint8Array>> {
    const r = await this.run(oid, [{ op: OsdOpCode.GETXATTRS, union: EMPTY_UNION }], 'get_xattrs', options);
    return new Reader(r.steps[0]!.outdata).map('xattrs', (r) => r.string('name'), (r) => r.blob('value').slice(), 8);
  }

  async getOmapHeader(oid: string, options?: CallOptions): Promise<Uint8Array> {
    const r = await this.run(oid, [{ op: OsdOpCode.OMAPGETHEADER, union: EMPTY_UNION }], 'get_omap_header', options);
    return r.steps[0]!.outdata.slice();
  }

  async setOmapHeader(oid: string, header: Bytes, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: OsdOpCode.OMAPSETHEADER, union: EMPTY_UNION, indata: bytes(header) }], 'set_omap_header', options);
  }

  async clearOmap(oid: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: OsdOpCode.OMAPCLEAR, union: EMPTY_UNION }], 'clear_omap', options);
  }

  async getOmapValsByKeys(oid: string, keys: string[], options?: CallOptions): Promise<Map<string, Uint8Array>> {
    const w = new Writer(64);
    w.array([...keys].sort(), (w, k) => w.string(k));
    const r = await this.run(oid, [{ op: OsdOpCode.OMAPGETVALSBYKEYS, union: EMPTY_UNION, indata: w.finish() }], 'get_omap_vals_by_keys', options);
    return new Reader(r.steps[0]!.outdata).map('omap', (r) => r.string('key'), (r) => r.blob('value').slice(), 8);
  }

  // --- snapshots ----------------------------------------------------------------------------

  private async poolOpChecked(op: number, what: string, opts: { name?: string; snapId?: bigint } & CallOptions): Promise<PoolOpReply> {
    const r = await this.ctx.poolOp(this.poolId, op, opts);
    if (r.code < 0) throw new RadosError(`${what} in pool ${this.poolName}: ${errnoName(r.code)}`, r.code);
    // As librados: the change is ours once we hold the map that has it.
    await this.ctx.waitForEpoch(r.epoch, opts);
    return r;
  }

  /** Pool snapshot (Python: `create_snap`). */
  async createSnap(name: string, options?: CallOptions): Promise<void> {
    // As Objecter::create_pool_snap: the name is checked against our map first.
    if (this.listSnaps().some((s) => s.name === name)) throw new RadosError(`snapshot ${name} already exists in pool ${this.poolName}`, Errno.EEXIST);
    await this.poolOpChecked(PoolOpCode.CREATE_SNAP, `create snapshot ${name}`, { ...options, name });
  }

  async removeSnap(name: string, options?: CallOptions): Promise<void> {
    this.lookupSnap(name); // ENOENT before anything is sent (Objecter::delete_pool_snap)
    await this.poolOpChecked(PoolOpCode.DELETE_SNAP, `remove snapshot ${name}`, { ...options, name });
  }

  /** The pool's snapshots, from the newest OSDMap we hold. */
  listSnaps(): PoolSnap[] {
    const pool = this.map()?.pools.get(this.poolId);
    return [...(pool?.snaps.values() ?? [])].map((s) => ({ id: s.snapId, name: s.name, stamp: new Date(s.stamp.sec * 1000 + Math.floor(s.stamp.nsec / 1e6)) }));
  }

  lookupSnap(name: string): bigint {
    const s = this.listSnaps().find((x) => x.name === name);
    if (!s) throw new RadosError(`no snapshot ${name} in pool ${this.poolName}`, Errno.ENOENT);
    return s.id;
  }

  /** Reads from now on see the object as of this snapshot id (undefined: the head). */
  setReadSnap(snapId: bigint | undefined): void {
    this.readSnap = snapId;
  }

  /** Rolls an object back to a pool snapshot. */
  async rollback(oid: string, snapName: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: ROLLBACK, union: snapUnion(this.lookupSnap(snapName)) }], 'rollback', options);
  }

  /** A self-managed snapshot id from the monitors (Python: `create_self_managed_snap`). */
  async createSelfManagedSnap(options?: CallOptions): Promise<bigint> {
    const r = await this.poolOpChecked(PoolOpCode.CREATE_UNMANAGED_SNAP, 'create self-managed snapshot', { ...options });
    return new Reader(r.data).u64('snapid');
  }

  async removeSelfManagedSnap(snapId: bigint, options?: CallOptions): Promise<void> {
    await this.poolOpChecked(PoolOpCode.DELETE_UNMANAGED_SNAP, `remove self-managed snapshot ${snapId}`, { ...options, snapId });
  }

  /** The snapshot context later writes carry (seq, and the snap ids newest first). */
  setSelfManagedSnapWriteCtx(seq: bigint, snaps: bigint[]): void {
    this.writeSnapc = { seq, snaps: [...snaps].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)) };
  }

  async rollbackSelfManagedSnap(oid: string, snapId: bigint, options?: CallOptions): Promise<void> {
    await this.run(oid, [{ op: ROLLBACK, union: snapUnion(snapId) }], 'rollback', options);
  }

  // --- advisory locks (cls_lock) -------------------------------------------------------------

  private async lock(oid: string, name: string, cookie: string, type: number, tag: string, opts: LockOptions): Promise<void> {
    const secs = opts.durationSec ?? 0;
    const input = encodeLockOp({
      name,
      type,
      cookie,
      tag,
      description: opts.description ?? '',
      duration: { sec: Math.floor(secs), nsec: Math.round((secs % 1) * 1e9) },
      flags: opts.renew ? LOCK_FLAG_RENEW : 0,
    });
    await this.exec(oid, 'lock', 'lock', input, opts);
  }

  /** Python `lock_exclusive`: EBUSY while someone else holds it; `durationSec` 0 = forever. */
  lockExclusive(oid: string, name: string, cookie: string, opts: LockOptions = {}): Promise<void> {
    return this.lock(oid, name, cookie, LockType.EXCLUSIVE, '', opts);
  }

  /** Python `lock_shared`: holders must agree on `tag`. */
  lockShared(oid: string, name: string, cookie: string, tag: string, opts: LockOptions = {}): Promise<void> {
    return this.lock(oid, name, cookie, LockType.SHARED, tag, opts);
  }

  async unlock(oid: string, name: string, cookie: string, options?: CallOptions): Promise<void> {
    await this.exec(oid, 'lock', 'unlock', encodeUnlockOp(name, cookie), options);
  }

  /** Breaks another client's lock; `client` as Ceph names it ("client.4123"). */
  async breakLock(oid: string, name: string, client: string, cookie: string, options?: CallOptions): Promise<void> {
    const m = /^client\.(\d+)$/.exec(client);
    if (!m) throw new RadosError(`locker must look like client.<id>, not ${client}`, Errno.EINVAL);
    await this.exec(oid, 'lock', 'break_lock', encodeBreakOp(name, { type: 8, num: BigInt(m[1]!) }, cookie), options);
  }

  /** Python `list_lockers`. */
  async listLockers(oid: string, name: string, options?: CallOptions): Promise<{ tag: string; exclusive: boolean; lockers: Array<{ client: string; cookie: string; address: string; description: string }> }> {
    const info = decodeGetInfoReply(await this.exec(oid, 'lock', 'get_info', encodeGetInfoOp(name), options));
    return {
      tag: info.tag,
      exclusive: info.type === LockType.EXCLUSIVE,
      lockers: info.lockers.map((l) => ({ client: `client.${l.locker.num}`, cookie: l.cookie, address: l.address, description: l.description })),
    };
  }

  /** The names of the locks on an object. */
  async listLocks(oid: string, options?: CallOptions): Promise<string[]> {
    return decodeListLocksReply(await this.exec(oid, 'lock', 'list_locks', new Uint8Array(0), options));
  }

  // --- watch / notify ------------------------------------------------------------------------

  private address(oid: string): ObjectAddress {
    checkName(oid);
    return { poolId: this.poolId, oid, ...(this.ns ? { namespace: this.ns } : {}), ...(this.locatorKey ? { key: this.locatorKey } : {}) };
  }

  /**
   * Python `watch(obj, callback, error_callback)`: `onNotify` gets each notification and may
   * return a reply for the notifier; `onError` hears when the watch is lost for good.
   */
  watch(oid: string, onNotify: NotifyHandler, onError: WatchErrorHandler = () => {}, options?: CallOptions): Promise<WatchHandle> {
    return this.ctx.watchNotify.watch(this.address(oid), onNotify, onError, options);
  }

  /** Python `notify`: resolves with each watcher's reply and who timed out. */
  notify(oid: string, payload: Bytes = new Uint8Array(0), opts: { timeoutMs?: number } & CallOptions = {}): Promise<NotifyResult> {
    return this.ctx.watchNotify.notify(this.address(oid), bytes(payload), opts);
  }

  /** Python `list_watchers`. */
  async listWatchers(oid: string, options?: CallOptions): Promise<Watcher[]> {
    const r = await this.run(oid, [{ op: OP_LIST_WATCHERS, union: EMPTY_UNION }], 'list_watchers', options);
    return decodeListWatchers(r.steps[0]!.outdata);
  }

  /** Applies a WriteOp atomically (Python: `operate_write_op`). */
  async operateWriteOp(op: WriteOp, oid: string, options?: CallOptions): Promise<void> {
    await this.run(oid, op.steps, 'write op', options);
  }

  /** Applies a ReadOp; returns each step's decoded result (Python: `operate_read_op`). */
  async operateReadOp(op: ReadOp, oid: string, options?: CallOptions): Promise<ReadStepValue[]> {
    const r = await this.run(oid, op.steps, 'read op', options);
    return r.steps.map((s, i) => (s.rval < 0 ? undefined : op.decoders[i]!(s.outdata)));
  }

  /** Calls an object class method (`rados_exec`); returns its output. */
  async exec(oid: string, cls: string, method: string, input: Bytes = new Uint8Array(0), options?: CallOptions): Promise<Uint8Array> {
    const c = utf8Encode(cls);
    const m = utf8Encode(method);
    const i = bytes(input);
    const indata = new Uint8Array(c.length + m.length + i.length);
    indata.set(c);
    indata.set(m, c.length);
    indata.set(i, c.length + m.length);
    const r = await this.run(oid, [{ op: OsdOpCode.CALL, union: clsUnion(c.length, m.length, i.length), indata }], `exec ${cls}.${method}`, options);
    return r.steps[0]!.outdata.slice();
  }
}
