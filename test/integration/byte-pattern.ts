// Reproducible test data, Node-free (the runtimes flow imports it under Deno and Bun too).

/** A deterministic pseudo-random byte pattern (xorshift), so failures are reproducible. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
