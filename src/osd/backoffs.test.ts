// SessionBackoffs: which ops a session's backoffs hold (doc/dev/rados-client-protocol.rst
// "Backoff"). The order of objects inside a range is hobject_t's, checked against the OSD's own
// listing order in test/integration/ioctx-basic.test.ts.
import { describe, expect, it } from 'vitest';
import { CEPH_NOSNAP, type HObject } from '../../protocol/types/hobject.ts';
import type { SpgT } from '../../protocol/types/pg.ts';
import { SessionBackoffs, spgKey } from './backoffs.ts';

const pg = (seed: number): SpgT => ({ pgid: { pool: 3, seed, preferred: -1 }, shard: -1 });
const obj = (oid: string, hash: number): HObject => ({ pool: 3n, hash, nspace: '', key: '', oid, snap: CEPH_NOSNAP, max: false });
// A PG backoff's range as the OSD sends it: from the PG's first hash (bit-reversed order) to the next PG's.
const start = (hash: number): HObject => ({ pool: 3n, hash, nspace: '', key: '', oid: '', snap: 0n, max: false });
const PG_1 = spgKey(3, 1, -1);
const PG_2 = spgKey(3, 2, -1);

describe('SessionBackoffs', () => {
  it('an object backoff holds that object only, a PG op on its PG too', () => {
    const b = new SessionBackoffs();
    const held = obj('a', 0x11);
    b.block(pg(1), 7n, held, held);
    expect(b.blocks(PG_1, held)).toBe(true);
    expect(b.blocks(PG_1, { ...held, snap: CEPH_NOSNAP })).toBe(true);
    expect(b.blocks(PG_1, obj('b', 0x11))).toBe(false);
    expect(b.blocks(PG_1, undefined)).toBe(true);
    expect(b.blocks(PG_2, held)).toBe(false);
  });

  it('a PG backoff holds [begin, end) in bit-reversed hash order', () => {
    const b = new SessionBackoffs();
    // With 4 PGs, PG 1 holds the hashes ending in binary 01: bitwise keys 0x80000000 up to 0xc0000000.
    b.block(pg(1), 1n, start(0x1), start(0x3));
    expect(b.blocks(PG_1, obj('x', 0x1))).toBe(true);
    expect(b.blocks(PG_1, obj('y', 0xfff1))).toBe(true); // …0001: bitwise key 0x8fff0000
    expect(b.blocks(PG_1, obj('z', 0x3))).toBe(false); // the end is open
    expect(b.blocks(PG_1, obj('w', 0x2))).toBe(false); // bitwise key 0x40000000, before begin
  });

  it('ends by id, whatever range the UNBLOCK names, and only that backoff', () => {
    const b = new SessionBackoffs();
    b.block(pg(1), 1n, start(0x1), start(0x3));
    b.block(pg(1), 2n, obj('a', 0x11), obj('a', 0x11));
    expect(b.unblock(1n)).toBe(true);
    expect(b.blocks(PG_1, obj('x', 0x1))).toBe(false);
    expect(b.blocks(PG_1, obj('a', 0x11))).toBe(true);
    expect(b.unblock(1n)).toBe(false);
    expect(b.unblock(2n)).toBe(true);
    expect(b.size).toBe(0);
  });
});
