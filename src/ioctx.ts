// IoCtx: object I/O in one pool (and namespace), as librados' Python `rados.Ioctx` names it,
// in camelCase. Each method is one compound op through the Objecter; errors carry Ceph's errno.
// Kept in our .d.ts (preserve) so consumers without Node types or lib esnext see Symbol.asyncDispose.
/// <reference lib="esnext.disposable" preserve="true" />
import type { Logger } from './logger.ts';
import { Errno, RadosError, errnoName } from '../protocol/errors.ts';
import * as poolApplication from './pool-application.ts';
import type { PoolApplicationDeps } from './pool-application.ts';
import type { MonCommandResult } from './mon/mon-client.ts';
import { isWriteOp } from '../protocol/messages/osd-op-codes.ts';
import { decodeUnmanagedSnapId, PoolOpCode, type PoolOpReply } from '../protocol/messages/pool-op.ts';
import * as clsLock from '../protocol/cls/cls-lock.ts';
import type { CallOptions } from './abort.ts';
import { callCls } from './cls-call.ts';
import type { ObjectOpResult, Objecter } from './osd/objecter.ts';
import type { ReadOp, ReadStepValue, WriteOp } from '../protocol/osd/compound-op.ts';
import type { NotifyHandler, NotifyOptions, ObjectAddress, WatchErrorHandler, WatchHandle, WatchNotify } from './osd/watch-notify.ts';
import { decodeListWatchers, type NotifyResult, type Watcher } from '../protocol/messages/watch-notify.ts';
import { ALL_NAMESPACES, type ListOptions, newObjectListing, type ObjectListing } from './osd/list-objects.ts';
import type { LockersResult, ObjectCreateOptions, OmapKeysOptions, OmapValsOptions, PoolRef } from './ioctx-options.ts';
import type { OSDMap } from '../crush/osdmap/osdmap.ts';
import * as step from '../protocol/osd/op-steps.ts';
import { decodeListSnaps, type ObjectSnapSet } from '../protocol/osd/snap-set.ts';
import { CEPH_SNAPDIR } from '../protocol/types/hobject.ts';
import {
  bytes,
  type Bytes,
  type CmpOperator,
  type OmapCmpOperator,
  type ObjectStat,
  type OmapEntries,
  type OmapKeysResult,
  type OmapValsResult,
  type OpStep,
  type SparseReadResult,
} from '../protocol/osd/op-steps.ts';

export type { Bytes, CmpOperator, ObjectStat } from '../protocol/osd/op-steps.ts';

/** osd_max_object_name_len's default; librados also refuses empty names. */
const MAX_NAME_LENGTH = 2048;

function checkName(oid: string): void {
  if (typeof oid !== 'string' || oid.length === 0) throw new RadosError('object name must be a non-empty string', Errno.EINVAL);
  if (oid.length > MAX_NAME_LENGTH) throw new RadosError(`object name is ${oid.length} characters; the OSD accepts at most ${MAX_NAME_LENGTH}`, Errno.ENAMETOOLONG);
}

/** What an IoCtx uses of its cluster handle, passed at construction (the handle's internals stay private). */
export interface IoCtxContext {
  objecter: Pick<Objecter, 'submit'>;
  watchNotify: Pick<WatchNotify, 'watch' | 'notify'>;
  map: () => OSDMap | undefined;
  poolOp: (pool: number, op: number, opts: { name?: string; snapId?: bigint } & CallOptions) => Promise<PoolOpReply>;
  waitForEpoch: (epoch: number, options?: CallOptions) => Promise<void>;
  instanceId: () => bigint;
  blocklistAdd: (address: string, options?: CallOptions) => Promise<void>;
  monCommand: (cmd: object, options?: CallOptions) => Promise<MonCommandResult>;
  waitForLatestOsdMap: (options?: CallOptions) => Promise<void>;
  /** The cluster handle's logger (RadosConnectOptions.logger). */
  log: Logger;
}

/** Advisory lock options (`lockExclusive`, `lockShared`). */
export interface LockOptions extends CallOptions {
  /** Shown by `listLockers` and `rados lock info`. */
  description?: string;
  /** Seconds until the lock expires; 0 or absent: until unlocked. */
  durationSec?: number;
  /** Re-acquiring a lock we hold renews it (LOCK_FLAG_RENEW). */
  renew?: boolean;
}

/** A pool snapshot (`listSnaps`). */
export interface PoolSnap {
  /** The snapshot id. */
  id: bigint;
  /** The snapshot name. */
  name: string;
  /** When it was taken. */
  stamp: Date;
}

// What the class body hands to this module (its static block): the constructor and the context
// stay off the public class, so a user can neither build an IoCtx nor reach its Objecter.
let construct: (ctx: IoCtxContext, poolId: number, poolName: string) => IoCtx;
let contextOf: (io: IoCtx) => IoCtxContext;

/** An IoCtx on a pool (Rados.openIoCtx; not exported by the entry points). */
export function newIoCtx(ctx: IoCtxContext, poolId: number, poolName: string): IoCtx {
  return construct(ctx, poolId, poolName);
}

/** The cluster handle's logger, for what runs over this IoCtx (RBD images; not exported by the entry points). */
export function ioctxLogger(io: IoCtx): Logger {
  return contextOf(io).log;
}

/** How `IoCtx.run` treats an op beyond the default (flags from its op codes; any error thrown). */
interface RunHow {
  /** Read at this snapshot id rather than the IoCtx's (LIST_SNAPS goes to CEPH_SNAPDIR). */
  snapId?: bigint;
  /** Return a cmpext mismatch (the result encodes the offset) rather than throw it. */
  mismatchOk?: boolean;
  /** This errno is returned rather than thrown (ECANCELED: a comparison that did not hold). */
  acceptErrno?: number;
  /** Send with the WRITE flag even if no op code has the write bit (class calls in a WriteOp). */
  forceWrite?: boolean;
}

/** Object I/O in one pool and namespace (Python `rados.Ioctx`), from `Rados.openIoCtx`. */
export class IoCtx {
  /** The pool's id. */
  readonly poolId: number;
  /** The pool's name. */
  readonly poolName: string;
  readonly #objecter: Pick<Objecter, 'submit'>;
  private ns = '';
  private locatorKey = '';

  readonly #map: () => OSDMap | undefined;
  readonly #ctx: IoCtxContext;
  #lastVersion = 0n;
  private readSnap: bigint | undefined;
  private writeSnapc: { seq: bigint; snaps: bigint[] } | undefined;
  /** Watches registered through this IoCtx and not yet closed; `close()` unregisters them. */
  private readonly openWatches = new Set<WatchHandle>();

  static {
    construct = (ctx, poolId, poolName) => new IoCtx(ctx, poolId, poolName);
    contextOf = (io) => io.#ctx;
  }

  /** Users get an IoCtx from `Rados.openIoCtx` (src/rados.ts builds it with `newIoCtx`). */
  private constructor(ctx: IoCtxContext, poolId: number, poolName: string) {
    this.#ctx = ctx;
    this.#map = ctx.map;
    this.#objecter = ctx.objecter;
    this.poolId = poolId;
    this.poolName = poolName;
  }

  /** A new IoCtx on the same pool and namespace, with its own snapshot settings (rados_ioctx_dup). */
  dup(): IoCtx {
    const d = new IoCtx(this.#ctx, this.poolId, this.poolName);
    d.ns = this.ns;
    d.locatorKey = this.locatorKey;
    return d;
  }

  /** A new IoCtx on another pool of the same cluster (same namespace). */
  forPool(poolId: number, poolName: string): IoCtx {
    const d = new IoCtx(this.#ctx, poolId, poolName);
    d.ns = this.ns;
    return d;
  }

  /** Rados.blocklistAdd for code that holds only an IoCtx (librbd breaking a dead lock owner's lock). */
  blocklistAdd(address: string, options?: CallOptions): Promise<void> {
    return this.#ctx.blocklistAdd(address, options);
  }

  /** The cluster's client instance id (global id), as librados' get_instance_id. */
  get instanceId(): bigint {
    return this.#ctx.instanceId();
  }

  /** The OSDMap's require_min_compat_client (a ceph_release_t: 12 luminous, 13 mimic, …). */
  requireMinCompatClient(): number {
    return this.#map()?.requireMinCompatClient ?? 0;
  }

  /** Every pool in the newest map we hold. */
  listPoolIds(): PoolRef[] {
    return [...(this.#map()?.poolNames ?? new Map<number, string>())].map(([id, name]) => ({ id, name }));
  }

  /** A pool's name and id by name or id, from the newest map we hold. */
  lookupPool(pool: string | number): PoolRef | undefined {
    const m = this.#map();
    if (!m) return undefined;
    if (typeof pool === 'number') {
      const name = m.poolNames.get(pool);
      return name === undefined ? undefined : { id: pool, name };
    }
    for (const [id, name] of m.poolNames) if (name === pool) return { id, name };
    return undefined;
  }

  /** rados_ioctx_set_namespace: later ops address this namespace ('' is the default one). */
  setNamespace(ns: string): void {
    this.ns = ns;
  }
  /** The namespace objects are read and written in ('' for the default). */
  getNamespace(): string {
    return this.ns;
  }
  /** The locator key set by `setLocatorKey` ('' for none; Python `get_locator_key`). */
  getLocatorKey(): string {
    return this.locatorKey;
  }

  /** rados_ioctx_locator_set_key: objects are placed by this key instead of their name. */
  setLocatorKey(key: string): void {
    this.locatorKey = key;
  }

  /** One op through the Objecter; `how` says which failures come back as results (see RunHow). */
  private async run(oid: string, steps: OpStep[], what: string, options?: CallOptions, how: RunHow = {}): Promise<ObjectOpResult> {
    const { mismatchOk = false, acceptErrno = 0, forceWrite = false } = how;
    const readSnap = how.snapId ?? this.readSnap;
    checkName(oid);
    const write = forceWrite || steps.some((st) => isWriteOp(st.op));
    const r = await this.#objecter.submit(
      {
        poolId: this.poolId,
        oid,
        steps,
        ...(this.ns ? { namespace: this.ns } : {}),
        ...(this.locatorKey ? { key: this.locatorKey } : {}),
        ...(!write && readSnap !== undefined ? { snapId: readSnap } : {}),
        ...(write && this.writeSnapc ? { snapSeq: this.writeSnapc.seq, snaps: this.writeSnapc.snaps } : {}),
        ...(forceWrite ? { forceWrite: true } : {}),
      },
      options,
    );
    // Every reply, an error too, sets the version `getLastVersion` reports (IoCtxImpl::set_sync_op_version).
    this.#lastVersion = r.version;
    if (r.result >= 0 || (acceptErrno !== 0 && r.result === -acceptErrno)) return r;
    const mismatch = step.cmpextMismatch(r.result);
    if (mismatch !== undefined) {
      if (mismatchOk) return r;
      throw new RadosError(`${what} ${this.poolName}/${oid}: compared bytes differ at offset ${mismatch}`, Errno.EILSEQ);
    }
    throw new RadosError(`${what} ${this.poolName}/${oid}: ${errnoName(r.result)}`, r.result);
  }

  /**
   * The object version the last operation on this IoCtx saw (Python `get_last_version`): the
   * user version in the OSD's reply, set by every reply, an error's too; 0 before any. What
   * `WriteOp.assertVersion` compares against.
   */
  getLastVersion(): bigint {
    return this.#lastVersion;
  }

  #appDeps(): PoolApplicationDeps {
    return { poolId: this.poolId, poolName: this.poolName, map: this.#map, monCommand: this.#ctx.monCommand, waitForLatestOsdMap: this.#ctx.waitForLatestOsdMap };
  }

  /**
   * Tags the pool with an application (Python `application_enable`; `ceph osd pool application
   * enable`). A pool that has another application already needs `force` (EPERM without).
   * Resolves once we hold the OSDMap that carries it.
   */
  applicationEnable(app: string, force = false, options?: CallOptions): Promise<void> {
    return poolApplication.applicationEnable(this.#appDeps(), app, force, options);
  }

  /** The pool's applications, from the OSDMap we hold (Python `application_list`). */
  applicationList(): string[] {
    return poolApplication.applicationList(this.#appDeps());
  }

  /** One metadata value of an application on the pool (Python `application_metadata_get`); ENOENT when the application or key is absent. */
  applicationMetadataGet(app: string, key: string): string {
    return poolApplication.applicationMetadataGet(this.#appDeps(), app, key);
  }

  /** Sets an application's metadata key on the pool (Python `application_metadata_set`; `ceph osd pool application set`). */
  applicationMetadataSet(app: string, key: string, value: string, options?: CallOptions): Promise<void> {
    return poolApplication.applicationMetadataSet(this.#appDeps(), app, key, value, options);
  }

  /** Removes an application's metadata key (Python `application_metadata_remove`; `ceph osd pool application rm`). */
  applicationMetadataRemove(app: string, key: string, options?: CallOptions): Promise<void> {
    return poolApplication.applicationMetadataRemove(this.#appDeps(), app, key, options);
  }

  /** An application's metadata as [key, value] pairs (Python `application_metadata_list`); ENOENT when it is not enabled. */
  applicationMetadataList(app: string): Array<[key: string, value: string]> {
    return poolApplication.applicationMetadataList(this.#appDeps(), app);
  }

  /** Replaces the whole object (creating it). */
  async writeFull(oid: string, data: Bytes, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.writeFullStep(data)], 'write_full', options);
  }

  /** Writes `data` at `offset` (Python `write`); the object is created if absent. */
  async write(oid: string, data: Bytes, offset = 0, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.writeStep(data, offset)], 'write', options);
  }

  /** Appends `data` (Python `append`). */
  async append(oid: string, data: Bytes, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.appendStep(data)], 'append', options);
  }

  /** Writes `data` repeated over [offset, offset + length) (Python: WriteOp.writesame). */
  async writeSame(oid: string, data: Bytes, offset: number, length: number, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.writeSameStep(data, offset, length)], 'write_same', options);
  }

  /** Reads up to `length` bytes (default 8192, as the Python API) from `offset`. */
  async read(oid: string, length = 8192, offset = 0, options?: CallOptions): Promise<Uint8Array> {
    const r = await this.run(oid, [step.readStep(offset, length)], 'read', options);
    // The reply's own buffer, not a copy: it was allocated for this message alone.
    return r.steps[0]!.outdata;
  }

  /**
   * Compares the object's bytes at `offset` with `data` (Python `cmpext`): null when equal, else
   * the offset (from `offset`) of the first byte that differs. Bytes past the end compare as zeros.
   */
  async cmpext(oid: string, data: Bytes, offset = 0, options?: CallOptions): Promise<number | null> {
    const r = await this.run(oid, [step.cmpextStep(data, offset)], 'cmpext', options, { mismatchOk: true });
    return step.cmpextMismatch(r.result) ?? null;
  }

  /** Size and mtime (Python `stat`); ENOENT if the object does not exist. */
  async stat(oid: string, options?: CallOptions): Promise<ObjectStat> {
    const r = await this.run(oid, [step.statStep()], 'stat', options);
    return step.decodeStat(r.steps[0]!.outdata);
  }

  /** Deletes the object (Python `remove_object`). */
  async remove(oid: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.removeStep()], 'remove', options);
  }

  /** Sets an extended attribute (Python `set_xattr`). */
  async setXattr(oid: string, name: string, value: Bytes, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.setXattrStep(name, value)], 'set_xattr', options);
  }

  /** An extended attribute's value (Python `get_xattr`). */
  async getXattr(oid: string, name: string, options?: CallOptions): Promise<Uint8Array> {
    const r = await this.run(oid, [step.getXattrStep(name)], 'get_xattr', options);
    return r.steps[0]!.outdata.slice();
  }

  /** Removes an extended attribute (Python `rm_xattr`). */
  async rmXattr(oid: string, name: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.rmXattrStep(name)], 'rm_xattr', options);
  }

  /** True when `stored <op> value` holds for the xattr (bigint: compared as u64); ECANCELED is false. */
  async cmpXattr(oid: string, name: string, op: CmpOperator, value: Bytes | bigint, options?: CallOptions): Promise<boolean> {
    const r = await this.run(oid, [step.cmpXattrStep(name, op, value)], 'cmp_xattr', options, { acceptErrno: Errno.ECANCELED });
    return r.result !== -Errno.ECANCELED;
  }

  /** set_omap: keys and values (map<string, bufferlist>). */
  async setOmap(oid: string, entries: OmapEntries, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.setOmapStep(entries)], 'set_omap', options);
  }

  /** get_omap_vals: up to `max` entries after `startAfter` whose keys start with `prefix`. */
  async getOmapVals(oid: string, opts: OmapValsOptions = {}): Promise<OmapValsResult> {
    const r = await this.run(oid, [step.getOmapValsStep(opts.startAfter ?? '', opts.max ?? 512, opts.prefix ?? '')], 'get_omap_vals', opts);
    return step.decodeOmapVals(r.steps[0]!.outdata);
  }

  /** Up to `max` omap keys after `startAfter`; `more` when the OSD has further keys. */
  async getOmapKeys(oid: string, opts: OmapKeysOptions = {}): Promise<OmapKeysResult> {
    const r = await this.run(oid, [step.getOmapKeysStep(opts.startAfter ?? '', opts.max ?? 512)], 'get_omap_keys', opts);
    return step.decodeOmapKeys(r.steps[0]!.outdata);
  }

  /** Removes these omap keys (Python `remove_omap_keys`). */
  async removeOmapKeys(oid: string, keys: string[], options?: CallOptions): Promise<void> {
    await this.run(oid, [step.removeOmapKeysStep(keys)], 'remove_omap_keys', options);
  }

  /** Removes the keys in [start, end) (Python `remove_omap_range2`). */
  async removeOmapRange(oid: string, start: string, end: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.removeOmapRangeStep(start, end)], 'remove_omap_range', options);
  }

  /** True when every key's stored value compares as asked (a missing key: false). */
  async omapCmp(oid: string, assertions: Record<string, [Bytes, OmapCmpOperator]>, options?: CallOptions): Promise<boolean> {
    const r = await this.run(oid, [step.omapCmpStep(assertions)], 'omap_cmp', options, { acceptErrno: Errno.ECANCELED });
    return r.result !== -Errno.ECANCELED;
  }

  /**
   * Lists objects (Python: `list_objects`) PG by PG, in this IoCtx's namespace, or in all of
   * them with `{ allNamespaces: true }`. The listing's `cursor` (after any entry) resumes it
   * later with `{ cursor }`, from the entry after the last one seen.
   */
  listObjects(opts: ListOptions = {}): ObjectListing {
    return newObjectListing(
      {
        objecter: this.#objecter,
        poolId: this.poolId,
        pgNum: () => this.#map()?.pools.get(this.poolId)?.pgNum ?? 0,
        epoch: () => this.#map()?.epoch ?? 0,
        namespace: opts.allNamespaces ? ALL_NAMESPACES : this.ns,
      },
      opts,
    );
  }

  /** Creates the object; with `exclusive`, fails with EEXIST if it exists. */
  async create(oid: string, opts: ObjectCreateOptions = {}): Promise<void> {
    await this.run(oid, [step.createStep(opts.exclusive ?? false)], 'create', opts);
  }

  /** Sets the object's size, cutting or zero-extending it (Python `trunc`). */
  async truncate(oid: string, size: number, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.truncateStep(size)], 'truncate', options);
  }

  /** Zeroes a range (the OSD may punch a hole). */
  async zero(oid: string, offset: number, length: number, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.zeroStep(offset, length)], 'zero', options);
  }

  /** The allocated extents in a range and their data (holes omitted). */
  async sparseRead(oid: string, offset: number, length: number, options?: CallOptions): Promise<SparseReadResult> {
    const r = await this.run(oid, [step.sparseReadStep(offset, length)], 'sparse_read', options);
    return step.decodeSparseRead(r.steps[0]!.outdata);
  }

  /** Every extended attribute (Python `get_xattrs`). */
  async getXattrs(oid: string, options?: CallOptions): Promise<Map<string, Uint8Array>> {
    const r = await this.run(oid, [step.getXattrsStep()], 'get_xattrs', options);
    return step.decodeBlobMap(r.steps[0]!.outdata, 'xattrs');
  }

  /** The omap header. */
  async getOmapHeader(oid: string, options?: CallOptions): Promise<Uint8Array> {
    const r = await this.run(oid, [step.getOmapHeaderStep()], 'get_omap_header', options);
    return r.steps[0]!.outdata.slice();
  }

  /** Sets the omap header. */
  async setOmapHeader(oid: string, header: Bytes, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.setOmapHeaderStep(header)], 'set_omap_header', options);
  }

  /** Removes every omap key and the header (Python `clear_omap`). */
  async clearOmap(oid: string, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.clearOmapStep()], 'clear_omap', options);
  }

  /** The values of these omap keys; absent keys are left out (Python `get_omap_vals_by_keys`). */
  async getOmapValsByKeys(oid: string, keys: string[], options?: CallOptions): Promise<Map<string, Uint8Array>> {
    const r = await this.run(oid, [step.getOmapValsByKeysStep(keys)], 'get_omap_vals_by_keys', options);
    return step.decodeBlobMap(r.steps[0]!.outdata, 'omap');
  }

  // --- snapshots ----------------------------------------------------------------------------

  private async poolOpChecked(op: number, what: string, opts: { name?: string; snapId?: bigint } & CallOptions): Promise<PoolOpReply> {
    const r = await this.#ctx.poolOp(this.poolId, op, opts);
    if (r.code < 0) throw new RadosError(`${what} in pool ${this.poolName}: ${errnoName(r.code)}`, r.code);
    // As librados: the change is ours once we hold the map that has it.
    await this.#ctx.waitForEpoch(r.epoch, opts);
    return r;
  }

  /** Pool snapshot (Python: `create_snap`). */
  async createSnap(name: string, options?: CallOptions): Promise<void> {
    // As Objecter::create_pool_snap: the name is checked against our map first.
    if (this.listSnaps().some((s) => s.name === name)) throw new RadosError(`snapshot ${name} already exists in pool ${this.poolName}`, Errno.EEXIST);
    await this.poolOpChecked(PoolOpCode.CREATE_SNAP, `create snapshot ${name}`, { ...options, name });
  }

  /** Removes a pool snapshot (Python `remove_snap`); ENOENT if there is none of that name. */
  async removeSnap(name: string, options?: CallOptions): Promise<void> {
    this.lookupSnap(name); // ENOENT before anything is sent (Objecter::delete_pool_snap)
    await this.poolOpChecked(PoolOpCode.DELETE_SNAP, `remove snapshot ${name}`, { ...options, name });
  }

  /** The pool's snapshots, from the newest OSDMap we hold. */
  listSnaps(): PoolSnap[] {
    const pool = this.#map()?.pools.get(this.poolId);
    return [...(pool?.snaps.values() ?? [])].map((s) => ({ id: s.snapId, name: s.name, stamp: new Date(s.stamp.sec * 1000 + Math.floor(s.stamp.nsec / 1e6)) }));
  }

  /** A pool snapshot's id by name (Python `lookup_snap`); ENOENT if absent. */
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
    await this.run(oid, [step.rollbackStep(this.lookupSnap(snapName))], 'rollback', options);
  }

  /** A self-managed snapshot id from the monitors (Python: `create_self_managed_snap`). */
  async createSelfManagedSnap(options?: CallOptions): Promise<bigint> {
    const r = await this.poolOpChecked(PoolOpCode.CREATE_UNMANAGED_SNAP, 'create self-managed snapshot', { ...options });
    return decodeUnmanagedSnapId(r.data);
  }

  /** Releases a self-managed snapshot id (Python `remove_self_managed_snap`). */
  async removeSelfManagedSnap(snapId: bigint, options?: CallOptions): Promise<void> {
    await this.poolOpChecked(PoolOpCode.DELETE_UNMANAGED_SNAP, `remove self-managed snapshot ${snapId}`, { ...options, snapId });
  }

  /** The snapshot context later writes carry (seq, and the snap ids newest first). */
  setSelfManagedSnapWriteCtx(seq: bigint, snaps: bigint[]): void {
    this.writeSnapc = { seq, snaps: [...snaps].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)) };
  }

  /** Rolls the object back to its content at a self-managed snapshot (Python `rollback_self_managed_snap`). */
  async rollbackSelfManagedSnap(oid: string, snapId: bigint, options?: CallOptions): Promise<void> {
    await this.run(oid, [step.rollbackStep(snapId)], 'rollback', options);
  }

  // --- advisory locks (cls_lock) -------------------------------------------------------------

  private async lock(oid: string, name: string, cookie: string, type: number, tag: string, opts: LockOptions): Promise<void> {
    const secs = opts.durationSec ?? 0;
    const input: clsLock.LockOp = {
      name,
      type,
      cookie,
      tag,
      description: opts.description ?? '',
      duration: { sec: Math.floor(secs), nsec: Math.round((secs % 1) * 1e9) },
      flags: opts.renew ? clsLock.LOCK_FLAG_RENEW : 0,
    };
    await callCls(this, oid, clsLock.lock, input, opts);
  }

  /** Python `lock_exclusive`: EBUSY while someone else holds it; `durationSec` 0 = forever. */
  lockExclusive(oid: string, name: string, cookie: string, opts: LockOptions = {}): Promise<void> {
    return this.lock(oid, name, cookie, clsLock.LockType.EXCLUSIVE, '', opts);
  }

  /** Python `lock_shared`: holders must agree on `tag`. */
  lockShared(oid: string, name: string, cookie: string, tag: string, opts: LockOptions = {}): Promise<void> {
    return this.lock(oid, name, cookie, clsLock.LockType.SHARED, tag, opts);
  }

  /** Releases an advisory lock we hold (Python `unlock`). */
  async unlock(oid: string, name: string, cookie: string, options?: CallOptions): Promise<void> {
    await callCls(this, oid, clsLock.unlock, { name, cookie }, options);
  }

  /** Breaks another client's lock; `client` as Ceph names it ("client.4123"). */
  async breakLock(oid: string, name: string, client: string, cookie: string, options?: CallOptions): Promise<void> {
    const m = /^client\.(\d+)$/.exec(client);
    if (!m) throw new RadosError(`locker must look like client.<id>, not ${client}`, Errno.EINVAL);
    await callCls(this, oid, clsLock.breakLock, { name, locker: { type: 8, num: BigInt(m[1]!) }, cookie }, options);
  }

  /** Python `list_lockers`. */
  async listLockers(oid: string, name: string, options?: CallOptions): Promise<LockersResult> {
    const info = await callCls(this, oid, clsLock.getInfo, name, options);
    return {
      tag: info.tag,
      exclusive: info.type === clsLock.LockType.EXCLUSIVE,
      lockers: info.lockers.map((l) => ({ client: `client.${l.locker.num}`, cookie: l.cookie, address: l.address, description: l.description })),
    };
  }

  /** The names of the locks on an object. */
  async listLocks(oid: string, options?: CallOptions): Promise<string[]> {
    return callCls(this, oid, clsLock.listLocks, undefined, options);
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
  async watch(oid: string, onNotify: NotifyHandler, onError: WatchErrorHandler = () => {}, options?: CallOptions): Promise<WatchHandle> {
    const inner = await this.#ctx.watchNotify.watch(this.address(oid), onNotify, onError, options);
    const close = async (o?: CallOptions): Promise<void> => {
      this.openWatches.delete(handle);
      await inner.close(o);
    };
    const handle: WatchHandle = { cookie: inner.cookie, close, check: () => inner.check(), [Symbol.asyncDispose]: () => close() };
    this.openWatches.add(handle);
    return handle;
  }

  /**
   * Unregisters the watches made through this IoCtx (not through its `dup()`s) that are still
   * open. The IoCtx stays usable: it holds no other resource; the connections belong to `Rados`.
   */
  async close(): Promise<void> {
    const open = [...this.openWatches];
    const results = await Promise.allSettled(open.map((w) => w.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** `close()`, for `await using io = await rados.openIoCtx(pool)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Python `notify`: resolves with each watcher's reply and who timed out. */
  notify(oid: string, payload: Bytes = new Uint8Array(0), opts: NotifyOptions = {}): Promise<NotifyResult> {
    return this.#ctx.watchNotify.notify(this.address(oid), bytes(payload), opts);
  }

  /**
   * An object's clones and head with their snapshots, sizes and overlaps (librados
   * ObjectReadOperation::list_snaps, read at CEPH_SNAPDIR whatever the read snapshot);
   * ENOENT when neither the head nor any clone exists.
   */
  async listObjectSnaps(oid: string, options?: CallOptions): Promise<ObjectSnapSet> {
    const r = await this.run(oid, [step.listSnapsStep()], 'list_snaps', options, { snapId: CEPH_SNAPDIR });
    return decodeListSnaps(r.steps[0]!.outdata);
  }

  /** Python `list_watchers`. */
  async listWatchers(oid: string, options?: CallOptions): Promise<Watcher[]> {
    const r = await this.run(oid, [step.listWatchersStep()], 'list_watchers', options);
    return decodeListWatchers(r.steps[0]!.outdata);
  }

  /**
   * Applies a WriteOp atomically (Python: `operate_write_op`). The op is emptied, as librados
   * empties it: operating it again sends nothing and succeeds (IoCtxImpl::operate).
   */
  async operateWriteOp(op: WriteOp, oid: string, options?: CallOptions): Promise<void> {
    const steps = op.takeSteps();
    if (steps.length === 0) return;
    await this.run(oid, steps, 'write op', options, { forceWrite: true });
  }

  /**
   * Applies a ReadOp; returns each step's decoded result (Python: `operate_read_op`). The op is
   * emptied, as librados empties it: operating it again sends nothing and returns no results.
   */
  async operateReadOp(op: ReadOp, oid: string, options?: CallOptions): Promise<ReadStepValue[]> {
    const steps = op.takeSteps();
    const decoders = op.takeDecoders();
    if (steps.length === 0) return [];
    const r = await this.run(oid, steps, 'read op', options);
    return r.steps.map((s, i) => (s.rval < 0 ? undefined : decoders[i]!(s.outdata)));
  }

  /** Calls an object class method (`rados_exec`); returns its output. */
  async exec(oid: string, cls: string, method: string, input: Bytes = new Uint8Array(0), options?: CallOptions): Promise<Uint8Array> {
    const r = await this.run(oid, [step.execStep(cls, method, input)], `exec ${cls}.${method}`, options);
    return r.steps[0]!.outdata.slice();
  }
}
