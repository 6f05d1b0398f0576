// A large frame's body is received into one buffer of its final size (FrameDecoder's direct
// mode): bytes the transport read into that buffer are counted where they are, anything else
// is copied in, and the frames that come out are the same either way, in any chunking.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../encoding/concat-bytes.ts';
import { CrcFrameCodec } from './crc-frame-codec.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { Tag } from './tags.ts';

const pattern = (n: number, k: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 31 + k) & 0xff);
const FRONT = pattern(200, 1);
const DATA = pattern(600_000, 2); // far above the 128 KiB direct threshold
const SMALL = pattern(40, 3);
/** Byte equality without vitest's element-by-element diffing (slow at 600 KB). */
const same = (a: Uint8Array | undefined, b: Uint8Array): boolean => a?.length === b.length && a.every((x, i) => x === b[i]);

/** Three frames back to back: small, large (direct), small. */
function wire(): Uint8Array {
  const codec = new CrcFrameCodec();
  return concatBytes([
    ...codec.encode({ tag: Tag.MESSAGE, segments: [SMALL] }),
    ...codec.encode({ tag: Tag.MESSAGE, segments: [FRONT, new Uint8Array(0), new Uint8Array(0), DATA] }),
    ...codec.encode({ tag: Tag.KEEPALIVE2, segments: [SMALL] }),
  ]);
}

/** Feeds the stream in chunks of `size(i)`; a fake transport honours readInto when `direct`. */
async function decode(stream: Uint8Array, size: (i: number) => number, direct: boolean): Promise<{ segments: Uint8Array[][]; intoCalls: number }> {
  let target: { dest: Uint8Array; filled: number } | undefined;
  let intoCalls = 0;
  const d = new FrameDecoder(new CrcFrameCodec(), undefined, {
    readInto: (dest) => {
      intoCalls++;
      if (direct) target = { dest, filled: 0 };
    },
  });
  const segments: Uint8Array[][] = [];
  let at = 0;
  for (let i = 0; at < stream.length; i++) {
    let n = Math.min(size(i), stream.length - at);
    let chunk = stream.subarray(at, at + n);
    if (target) {
      // As node-transport does: the read lands in the decoder's buffer, and a view of it is yielded.
      n = Math.min(n, target.dest.length - target.filled);
      target.dest.set(stream.subarray(at, at + n), target.filled);
      chunk = target.dest.subarray(target.filled, target.filled + n);
      target.filled += n;
      if (target.filled === target.dest.length) target = undefined;
    }
    d.push(chunk);
    at += n;
    for (let f = await d.next(); f; f = await d.next()) segments.push(f.segments);
  }
  expect(d.buffered).toBe(0);
  return { segments, intoCalls };
}

describe('FrameDecoder: large bodies in one buffer', () => {
  const stream = wire();
  for (const [name, size] of [
    ['one chunk', () => stream.length],
    ['64 KiB chunks', () => 65_536],
    ['odd chunks', (i: number) => 1 + ((i * 7919) % 100_003)],
    ['tiny chunks', (i: number) => 1 + (i % 13)],
  ] as const) {
    for (const direct of [true, false]) {
      it(`${name}, transport ${direct ? 'reads into the body' : 'ignores readInto'}`, async () => {
        const r = await decode(stream, size, direct);
        expect(r.segments.length).toBe(3);
        expect(same(r.segments[0]![0], SMALL)).toBe(true);
        expect(same(r.segments[1]![0], FRONT)).toBe(true);
        expect(same(r.segments[1]![3], DATA)).toBe(true);
        expect(same(r.segments[2]![0], SMALL)).toBe(true);
        // Asked once, for the large frame only (and not when it arrived whole in the first chunk).
        expect(r.intoCalls).toBe(name === 'one chunk' ? 0 : 1);
      });
    }
  }

  it('a corrupted byte in a directly received body is still a crc mismatch', async () => {
    const bad = wire().slice();
    bad[100 + 300_000]! ^= 1;
    await expect(decode(bad, () => 65_536, true)).rejects.toThrow(/segment 3 crc mismatch/);
  });
});
