// cls_rbd object_map_* descriptors (src/cls/rbd/cls_rbd.cc): inputs read back field by field,
// the loaded BitVector<2> decoded from the layout src/common/bit_vector.hpp encodes; then against
// what librbd sent and the OSD returned for `rbd create` (object-map), `rbd bench` and `rbd du`
// (fixtures/ops/rbd-object-map, see its README).
import { beforeAll, describe, expect, it } from 'vitest';
import { type CapturedCall, capturedCalls, capturedOutput } from '../../test/capture/osd-ops.ts';
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import * as lock from './cls-lock.ts';
import * as om from './cls-rbd-object-map.ts';

const read = <T>(b: Uint8Array, body: (r: Reader) => T): T => {
  const r = new Reader(b);
  const out = body(r);
  r.expectEnd('input');
  return out;
};

describe('cls_rbd object map descriptors', () => {
  it('name each method once; only object_map_load reads', () => {
    const all = [om.objectMapLoad, om.objectMapSave, om.objectMapUpdate, om.objectMapResize, om.objectMapSnapAdd, om.objectMapSnapRemove];
    expect(all.map((m) => `${m.cls}.${m.method}:${m.access}`)).toEqual([
      'rbd.object_map_load:read',
      'rbd.object_map_save:write',
      'rbd.object_map_update:write',
      'rbd.object_map_resize:write',
      'rbd.object_map_snap_add:write',
      'rbd.object_map_snap_remove:write',
    ]);
  });

  it('object_map_update: le64 start, le64 end, u8 state, optional u8 current state', () => {
    expect(read(om.objectMapUpdate.encode({ start: 4, end: 5, state: om.ObjectState.EXISTS }), (r) => [r.u64(), r.u64(), r.u8(), r.bool()])).toEqual([4n, 5n, 1, false]);
    const withCurrent = om.objectMapUpdate.encode({ start: 4, end: 5, state: om.ObjectState.PENDING, current: om.ObjectState.EXISTS });
    expect(read(withCurrent, (r) => [r.u64(), r.u64(), r.u8(), r.bool(), r.u8()])).toEqual([4n, 5n, 2, true, 1]);
  });

  it('object_map_resize: le64 count, u8 default state', () => {
    expect(read(om.objectMapResize.encode({ count: 256, state: om.ObjectState.NONEXISTENT }), (r) => [r.u64(), r.u8()])).toEqual([256n, 0]);
  });

  it('load returns the stored BitVector as is; save and snap_remove send it as is; snap_add sends nothing', () => {
    // BitVector<2> of 5 objects: header blob (ENCODE_START(1,1) le64 size), 2 data bytes, footer blob.
    const header = new Writer().struct(1, 1, (w) => w.u64(5)).finish();
    const bits = new Writer()
      .blob(header)
      .bytes(new Uint8Array([0b01_10_11_00, 0b01_000000]))
      .blob(new Uint8Array(8))
      .finish();
    const loaded = om.objectMapLoad.decode(bits);
    expect(loaded).toEqual(bits);
    expect(om.decodeObjectMap(loaded)).toEqual(new Uint8Array([1, 2, 3, 0, 1]));
    expect(om.objectMapSave.encode(loaded)).toEqual(bits);
    expect(om.objectMapSnapRemove.encode(loaded)).toEqual(bits);
    expect(om.objectMapSnapAdd.encode(undefined)).toEqual(new Uint8Array(0));
    expect(om.objectMapLoad.encode(undefined)).toEqual(new Uint8Array(0));
  });
});

describe('object map calls librbd made (fixtures/ops/rbd-object-map: an 8-object image, 2 MiB written from offset 0)', () => {
  let calls: CapturedCall[];
  let du: { provisioned_size: number; used_size: number };
  beforeAll(async () => {
    calls = (await capturedCalls('rbd-object-map')).filter((c) => c.cls === 'rbd' && c.method.startsWith('object_map_'));
    du = (JSON.parse(capturedOutput('rbd-object-map')) as { images: Array<typeof du> }).images[0]!;
  });
  const OBJECTS = 8;
  const OBJECT_SIZE = 1 << 20;

  it('`rbd du` counts the 2 objects written', () => {
    expect({ provisioned: du.provisioned_size, used: du.used_size }).toEqual({ provisioned: OBJECTS * OBJECT_SIZE, used: 2 * OBJECT_SIZE });
  });
  it('create sizes the map: object_map_resize (8 objects, NONEXISTENT)', () => {
    const resize = calls.find((c) => c.method === om.objectMapResize.method)!;
    expect(om.objectMapResize.encode({ count: OBJECTS, state: om.ObjectState.NONEXISTENT })).toEqual(resize.input);
  });
  it('each write marks its object EXISTS first: object_map_update [0,1) then [1,2), no current-state condition', () => {
    const updates = calls.filter((c) => c.method === om.objectMapUpdate.method);
    expect(updates.map((c) => c.input)).toEqual([0, 1].map((i) => om.objectMapUpdate.encode({ start: i, end: i + 1, state: om.ObjectState.EXISTS })));
  });
  it("object_map_load: no input; bench's open loads it all NONEXISTENT, du's open sees objects 0 and 1 EXISTS", () => {
    const loads = calls.filter((c) => c.method === om.objectMapLoad.method);
    expect(loads).toHaveLength(2);
    for (const l of loads) expect(om.objectMapLoad.encode(undefined)).toEqual(l.input);
    const { NONEXISTENT: N, EXISTS: E } = om.ObjectState;
    expect(loads.map((l) => [...om.decodeObjectMap(om.objectMapLoad.decode(l.output))])).toEqual([
      [N, N, N, N, N, N, N, N],
      [E, E, N, N, N, N, N, N],
    ]);
  });
  it('the object map object is locked as librbd ObjectMap locks it (exclusive "rbd_lock", empty cookie and tag)', async () => {
    const locks = (await capturedCalls('rbd-object-map')).filter((c) => c.oid.startsWith('rbd_object_map.') && c.cls === lock.lock.cls && c.method === lock.lock.method);
    expect(locks.map((c) => c.input)).toEqual([lock.lock.encode(lock.exclusiveLockOp('rbd_lock', ''))]);
  });
});
