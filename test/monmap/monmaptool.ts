import { execFileSync } from 'node:child_process';

/** What `monmaptool --print` says about a map, parsed (src/mon/MonMap.cc MonMap::print). */
export interface MonmaptoolPrint {
  epoch: number;
  fsid: string;
  lastChanged: string;
  created: string;
  minMonRelease: number;
  electionStrategy: number;
  mons: Array<{ rank: number; addrs: string; name: string }>;
}

export function monmaptool(args: string[], cwd?: string): string {
  return execFileSync('monmaptool', args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
}

export function parseMonmaptoolPrint(text: string): MonmaptoolPrint {
  const field = (re: RegExp): string => {
    const m = re.exec(text);
    if (!m) throw new Error(`monmaptool --print output lacks ${re}: ${text}`);
    return m[1]!;
  };
  const mons = [...text.matchAll(/^(\d+): (\S+) mon\.(\S+)$/gm)].map((m) => ({ rank: Number(m[1]), addrs: m[2]!, name: m[3]! }));
  return {
    epoch: Number(field(/^epoch (\d+)$/m)),
    fsid: field(/^fsid (\S+)$/m),
    lastChanged: field(/^last_changed (\S+)$/m),
    created: field(/^created (\S+)$/m),
    minMonRelease: Number(field(/^min_mon_release (\d+)/m)),
    electionStrategy: Number(field(/^election_strategy: (\d+)$/m)),
    mons,
  };
}

/** Shapes of monmap that `monmaptool --create` can write, one argument list each. */
export const MONMAP_CASES: Record<string, string[]> = {
  'v1-only': ['--add', 'a', '127.0.0.1:6789'],
  'v2-v1-pair': ['--addv', 'a', '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]'],
  'three-mons-mixed': ['--add', 'a', '10.0.0.1:6789', '--addv', 'b', '[v2:10.0.0.2:3300,v1:10.0.0.2:6789]', '--addv', 'c', '[v2:10.0.0.3:3300]'],
  ipv6: ['--addv', 'a', '[v2:[::1]:3300,v1:[::1]:6789]', '--addv', 'b', '[v2:[fe80::1:2]:3301]', '--add', 'c', '[2001:db8::7]:6790'],
  'five-mons': ['--add', 'e', '127.0.0.5:6789', '--add', 'd', '127.0.0.4:6789', '--add', 'c', '127.0.0.3:6789', '--add', 'b', '127.0.0.2:6789', '--add', 'a', '127.0.0.1:6789'],
  'with-nonce': ['--addv', 'x', '[v2:192.168.1.10:3300/1234,v1:192.168.1.10:6789/1234]'],
};
