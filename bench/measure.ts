/** Runs `fn` repeatedly for about `ms` and returns calls per second (after a short warm-up). */
export function rate(fn: () => void, ms = 300): number {
  const warm = performance.now() + Math.min(100, ms / 3);
  while (performance.now() < warm) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

export function fmt(n: number, digits = 1): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(digits);
}

/** Prints a simple aligned table. */
export function table(rows: Array<Array<string | number>>): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((v, c) => String(v).padEnd(widths[c]!)).join('  '));
}
