// Object listing PG by PG with PGNLS (Objecter::list_nobjects): each request carries the
// cursor (an hobject_t) and returns up to `max` entries plus the next cursor; hobject max (or
// result 1) ends the PG.
import { Reader } from '../../protocol/encoding/reader.ts';
import { Writer } from '../../protocol/encoding/writer.ts';
import { RadosError, errnoName } from '../../protocol/errors.ts';
import { OsdOpCode } from '../../protocol/messages/osd-op-codes.ts';
import { pglsUnion } from '../../protocol/messages/osd-op-struct.ts';
import { decodeHObject, encodeHObject, type HObject } from '../../protocol/types/hobject.ts';
import type { CallOptions } from '../abort.ts';
import type { Objecter } from './objecter.ts';

/** LIBRADOS_ALL_NSPACES: list every namespace. */
export const ALL_NAMESPACES = '\u0001';

export interface ListedObject {
  name: string;
  namespace: string;
  locator: string;
}

/** Where a listing stands: the PG and the cursor inside it; resume a listing from it. */
export interface ListCursor {
  pg: number;
  handle: HObject;
}

const START: HObject = { key: '', oid: '', snap: 0n, hash: 0, max: false, nspace: '', pool: -(2n ** 63n) };

export interface ListOptions extends CallOptions {
  namespace?: string;
  /** Entries per request (librados default 1024). */
  batch?: number;
  cursor?: ListCursor;
}

export async function* listObjects(
  objecter: Objecter,
  poolId: number,
  pgNum: () => number,
  epoch: () => number,
  opts: ListOptions,
): AsyncGenerator<ListedObject, void, undefined> {
  let pg = opts.cursor?.pg ?? 0;
  let handle = opts.cursor?.handle ?? START;
  const ns = opts.namespace ?? '';
  while (pg < pgNum()) {
    const w = new Writer(64);
    encodeHObject(w, handle);
    const r = await objecter.submit(
      { poolId, oid: '', namespace: ns, pgSeed: pg, steps: [{ op: OsdOpCode.PGNLS, union: pglsUnion(opts.batch ?? 1024, epoch()), indata: w.finish() }] },
      opts,
    );
    if (r.result < 0) throw new RadosError(`listing pool ${poolId} pg ${pg}: ${errnoName(r.result)}`, r.result);
    const rd = new Reader(r.steps[0]!.outdata);
    const { next, entries } = rd.struct('pg_nls_response_t', 1, (rd) => {
      const next = decodeHObject(rd, 'pg_nls_response_t.handle');
      const n = rd.count('pg_nls_response_t.entries', 12);
      const entries: ListedObject[] = [];
      for (let i = 0; i < n; i++) entries.push({ namespace: rd.string('nspace'), name: rd.string('oid'), locator: rd.string('locator') });
      return { next, entries };
    });
    for (const e of entries) yield e;
    if (r.result === 1 || next.max) {
      pg++;
      handle = START;
    } else {
      handle = next;
    }
  }
}
