// TrashImageSpec against the bytes librbd wrote (fixtures/rbd-trash: `rbd trash mv` and the
// python binding's trash_move on Pacific and Tentacle, read back from rbd_trash's omap), the
// values from the binding's own trash_list; and the class's v1 entries (no state) read as NORMAL.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeTrashImageSpec, encodeTrashImageSpec, TrashImageSource, TrashImageState, trashAdd, trashGet, trashList, trashRemove, trashStateSet } from './cls-rbd-trash.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/rbd-trash/${name}.bin`, import.meta.url)));

/** fixtures/rbd-trash/README.md's table: name, deletion and deferment end seconds (python trash_list). */
const CASES: Array<[string, string, number, number]> = [
  ['pacific-img-a', 'img-a', 1796219552, 1796219552],
  ['pacific-img-b', 'img-b', 1796219553, 1893456000],
  ['pacific-img-c', 'img-c', 1796219553, 1796223153],
  ['tentacle-img-a', 'img-a', 1796219794, 1796219794],
  ['tentacle-img-b', 'img-b', 1796219796, 1893455999],
  ['tentacle-img-c', 'img-c', 1796219798, 1796223398],
];

describe('trash method descriptors', () => {
  it('trash_list and trash_get read; trash_add, trash_remove and trash_state_set write (cls_rbd.cc registration)', () => {
    expect([trashList, trashGet].map((m) => m.access)).toEqual(['read', 'read']);
    expect([trashAdd, trashRemove, trashStateSet].map((m) => m.access)).toEqual(['write', 'write', 'write']);
  });

  it('trash_state_set: id, u8 state, u8 expected state', () => {
    expect(trashStateSet.encode({ id: 'ab', state: TrashImageState.NORMAL, expect: TrashImageState.MOVING })).toEqual(new Writer().string('ab').u8(0).u8(1).finish());
  });
});

describe('TrashImageSpec as librbd writes it', () => {
  it.each(CASES)('%s decodes to what the binding listed and re-encodes to the same bytes', (file, name, deletion, deferment) => {
    const b = fixture(file);
    const s = trashGet.decode(b);
    expect(s).toMatchObject({ source: TrashImageSource.USER, name, state: TrashImageState.NORMAL });
    expect(s.deletionTime.sec).toBe(deletion);
    expect(s.defermentEndTime.sec).toBe(deferment);
    expect(encodeTrashImageSpec(new Writer(), s).finish()).toEqual(b);
  });

  it('a trash_list reply (map<id, spec>) of the captured entries', () => {
    const entries: Array<[string, Uint8Array]> = [
      ['101363206bff', fixture('tentacle-img-a')],
      ['1015aaaafcee', fixture('tentacle-img-b')],
    ];
    const w = new Writer().u32(entries.length);
    for (const [id, b] of entries) w.string(id).bytes(b);
    const m = trashList.decode(w.finish());
    expect([...m.keys()]).toEqual(['101363206bff', '1015aaaafcee']);
    expect(m.get('1015aaaafcee')!.name).toBe('img-b');
  });

  it('a v1 entry (Luminous: no state byte) reads as NORMAL, as TrashImageSpec::decode reads it', () => {
    const v1 = new Writer().struct(1, 1, (w) => w.u8(TrashImageSource.MIRRORING).string('old').u32(5).u32(6).u32(7).u32(8)).finish();
    expect(decodeTrashImageSpec(new Reader(v1))).toEqual({
      source: TrashImageSource.MIRRORING,
      name: 'old',
      deletionTime: { sec: 5, nsec: 6 },
      defermentEndTime: { sec: 7, nsec: 8 },
      state: TrashImageState.NORMAL,
    });
  });
});
