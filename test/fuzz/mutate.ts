import { DecodeError } from '../../protocol/index.ts';

/** A small seeded PRNG (xorshift32) so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

/** One random truncation or mutation (bit flips, byte sets, 0xff runs in length fields) of `src`. */
export function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const kind = rnd() % 4;
  if (kind === 0) return src.slice(0, rnd() % Math.max(1, src.length));
  const b = src.slice();
  const edits = 1 + (rnd() % 8);
  for (let i = 0; i < edits; i++) {
    const at = rnd() % b.length;
    if (kind === 1) b[at] = b[at]! ^ (1 << (rnd() % 8));
    else if (kind === 2) b[at] = rnd() & 0xff;
    else b.fill(0xff, at, Math.min(b.length, at + 1 + (rnd() % 4)));
  }
  return b;
}

/**
 * Feeds `decode` mutations of each sample until `ms` have passed; every outcome must be a
 * value or a DecodeError. Returns how many inputs were tried, and the failures otherwise.
 */
export function fuzz(samples: Uint8Array[], decode: (b: Uint8Array) => unknown, ms: number, seed = 1): { tried: number; failures: string[] } {
  const rnd = prng(seed);
  const end = Date.now() + ms;
  const failures: string[] = [];
  let tried = 0;
  while (Date.now() < end && failures.length < 5) {
    const src = samples[tried % samples.length]!;
    const input = mutate(src, rnd);
    tried++;
    try {
      decode(input);
    } catch (e) {
      if (!(e instanceof DecodeError)) failures.push(`${(e as Error).name}: ${(e as Error).message} (sample ${tried % samples.length}, try ${tried}, seed ${seed})`);
    }
  }
  return { tried, failures };
}
