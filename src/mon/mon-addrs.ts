// `mon_host` as users write it (src/common/config.cc / MonMap::build_initial): "host",
// "host:port", "v2:host:port/nonce", "[v2:h:p/0,v1:h:p/0]", several separated by commas,
// semicolons or spaces. We speak msgr2 only, so each monitor resolves to its v2 address.

export interface MonTarget {
  host: string;
  port: number;
  nonce: number;
}

const MSGR2_PORT = 3300;
const MSGR1_PORT = 6789;

export class MonHostError extends Error {
  override name = 'MonHostError';
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (depth === 0 && (ch === ',' || ch === ';' || ch === ' ' || ch === '\t')) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

interface Parsed {
  type: 'v1' | 'v2' | 'any';
  host: string;
  port: number | undefined;
  nonce: number;
}

function parseOne(text: string): Parsed {
  let t = text.trim();
  let type: Parsed['type'] = 'any';
  if (t.startsWith('v2:')) {
    type = 'v2';
    t = t.slice(3);
  } else if (t.startsWith('v1:')) {
    type = 'v1';
    t = t.slice(3);
  } else if (t.startsWith('any:')) t = t.slice(4);
  let nonce = 0;
  const slash = t.lastIndexOf('/');
  if (slash >= 0) {
    nonce = Number(t.slice(slash + 1));
    t = t.slice(0, slash);
  }
  let host: string;
  let port: number | undefined;
  if (t.startsWith('[')) {
    const end = t.indexOf(']');
    if (end < 0) throw new MonHostError(`bad IPv6 address in mon host "${text}"`);
    host = t.slice(1, end);
    const rest = t.slice(end + 1);
    if (rest.startsWith(':')) port = Number(rest.slice(1));
  } else {
    const colons = t.split(':').length - 1;
    if (colons === 1) {
      const i = t.indexOf(':');
      host = t.slice(0, i);
      port = Number(t.slice(i + 1));
    } else host = t; // a name, IPv4 without port, or a bare IPv6 address
  }
  if (!host || (port !== undefined && !(port > 0 && port < 65536)) || !Number.isFinite(nonce)) {
    throw new MonHostError(`cannot parse mon host entry "${text}"`);
  }
  return { type, host, port, nonce };
}

/**
 * The msgr2 address of every monitor named in `mon_host`. Ceph reads each top-level item as a
 * monitor of its own (MonMap::init_with_ips), so `v2:IP:P/0,v1:IP:Q/0` is two entries, one
 * reachable over msgr2 only; an item with no v2 address is skipped (said through `debug`), and
 * only a `mon_host` left with no v2 address at all is refused.
 */
export function parseMonHost(monHost: string | readonly string[], debug: (msg: string) => void = () => {}): MonTarget[] {
  const items = typeof monHost === 'string' ? splitTopLevel(monHost) : monHost.flatMap((m) => splitTopLevel(m));
  const targets: MonTarget[] = [];
  const v1Only: string[] = [];
  for (const item of items) {
    const addrs = item.startsWith('[v') || item.startsWith('[any') ? splitTopLevel(item.slice(1, -1)).map(parseOne) : [parseOne(item)];
    const v2 = addrs.find((a) => a.type === 'v2') ?? addrs.find((a) => a.type === 'any' && a.port !== MSGR1_PORT);
    if (!v2) {
      debug(`mon host: skipping "${item}", a msgr1 (v1) address only (rados-ts speaks msgr2)`);
      v1Only.push(item);
      continue;
    }
    if (!targets.some((t) => t.host === v2.host && t.port === (v2.port ?? MSGR2_PORT))) {
      targets.push({ host: v2.host, port: v2.port ?? MSGR2_PORT, nonce: v2.nonce });
    }
  }
  if (targets.length === 0 && v1Only.length > 0) {
    throw new MonHostError(`mon host "${v1Only.join(',')}" names only msgr1 (v1) addresses; rados-ts speaks msgr2 (give the v2 address, port ${MSGR2_PORT})`);
  }
  if (targets.length === 0) throw new MonHostError('no monitors given (mon_host is empty)');
  return targets;
}
