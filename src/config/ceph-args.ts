// The connection arguments every Ceph command line and librados take (`CEPH_ARGS`, `rados -c … --id …`):
// parsed once here for `Rados.connect()` and the `rados-ts` CLI. Ceph spells options with '-' or
// '_' alike (`--mon_host`, `--mon-host`; common/ceph_argparse.cc), and takes `--opt=value` or
// `--opt value`.
import { parseArgs } from 'node:util';
import type { RadosConnectOptions } from '../rados-options.ts';

// Pure, so the workerd build's conf_parse_env can split CEPH_ARGS too; re-exported for the CLI.
export { splitCephArgs } from '../../protocol/config/rados-config.ts';

/** What the connection arguments set; each absent when not given. */
export type CephArgOptions = Pick<RadosConnectOptions, 'conf' | 'name' | 'keyring' | 'key' | 'monHost'>;

const OPTIONS = {
  conf: { type: 'string', short: 'c' },
  id: { type: 'string' },
  user: { type: 'string' },
  name: { type: 'string', short: 'n' },
  keyring: { type: 'string', short: 'k' },
  key: { type: 'string' },
  'mon-host': { type: 'string', short: 'm' },
} as const;

const LONG_NAMES = new Set(Object.keys(OPTIONS));

/** `--mon_host` → `--mon-host`, for the options we know (a value is never touched). */
function normalized(args: readonly string[]): string[] {
  return args.map((a) => {
    if (!a.startsWith('--')) return a;
    const eq = a.indexOf('=');
    const name = (eq < 0 ? a.slice(2) : a.slice(2, eq)).replaceAll('_', '-');
    return LONG_NAMES.has(name) ? `--${name}${eq < 0 ? '' : a.slice(eq)}` : a;
  });
}

/**
 * Takes the connection arguments out of `args`: the options they set, and every other argument
 * in its order (`rest`: the command's own). `--id X` and `--user X` mean `-n client.X`.
 */
export function parseCephArgs(args: readonly string[]): { options: CephArgOptions; rest: string[] } {
  const { tokens } = parseArgs({ args: normalized(args), options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const options: CephArgOptions = {};
  const taken = new Set<number>();
  for (const t of tokens) {
    if (t.kind !== 'option' || !(t.name in OPTIONS)) continue;
    if (t.value === undefined) throw new TypeError(`option ${t.rawName} needs a value`);
    taken.add(t.index);
    if (!t.inlineValue) taken.add(t.index + 1);
    switch (t.name as keyof typeof OPTIONS) {
      case 'conf':
        options.conf = t.value;
        break;
      case 'id':
      case 'user':
        options.name = `client.${t.value}`;
        break;
      case 'name':
        options.name = t.value;
        break;
      case 'keyring':
        options.keyring = t.value;
        break;
      case 'key':
        options.key = t.value;
        break;
      case 'mon-host':
        options.monHost = t.value;
        break;
    }
  }
  return { options, rest: args.filter((_, i) => !taken.has(i)) };
}

/**
 * Where librados looks for a ceph.conf when given none and `CEPH_CONF` is unset
 * (CEPH_CONF_FILE_DEFAULT, src/common/config.cc), in order; the first that exists is read.
 */
export function defaultConfPaths(home: string | undefined, cluster = 'ceph'): string[] {
  return [`/etc/ceph/${cluster}.conf`, ...(home ? [`${home}/.ceph/${cluster}.conf`] : []), `${cluster}.conf`];
}
