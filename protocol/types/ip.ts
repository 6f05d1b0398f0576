/** IPv4/IPv6 text ⇄ bytes, printing as glibc's inet_ntop does (RFC 5952 zero compression, ::ffff:a.b.c.d). */

export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  // IPv4-mapped and IPv4-compatible forms print their tail as dotted quad.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && (g[5] === 0xffff || (g[5] === 0 && g[6] !== 0))) {
    const v4 = formatIp(b.subarray(12, 16));
    return g[5] === 0xffff ? `::ffff:${v4}` : `::${v4}`;
  }
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(':');
  const head = g
    .slice(0, bestAt)
    .map((x) => x.toString(16))
    .join(':');
  const tail = g
    .slice(bestAt + bestLen)
    .map((x) => x.toString(16))
    .join(':');
  return `${head}::${tail}`;
}

/** Parses an IPv4 (size 4) or IPv6 (size 16) address; throws RangeError when it is not one. */
export function parseIp(text: string, size: 4 | 16): Uint8Array {
  const out = new Uint8Array(size);
  if (size === 4) {
    const parts = text.split('.');
    if (parts.length !== 4) throw new RangeError(`not an IPv4 address: ${text}`);
    parts.forEach((p, i) => {
      const n = Number(p);
      if (!/^\d{1,3}$/.test(p) || n > 255) throw new RangeError(`not an IPv4 address: ${text}`);
      out[i] = n;
    });
    return out;
  }
  let s = text;
  let v4: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    v4 = parseIp(s.slice(lastColon + 1), 4);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) throw new RangeError(`not an IPv6 address: ${text}`);
  const parse = (h: string): number[] =>
    h === ''
      ? []
      : h.split(':').map((x) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(x)) throw new RangeError(`not an IPv6 address: ${text}`);
          return parseInt(x, 16);
        });
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) throw new RangeError(`not an IPv6 address: ${text}`);
  const groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  groups.forEach((x, i) => {
    out[i * 2] = x >> 8;
    out[i * 2 + 1] = x & 0xff;
  });
  if (v4) out.set(v4, 12);
  return out;
}
