// Mutated and truncated real bytes never crash, hang or over-allocate: each input either
// decodes or throws DecodeError. Bounded in time; the seed makes a failure replayable.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Reader,
  decodeEntityAddrvec,
  encodeEntityAddrvec,
  decodeHObject,
  decodeMonMap,
  decodeObjectLocator,
  decodeOsdReqId,
  decodeSpgT,
  Writer,
  encodeHObject,
  encodeObjectLocator,
  encodeOsdReqId,
  encodeSpgT,
  CEPH_NOSNAP,
} from '../../protocol/index.ts';
import { fuzz } from './mutate.ts';

const monmaps = readdirSync(join(import.meta.dirname, '../../fixtures/monmap'))
  .filter((f) => f.endsWith('.monmap'))
  .map((f) => new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/monmap', f))));

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('decoders under mutation', () => {
  it('MonMap (real monmaptool bytes)', () => {
    const { tried, failures } = fuzz(monmaps, decodeMonMap, 1500, 0x5eed);
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
  });

  it('entity_addrvec_t (the real bytes of each mon address in the fixture maps)', () => {
    const samples: Uint8Array[] = [];
    for (const b of monmaps) {
      for (const info of decodeMonMap(b).monInfo.values()) {
        const w = new Writer();
        encodeEntityAddrvec(w, info.publicAddrs);
        const vec = w.finish();
        expect(indexOf(b, vec)).toBeGreaterThan(0); // these bytes are Ceph's, not only ours
        samples.push(vec);
      }
    }
    const { failures } = fuzz(samples, (b) => decodeEntityAddrvec(new Reader(b)), 300, 7);
    expect(failures).toEqual([]);
  });

  it('hobject_t, spg_t, object_locator_t, osd_reqid_t', () => {
    const w = new Writer();
    encodeHObject(w, { key: 'k', oid: 'rbd_header.1234', snap: CEPH_NOSNAP, hash: 0xdeadbeef, max: false, nspace: 'ns', pool: 3n });
    encodeSpgT(w, { pgid: { pool: 3, seed: 0x2f }, shard: -1 });
    encodeObjectLocator(w, { pool: 3, key: '', nspace: 'ns', hash: -1 });
    encodeOsdReqId(w, { name: { type: 8, num: 4123n }, tid: 99n, inc: 0 });
    const sample = w.finish();
    const decodeAll = (b: Uint8Array): unknown => {
      const r = new Reader(b);
      return [decodeHObject(r), decodeSpgT(r), decodeObjectLocator(r), decodeOsdReqId(r)];
    };
    expect(decodeAll(sample)).toHaveLength(4);
    const { failures } = fuzz([sample], decodeAll, 500, 11);
    expect(failures).toEqual([]);
  });
});
