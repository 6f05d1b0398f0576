// Object listing PG by PG with PGNLS (Objecter::list_nobjects): each request carries the
// cursor (an hobject_t) and returns up to `max` entries plus the next cursor; hobject max (or
// result 1) ends the PG.
import { RadosError, errnoName } from '../../protocol/errors.ts';
import { decodePgNlsResponse, type ListedObject, pgnlsStep } from '../../protocol/osd/op-steps.ts';
import type { HObject } from '../../protocol/types/hobject.ts';
import type { CallOptions } from '../abort.ts';
import type { Objecter } from './objecter.ts';

/** LIBRADOS_ALL_NSPACES: list every namespace. */
export const ALL_NAMESPACES = '\u0001';

export type { ListedObject };

/**
 * Where a listing stands: the PG, the PGNLS handle of the batch being read, and the last entry
 * handed out from it (PGNLS names carry no hash, so a resume re-reads that batch and skips
 * through the entry; if it has gone meanwhile, the batch is yielded whole).
 */
export interface ListCursor {
  /** The PG being listed, by seed (0 to pg_num - 1). */
  readonly pg: number;
  /** The PGNLS handle (hobject_t) the current batch was requested from. */
  readonly handle: HObject;
  /** The last entry handed out from that batch; absent before the first. */
  readonly after?: ListedObject;
}

const START: HObject = { key: '', oid: '', snap: 0n, hash: 0, max: false, nspace: '', pool: -(2n ** 63n) };

/** `IoCtx.listObjects` options. */
export interface ListOptions extends CallOptions {
  /** List every namespace of the pool, not only the IoCtx's (librados LIBRADOS_ALL_NSPACES). */
  allNamespaces?: boolean;
  /** Entries per request (librados default 1024). */
  batch?: number;
  /** Resume where an earlier listing's `cursor` stood. */
  cursor?: ListCursor;
}

/** What a listing reads: the pool, its PG count and epoch as the newest map says, and the namespace. */
export interface ListingSource {
  objecter: Pick<Objecter, 'submit'>;
  poolId: number;
  pgNum: () => number;
  epoch: () => number;
  /** The namespace listed, or ALL_NAMESPACES. */
  namespace: string;
}

const same = (a: ListedObject, b: ListedObject): boolean => a.name === b.name && a.namespace === b.namespace && a.locator === b.locator;

// The class body's constructor, for newObjectListing: users get listings from IoCtx.listObjects
// and cannot build one on an Objecter of their own.
let construct: (source: ListingSource, opts: ListOptions) => ObjectListing;

/** A listing of `source` (IoCtx.listObjects; not exported by the entry points). */
export function newObjectListing(source: ListingSource, opts: ListOptions): ObjectListing {
  return construct(source, opts);
}

/** An object listing (librados NObjectIterator): iterate it, and take `cursor` to resume later. */
export class ObjectListing implements AsyncIterable<ListedObject> {
  #position: ListCursor;
  readonly #source: ListingSource;
  readonly #opts: ListOptions;

  static {
    construct = (source, opts) => new ObjectListing(source, opts);
  }

  private constructor(source: ListingSource, opts: ListOptions) {
    this.#source = source;
    this.#opts = opts;
    this.#position = opts.cursor ?? { pg: 0, handle: START };
  }

  /** The position after the last entry this listing yielded. */
  get cursor(): ListCursor {
    return this.#position;
  }

  /** Yields the objects PG by PG, one PGNLS request per batch; `cursor` follows each entry yielded. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ListedObject, void, undefined> {
    const { objecter, poolId, pgNum, epoch, namespace } = this.#source;
    let skipThrough = this.#position.after;
    while (this.#position.pg < pgNum()) {
      const { pg, handle } = this.#position;
      const r = await objecter.submit({ poolId, oid: '', namespace, pgSeed: pg, steps: [pgnlsStep(handle, this.#opts.batch ?? 1024, epoch())] }, this.#opts);
      if (r.result < 0) throw new RadosError(`listing pool ${poolId} pg ${pg}: ${errnoName(r.result)}`, r.result);
      const { next, entries } = decodePgNlsResponse(r.steps[0]!.outdata);
      let from = 0;
      if (skipThrough) {
        const at = entries.findIndex((e) => same(e, skipThrough!));
        if (at >= 0) from = at + 1;
        skipThrough = undefined;
      }
      for (let i = from; i < entries.length; i++) {
        this.#position = { pg, handle, after: entries[i]! };
        yield entries[i]!;
      }
      this.#position = r.result === 1 || next.max ? { pg: pg + 1, handle: START } : { pg, handle: next };
    }
  }
}
