import { describe, expect, it } from 'vitest';
import { Reader } from '../../protocol/encoding/reader.ts';
import { decodePoolSnapIntervals, subtractIntervals, unionIntervals } from './snap-intervals.ts';

describe('snapshot interval sets', () => {
  it('union merges overlapping and touching intervals, as interval_set::union_of', () => {
    expect(
      unionIntervals(
        [
          [1n, 2n],
          [10n, 1n],
        ],
        [
          [3n, 2n],
          [20n, 5n],
        ],
      ),
    ).toEqual([
      [1n, 4n],
      [10n, 1n],
      [20n, 5n],
    ]);
    expect(unionIntervals([], [[5n, 1n]])).toEqual([[5n, 1n]]);
    expect(unionIntervals([[5n, 3n]], [[6n, 1n]])).toEqual([[5n, 3n]]);
  });

  it('subtract removes a contained interval, splitting what it cuts through', () => {
    expect(subtractIntervals([[1n, 10n]], [[4n, 2n]])).toEqual([
      [1n, 3n],
      [6n, 5n],
    ]);
    expect(
      subtractIntervals(
        [
          [1n, 3n],
          [7n, 2n],
        ],
        [[1n, 3n]],
      ),
    ).toEqual([[7n, 2n]]);
    expect(subtractIntervals([[3n, 1n]], [[3n, 1n]])).toEqual([]);
  });

  it('decodes map<int64, interval_set<snapid_t>>', () => {
    const b = new Uint8Array([1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect([...decodePoolSnapIntervals(new Reader(b), 'q')]).toEqual([[4, [[3n, 2n]]]]);
  });
});
