// Where two byte arrays first differ: what the thrasher's checks report (and -1 when equal).

/** The first index at which `a` and `b` differ (the shorter length if one is a prefix), or -1. */
export function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
