/**
 * Runs `fn` repeatedly for about `ms` of this process's CPU time and returns calls per CPU
 * second (after a short warm-up). CPU time, not wall time: on this 2-core machine the clusters
 * and other work beside a run take turns with it, and wall time then measures them too.
 */
export function rate(fn: () => void, ms = 300): number {
  const cpuMs = (since?: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const warm = process.cpuUsage();
  while (cpuMs(warm) < Math.min(100, ms / 3)) fn();
  let n = 0;
  const start = process.cpuUsage();
  let spent = 0;
  while (spent < ms) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    spent = cpuMs(start);
  }
  return (n * 1000) / spent;
}

export function fmt(n: number, digits = 1): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(digits);
}

/** Prints a simple aligned table. */
export function table(rows: Array<Array<string | number>>): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((v, c) => String(v).padEnd(widths[c]!)).join('  '));
}
