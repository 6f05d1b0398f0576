// Builders for single object-op steps (ceph_osd_op + input), shared by IoCtx's one-step
// methods and the WriteOp/ReadOp compound builders. Layouts: src/include/rados.h (the union
// each op uses) and src/osdc/Objecter.h (ObjectOperation: what librados puts in indata).
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { utf8Encode } from '../encoding/utf8.ts';
import { concatBytes } from '../encoding/concat-bytes.ts';
import { Errno, RadosError } from '../errors.ts';
import { OsdOpCode, OsdOpFlag } from '../messages/osd-op-codes.ts';
import { clsUnion, extentUnion, notifyUnion, pglsUnion, snapUnion, watchUnion, writeSameUnion, xattrUnion } from '../messages/osd-op-struct.ts';
import { encodeNotifyAck, encodeNotifyInput } from '../messages/watch-notify.ts';
import { decodeHObject, encodeHObject, type HObject } from '../types/hobject.ts';
import { decodeUtime } from '../types/utime.ts';

/** One sub-op of an object operation (ceph_osd_op + its input), as the Objecter sends it. */
export interface OpStep {
  op: number;
  flags?: number;
  union: Uint8Array;
  indata?: Uint8Array;
}

/** Object data or a value: bytes, or a string sent as UTF-8. */
export type Bytes = Uint8Array | string;
export const bytes = (b: Bytes): Uint8Array => (typeof b === 'string' ? utf8Encode(b) : b);
const EMPTY_UNION = new Uint8Array(28);

/** CEPH_OSD_CMPXATTR_OP_* (rados.h): how omapCmp/cmpXattr compare the stored value with ours. */
export const CmpOp = { EQ: 1, NE: 2, GT: 3, GTE: 4, LT: 5, LTE: 6 } as const;
/** How `cmpXattr` compares the stored value with the given one. */
export type CmpOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';
const CMP_BY_NAME: Record<CmpOperator, number> = { eq: CmpOp.EQ, ne: CmpOp.NE, gt: CmpOp.GT, gte: CmpOp.GTE, lt: CmpOp.LT, lte: CmpOp.LTE };
/** CEPH_OSD_CMPXATTR_MODE_STRING / _U64. */
const CMP_MODE_STRING = 1;
const CMP_MODE_U64 = 2;

function cmpCode(op: CmpOperator): number {
  // Callers in plain JavaScript can pass anything: look the name up as an arbitrary key.
  const c = (CMP_BY_NAME as Partial<Record<string, number>>)[op];
  if (c === undefined) throw new RadosError(`unknown comparison ${op} (eq, ne, gt, gte, lt, lte)`, Errno.EINVAL);
  return c;
}

function checkExtent(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RadosError(`offset must be a non-negative integer, not ${offset}`, Errno.EINVAL);
  if (!Number.isSafeInteger(length) || length < 0) throw new RadosError(`length must be a non-negative integer, not ${length}`, Errno.EINVAL);
}

/** Sorted by UTF-8 bytes, as std::map<std::string,…> orders keys on the OSD side. */
function sortedEntries<V>(entries: Iterable<[string, V]> | Record<string, V>): Array<[string, V]> {
  const list = Symbol.iterator in Object(entries) ? [...(entries as Iterable<[string, V]>)] : Object.entries(entries as Record<string, V>);
  return list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * A step whose input rides in indata, with the extent union saying its length (offset 0): how
 * Objecter's ObjectOperation::add_data fills it for the omap ops (the OSD reads indata only).
 */
const withInput = (op: number, indata: Uint8Array): OpStep => ({ op, union: extentUnion(0, indata.length), indata });

const keySet = (keys: Iterable<string>): Uint8Array => {
  const w = new Writer(64);
  w.array([...new Set(keys)].sort(), (w, k) => w.string(k));
  return w.finish();
};

const nameValue = (name: string, value?: Uint8Array): { n: Uint8Array; indata: Uint8Array } => {
  const n = utf8Encode(name);
  return { n, indata: value ? concatBytes([n, value]) : n };
};

// --- data ----------------------------------------------------------------------------------

export const writeFullStep = (data: Bytes): OpStep => {
  const d = bytes(data);
  return { op: OsdOpCode.WRITEFULL, union: extentUnion(0, d.length), indata: d };
};
export const writeStep = (data: Bytes, offset: number): OpStep => {
  const d = bytes(data);
  checkExtent(offset, d.length);
  return { op: OsdOpCode.WRITE, union: extentUnion(offset, d.length), indata: d };
};
export const appendStep = (data: Bytes): OpStep => {
  const d = bytes(data);
  return { op: OsdOpCode.APPEND, union: extentUnion(0, d.length), indata: d };
};
export const readStep = (offset: number, length: number): OpStep => {
  checkExtent(offset, length);
  return { op: OsdOpCode.READ, union: extentUnion(offset, length) };
};
export const sparseReadStep = (offset: number, length: number): OpStep => {
  checkExtent(offset, length);
  return { op: OsdOpCode.SPARSE_READ, union: extentUnion(offset, length) };
};
export const statStep = (): OpStep => ({ op: OsdOpCode.STAT, union: EMPTY_UNION });
export const removeStep = (): OpStep => ({ op: OsdOpCode.DELETE, union: EMPTY_UNION });
export const createStep = (exclusive: boolean): OpStep => ({ op: OsdOpCode.CREATE, flags: exclusive ? OsdOpFlag.EXCL : 0, union: EMPTY_UNION });
export const truncateStep = (size: number): OpStep => {
  checkExtent(size, 0);
  return { op: OsdOpCode.TRUNCATE, union: extentUnion(size, 0) };
};
export const zeroStep = (offset: number, length: number): OpStep => {
  checkExtent(offset, length);
  return { op: OsdOpCode.ZERO, union: extentUnion(offset, length) };
};
/** Writes `data` repeated over [offset, offset+length); length must be a multiple of data's. */
export const writeSameStep = (data: Bytes, offset: number, length: number): OpStep => {
  const d = bytes(data);
  checkExtent(offset, length);
  if (d.length === 0 || length % d.length !== 0) throw new RadosError(`write_same: length ${length} is not a multiple of the ${d.length}-byte pattern`, Errno.EINVAL);
  return { op: OsdOpCode.WRITESAME, union: writeSameUnion(offset, length, d.length), indata: d };
};
/** Compares the object's bytes at `offset` with `data` (short objects read as zeros). */
export const cmpextStep = (data: Bytes, offset: number): OpStep => {
  const d = bytes(data);
  checkExtent(offset, d.length);
  return { op: OsdOpCode.CMPEXT, union: extentUnion(offset, d.length), indata: d };
};
/** Rolls the object back to a (pool or self-managed) snapshot id. */
export const rollbackStep = (snapId: bigint): OpStep => ({ op: OsdOpCode.ROLLBACK, union: snapUnion(snapId) });
/** LIST_SNAPS: the object's clones and the head (decodeListSnaps reads the reply); sent at CEPH_SNAPDIR. */
export const listSnapsStep = (): OpStep => ({ op: OsdOpCode.LIST_SNAPS, union: EMPTY_UNION });
/** LIST_WATCHERS: the object's watchers (decodeListWatchers reads the reply). */
export const listWatchersStep = (): OpStep => ({ op: OsdOpCode.LIST_WATCHERS, union: EMPTY_UNION });
/** CEPH_OSD_OP_ASSERT_VER: fails unless the object's user version equals `version`. */
export const assertVersionStep = (version: bigint): OpStep => {
  const u = new Uint8Array(28);
  new DataView(u.buffer).setBigUint64(8, version, true);
  return { op: OsdOpCode.ASSERT_VER, union: u };
};

// --- xattrs --------------------------------------------------------------------------------

export const getXattrStep = (name: string): OpStep => {
  const { n, indata } = nameValue(name);
  return { op: OsdOpCode.GETXATTR, union: xattrUnion(n.length, 0), indata };
};
export const getXattrsStep = (): OpStep => ({ op: OsdOpCode.GETXATTRS, union: EMPTY_UNION });
export const setXattrStep = (name: string, value: Bytes): OpStep => {
  const v = bytes(value);
  const { n, indata } = nameValue(name, v);
  return { op: OsdOpCode.SETXATTR, union: xattrUnion(n.length, v.length), indata };
};
export const rmXattrStep = (name: string): OpStep => {
  const { n, indata } = nameValue(name);
  return { op: OsdOpCode.RMXATTR, union: xattrUnion(n.length, 0), indata };
};
/** The OSD evaluates CMPXATTR as `ours <op> stored`; our API reads `stored <op> value`. */
const MIRRORED: Record<CmpOperator, CmpOperator> = { eq: 'eq', ne: 'ne', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' };

/**
 * CMPXATTR: fails the op with ECANCELED unless `stored <op> value`. A bigint compares as u64
 * (the stored value parsed as a decimal number), bytes/strings compare as strings.
 * (PrimaryLogPG::do_xattr_cmp_str/_u64 compare the op's value against the stored one.)
 */
export const cmpXattrStep = (name: string, op: CmpOperator, value: Bytes | bigint): OpStep => {
  const u64 = typeof value === 'bigint';
  const v = u64 ? new Writer(8).u64(value).finish() : bytes(value);
  const { n, indata } = nameValue(name, v);
  const code = cmpCode((MIRRORED as Partial<Record<string, CmpOperator>>)[op] ?? op);
  return { op: OsdOpCode.CMPXATTR, union: xattrUnion(n.length, v.length, code, u64 ? CMP_MODE_U64 : CMP_MODE_STRING), indata };
};

// --- omap ----------------------------------------------------------------------------------

/** Omap key/value pairs to set: a Map, an iterable of pairs, or a plain object. */
export type OmapEntries = Iterable<[string, Bytes]> | Record<string, Bytes>;

export const setOmapStep = (entries: OmapEntries): OpStep => {
  const list = sortedEntries(entries);
  const w = new Writer(64);
  w.u32(list.length);
  for (const [k, v] of list) w.string(k).blob(bytes(v));
  return withInput(OsdOpCode.OMAPSETVALS, w.finish());
};
export const getOmapValsStep = (startAfter: string, max: number, prefix: string): OpStep =>
  withInput(OsdOpCode.OMAPGETVALS, new Writer(64).string(startAfter).u64(max).string(prefix).finish());
export const getOmapKeysStep = (startAfter: string, max: number): OpStep => withInput(OsdOpCode.OMAPGETKEYS, new Writer(32).string(startAfter).u64(max).finish());
export const getOmapValsByKeysStep = (keys: Iterable<string>): OpStep => withInput(OsdOpCode.OMAPGETVALSBYKEYS, keySet(keys));
export const removeOmapKeysStep = (keys: Iterable<string>): OpStep => withInput(OsdOpCode.OMAPRMKEYS, keySet(keys));
/** Removes the keys in [start, end) (librados omap_rm_range, Python remove_omap_range2). */
export const removeOmapRangeStep = (start: string, end: string): OpStep => {
  return withInput(OsdOpCode.OMAPRMKEYRANGE, new Writer(32).string(start).string(end).finish());
};
export const getOmapHeaderStep = (): OpStep => ({ op: OsdOpCode.OMAPGETHEADER, union: EMPTY_UNION });
export const setOmapHeaderStep = (header: Bytes): OpStep => withInput(OsdOpCode.OMAPSETHEADER, bytes(header));
export const clearOmapStep = (): OpStep => ({ op: OsdOpCode.OMAPCLEAR, union: EMPTY_UNION });
/** The comparisons OMAP_CMP supports (PrimaryLogPG: anything else is EINVAL). */
export type OmapCmpOperator = 'eq' | 'lt' | 'gt';

/**
 * OMAP_CMP: fails the op with ECANCELED unless, for every key, `stored <op> value` (bytewise);
 * a missing key fails too. Input: map<string, pair<bufferlist, int32 op>>.
 */
export const omapCmpStep = (assertions: Iterable<[string, [Bytes, OmapCmpOperator]]> | Record<string, [Bytes, OmapCmpOperator]>): OpStep => {
  const list = sortedEntries(assertions);
  const w = new Writer(64);
  w.u32(list.length);
  for (const [k, [v, op]] of list) {
    // Plain-JavaScript callers can pass any string: check it here, as the OSD would refuse it.
    const name: string = op;
    if (name !== 'eq' && name !== 'lt' && name !== 'gt') throw new RadosError(`omap comparisons are eq, lt or gt, not ${name}`, Errno.EINVAL);
    w.string(k).blob(bytes(v)).i32(cmpCode(op));
  }
  return withInput(OsdOpCode.OMAP_CMP, w.finish());
};

// --- class calls ---------------------------------------------------------------------------

export const execStep = (cls: string, method: string, input: Bytes): OpStep => {
  const c = utf8Encode(cls);
  const m = utf8Encode(method);
  const i = bytes(input);
  if (c.length === 0 || c.length > 255 || m.length === 0 || m.length > 255) throw new RadosError(`class and method names must be 1–255 bytes (${cls}.${method})`, Errno.EINVAL);
  return { op: OsdOpCode.CALL, union: clsUnion(c.length, m.length, i.length), indata: concatBytes([c, m, i]) };
};

// --- watch/notify (Objecter linger ops: librados rados_watch3, rados_notify2) ----------------

/** WATCH: `op` is a CEPH_OSD_WATCH_OP_* (WatchOp); the union carries the cookie, generation and timeout. */
export const watchStep = (cookie: bigint, op: number, gen: number, timeoutSec: number): OpStep => ({ op: OsdOpCode.WATCH, union: watchUnion(cookie, op, gen, timeoutSec) });
/** NOTIFY: the union carries the notify's own cookie; the input its timeout and payload. */
export const notifyStep = (cookie: bigint, timeoutSec: number, payload: Uint8Array): OpStep => ({
  op: OsdOpCode.NOTIFY,
  union: notifyUnion(cookie),
  indata: encodeNotifyInput(timeoutSec, payload),
});
/** NOTIFY_ACK: a watcher's reply to notify `notifyId`, sent under its watch `cookie`. */
export const notifyAckStep = (notifyId: bigint, cookie: bigint, reply: Uint8Array): OpStep => ({
  op: OsdOpCode.NOTIFY_ACK,
  union: EMPTY_UNION,
  indata: encodeNotifyAck(notifyId, cookie, reply),
});

// --- listing -------------------------------------------------------------------------------

/** PGNLS (Objecter::list_nobjects): up to `max` entries of the op's PG from the cursor `handle` on. */
export const pgnlsStep = (handle: HObject, max: number, startEpoch: number): OpStep => {
  const w = new Writer(64);
  encodeHObject(w, handle);
  return { op: OsdOpCode.PGNLS, union: pglsUnion(max, startEpoch), indata: w.finish() };
};

// --- reply decoders ------------------------------------------------------------------------

/** What `stat` returns (Python `stat`: size and mtime). */
export interface ObjectStat {
  /** Size in bytes. */
  size: number;
  /** Last modification time. */
  mtime: Date;
}

export function decodeStat(out: Uint8Array): ObjectStat {
  const rd = new Reader(out);
  const size = rd.u64n('stat.size');
  const t = decodeUtime(rd, 'stat.mtime');
  return { size, mtime: new Date(t.sec * 1000 + Math.floor(t.nsec / 1e6)) };
}

/** A page of omap entries (`getOmapVals`). */
export interface OmapValsResult {
  /** Key → value, in key order. */
  entries: Map<string, Uint8Array>;
  /** Whether the OSD holds further entries past `max`. */
  more: boolean;
}

export const decodeOmapVals = (out: Uint8Array): OmapValsResult => {
  const rd = new Reader(out);
  const entries = rd.map(
    'omap',
    (r) => r.string('key'),
    (r) => r.blob('value').slice(),
    8,
  );
  return { entries, more: rd.remaining > 0 ? rd.bool('more') : false };
};

/** A page of omap keys (`getOmapKeys`). */
export interface OmapKeysResult {
  /** The keys, in order. */
  keys: string[];
  /** Whether the OSD holds further keys past `max`. */
  more: boolean;
}

export const decodeOmapKeys = (out: Uint8Array): OmapKeysResult => {
  const rd = new Reader(out);
  const keys = rd.array('omap_keys', (r) => r.string('key'), 4);
  return { keys, more: rd.remaining > 0 ? rd.bool('more') : false };
};

export const decodeBlobMap = (out: Uint8Array, what: string): Map<string, Uint8Array> =>
  new Reader(out).map(
    what,
    (r) => r.string('key'),
    (r) => r.blob('value').slice(),
    8,
  );

/** The allocated extents of a range and their data (`sparseRead`). */
export interface SparseReadResult {
  /** The allocated extents as [offset, length] pairs, in bytes. */
  extents: Array<[number, number]>;
  /** The extents' bytes, concatenated in order. */
  data: Uint8Array;
}

export const decodeSparseRead = (out: Uint8Array): SparseReadResult => {
  const rd = new Reader(out);
  const extents = rd.pairs(
    'sparse_read.extents',
    (r) => r.u64n('offset'),
    (r) => r.u64n('length'),
    16,
  );
  return { extents, data: rd.blob('sparse_read.data').slice() };
};

/** A cmpext result below -MAX_ERRNO encodes the first mismatching offset (librados cmpext). */
const MAX_ERRNO = 4095;
export const cmpextMismatch = (rval: number): number | undefined => (rval <= -MAX_ERRNO ? -MAX_ERRNO - rval : undefined);

/** One object of a listing. */
export interface ListedObject {
  /** The object name. */
  name: string;
  /** Its namespace ('' for the default). */
  namespace: string;
  /** Its locator key ('' for none). */
  locator: string;
}

/**
 * A PGNLS reply, pg_nls_response_t (src/osd/osd_types.h): the cursor to ask from next (hobject
 * max once the PG is done), then each entry's nspace, oid and locator.
 */
export function decodePgNlsResponse(out: Uint8Array): { next: HObject; entries: ListedObject[] } {
  return new Reader(out).struct('pg_nls_response_t', 1, (rd) => {
    const next = decodeHObject(rd, 'pg_nls_response_t.handle');
    const n = rd.count('pg_nls_response_t.entries', 12);
    const entries: ListedObject[] = [];
    for (let i = 0; i < n; i++) entries.push({ namespace: rd.string('nspace'), name: rd.string('oid'), locator: rd.string('locator') });
    return { next, entries };
  });
}
