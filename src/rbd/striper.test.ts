// The striper against Ceph's placement rules (src/osdc/Striper.cc file_to_extents,
// extent_to_file, get_num_objects): block n of `stripeUnit` bytes goes to object
// (n / stripeCount / (objectSize / stripeUnit)) * stripeCount + n % stripeCount, at
// ((n / stripeCount) % (objectSize / stripeUnit)) * stripeUnit. The expected values are worked
// out by hand from those rules; the integration tests (rbd-basic striping, rbd-lock `rbd du`)
// check the same placement against images librbd wrote and read.
import { describe, expect, it } from 'vitest';
import { fileToExtents, numObjects, objectToImageRanges, type Layout } from './striper.ts';

const K = 1024;
const M = 1024 * K;
const plain: Layout = { objectSize: 4 * M, stripeUnit: 4 * M, stripeCount: 1 };
/** `rbd create --object-size 1M --stripe-unit 64K --stripe-count 4`: 16 blocks per object, a 4 MiB object set. */
const striped: Layout = { objectSize: M, stripeUnit: 64 * K, stripeCount: 4 };

describe('fileToExtents', () => {
  it('unstriped: a write across an object boundary is two pieces (the rbd-lock test`s 30 bytes at 8 MiB − 10 touch objects 1 and 2)', () => {
    expect(fileToExtents(plain, 8 * M - 10, 30)).toEqual([
      { objectNo: 1, offset: 4 * M - 10, length: 10, bufferOffset: 0 },
      { objectNo: 2, offset: 0, length: 20, bufferOffset: 10 },
    ]);
    expect(fileToExtents(plain, 100, 5000)).toEqual([{ objectNo: 0, offset: 100, length: 5000, bufferOffset: 0 }]);
    expect(fileToExtents(plain, 0, 0)).toEqual([]);
  });

  it('striped: stripe units go round the object set, then the next row of each object', () => {
    expect(fileToExtents(striped, 0, 256 * K)).toEqual([0, 1, 2, 3].map((o) => ({ objectNo: o, offset: 0, length: 64 * K, bufferOffset: o * 64 * K })));
    // Block 4: stripe 1, position 0 → object 0 at 64 KiB; block 5 → object 1 at 64 KiB.
    expect(fileToExtents(striped, 256 * K + 10, 64 * K)).toEqual([
      { objectNo: 0, offset: 64 * K + 10, length: 64 * K - 10, bufferOffset: 0 },
      { objectNo: 1, offset: 64 * K, length: 10, bufferOffset: 64 * K - 10 },
    ]);
    // 4 MiB in: the second object set (objects 4..7).
    expect(fileToExtents(striped, 4 * M, 1)).toEqual([{ objectNo: 4, offset: 0, length: 1, bufferOffset: 0 }]);
    // The last byte of the first set: block 63 → stripe 15, position 3 → object 3 at 15 × 64 KiB.
    expect(fileToExtents(striped, 4 * M - 1, 1)).toEqual([{ objectNo: 3, offset: 16 * 64 * K - 1, length: 1, bufferOffset: 0 }]);
  });

  it('a stripe count of 1 with small stripe units: consecutive units of one object are one piece', () => {
    expect(fileToExtents({ objectSize: M, stripeUnit: 64 * K, stripeCount: 1 }, 32 * K, 256 * K)).toEqual([{ objectNo: 0, offset: 32 * K, length: 256 * K, bufferOffset: 0 }]);
  });
});

describe('numObjects (Striper::get_num_objects, rbd info "objects")', () => {
  it('unstriped: whole objects, rounded up', () => {
    expect(numObjects(plain, 0)).toBe(0);
    expect(numObjects(plain, 1)).toBe(1);
    expect(numObjects(plain, 10 * M)).toBe(3);
    expect(numObjects(plain, 24 * M)).toBe(6);
  });

  it('striped: a partial first stripe only reaches the objects it touches', () => {
    expect(numObjects(striped, 128 * K)).toBe(2);
    expect(numObjects(striped, 256 * K)).toBe(4);
    expect(numObjects(striped, 4 * M)).toBe(4);
    expect(numObjects(striped, 4 * M + 1)).toBe(5);
    expect(numObjects(striped, 5 * M)).toBe(8);
  });
});

describe('objectToImageRanges (Striper::extent_to_file over a whole object)', () => {
  it('names the image range of each stripe unit of the object, in object order', () => {
    // Object 5: set 1 (from block 64, 4 MiB), position 1; its units are blocks 64 + 4b + 1 for b = 0..15.
    const r = objectToImageRanges(striped, 5);
    expect(r).toHaveLength(16);
    expect(r.slice(0, 3)).toEqual([
      { imageOffset: 65 * 64 * K, objectOffset: 0, length: 64 * K },
      { imageOffset: 69 * 64 * K, objectOffset: 64 * K, length: 64 * K },
      { imageOffset: 73 * 64 * K, objectOffset: 128 * K, length: 64 * K },
    ]);
    expect(objectToImageRanges(plain, 3)).toEqual([{ imageOffset: 12 * M, objectOffset: 0, length: 4 * M }]);
  });

  it('is the inverse of fileToExtents', () => {
    for (const objectNo of [0, 3, 5, 9]) {
      for (const range of objectToImageRanges(striped, objectNo)) {
        expect(fileToExtents(striped, range.imageOffset, range.length)).toEqual([{ objectNo, offset: range.objectOffset, length: range.length, bufferOffset: 0 }]);
      }
    }
  });
});
