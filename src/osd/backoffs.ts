// The backoffs one OSD session is under (MOSDBackoff; doc/dev/rados-client-protocol.rst
// "Backoff", Objecter::handle_osd_backoff and _send_op). Each has the id the OSD gave it and a
// range of one PG's hobject space: [begin, end) for a whole PG, begin == end for one object
// (osd_backoff_on_degraded). A backoff belongs to the session that set it: it holds only ops
// that session would carry, and it ends with an UNBLOCK of its id or with the session, never
// with a map change. Keyed by PG alone and shared by every session, an OSD that stopped being
// primary (and dropped its backoffs without a word, PG::clear_backoffs) held that PG's ops
// sent to the new primary until its session closed.
import { compareHObject, type HObject } from '../../protocol/types/hobject.ts';
import type { SpgT } from '../../protocol/types/pg.ts';

/** A PG as backoffs name it: pool, seed and EC shard (spg_t). */
export const spgKey = (pool: number, seed: number, shard: number): string => `${pool}.${seed}s${shard}`;

/** The same key for an spg_t as a message carries it. */
export const spgKeyOf = (pgid: SpgT): string => spgKey(pgid.pgid.pool, pgid.pgid.seed, pgid.shard);

interface Backoff {
  pg: string;
  begin: HObject;
  end: HObject;
}

export class SessionBackoffs {
  private readonly byId = new Map<bigint, Backoff>();

  /** BLOCK: ops of this session on objects in the range are held from now. */
  block(pgid: SpgT, id: bigint, begin: HObject, end: HObject): void {
    this.byId.set(id, { pg: spgKeyOf(pgid), begin, end });
  }

  /** UNBLOCK: the backoff with this id ends (the OSD may name a narrower range after a split: the id is what counts). */
  unblock(id: bigint): boolean {
    return this.byId.delete(id);
  }

  /**
   * Whether an op on `hobj` in PG `pg` is held: an object backoff holds that object, a PG
   * backoff every object from begin up to end. A PG op (listing; `hobj` undefined) is held by
   * any backoff on its PG.
   */
  blocks(pg: string, hobj: HObject | undefined): boolean {
    for (const b of this.byId.values()) {
      if (b.pg !== pg) continue;
      if (!hobj) return true;
      const fromBegin = compareHObject(hobj, b.begin);
      if (fromBegin === 0 || (fromBegin > 0 && compareHObject(hobj, b.end) < 0)) return true;
    }
    return false;
  }

  get size(): number {
    return this.byId.size;
  }
}
