// The option and result types of IoCtx's methods that have no home nearer their codec (those
// live beside it: ObjectStat and the omap and sparse-read pages in protocol/osd/op-steps.ts,
// ListOptions in osd/list-objects.ts, NotifyOptions in osd/watch-notify.ts).
import type { CallOptions } from './abort.ts';

/** A pool's id and name (`IoCtx.listPoolIds`, `IoCtx.lookupPool`). */
export interface PoolRef {
  /** The pool id. */
  id: number;
  /** The pool name. */
  name: string;
}

/** `IoCtx.getOmapVals` options (Python `get_omap_vals(start_after, filter_prefix, max_return)`). */
export interface OmapValsOptions extends CallOptions {
  /** Start after this key ('' or absent: from the first). */
  startAfter?: string;
  /** Only keys starting with this prefix. */
  prefix?: string;
  /** At most this many entries (default 512). */
  max?: number;
}

/** `IoCtx.getOmapKeys` options (Python `get_omap_keys(start_after, max_return)`). */
export interface OmapKeysOptions extends CallOptions {
  /** Start after this key ('' or absent: from the first). */
  startAfter?: string;
  /** At most this many keys (default 512). */
  max?: number;
}

/** `IoCtx.create` options. */
export interface ObjectCreateOptions extends CallOptions {
  /** Fail with EEXIST if the object exists (CEPH_OSD_OP_FLAG_EXCL). */
  exclusive?: boolean;
}

/** One holder of an advisory lock (`IoCtx.listLockers`). */
export interface LockHolder {
  /** The holder's entity name, `client.<global id>`. */
  client: string;
  /** The cookie the holder locked with. */
  cookie: string;
  /** The holder's address, as `rados lock info` shows it. */
  address: string;
  /** The description given when locking. */
  description: string;
}

/** An advisory lock and its holders (`IoCtx.listLockers`, Python `list_lockers`). */
export interface LockersResult {
  /** The lock's tag (shared lockers must all use the same one). */
  tag: string;
  /** Whether the lock is exclusive (else shared). */
  exclusive: boolean;
  /** The current holders. */
  lockers: LockHolder[];
}
