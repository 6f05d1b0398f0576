// Turns Rados.connect options (and a ceph.conf, where the runtime can read files) into what the
// client needs: monitors, entity name, and the secret (from `key`, a keyring, or ceph.conf).
import { parseMonHost, type MonTarget } from '../mon/mon-addrs.ts';
import type { RadosConnectOptions } from '../rados-options.ts';
import { type CephConf, confGet, expandMetaVariables, parseCephConf } from '../../protocol/config/ceph-conf.ts';

export interface ResolvedConfig {
  mons: MonTarget[];
  name: string;
  /** base64 key string, or undefined for auth none. */
  key: string | undefined;
  /** Raw keyring text to look the key up in (when no key was given). */
  keyringText: string | undefined;
  conf: CephConf | undefined;
}

/** Reads a file as text; absent in runtimes without a filesystem (workerd). */
export type ReadTextFile = (path: string) => Promise<string>;

const DEFAULT_KEYRINGS = ['/etc/ceph/$cluster.$name.keyring', '/etc/ceph/$cluster.keyring', '/etc/ceph/keyring', '/etc/ceph/keyring.bin'];

export async function resolveConfig(opts: RadosConnectOptions, readFile: ReadTextFile | undefined): Promise<ResolvedConfig> {
  const name = opts.name ?? 'client.admin';
  let conf: CephConf | undefined;
  if (opts.conf !== undefined) {
    if (!readFile) throw new TypeError('`conf` (a file path) needs a runtime with a filesystem; pass monHost and key instead');
    conf = parseCephConf(await readFile(opts.conf));
  }
  const monHost = opts.monHost ?? (conf ? confGet(conf, name, 'mon host') : undefined);
  if (monHost === undefined) throw new TypeError('no monitors: pass `monHost` or a `conf` with `mon host`');
  const mons = parseMonHost(monHost, (m) => opts.logger?.debug(m));
  let key = opts.key ?? (conf ? confGet(conf, name, 'key') : undefined);
  let keyringText: string | undefined;
  if (!key) {
    if (opts.keyring !== undefined) {
      keyringText = opts.keyring.includes('[') && opts.keyring.includes('key') ? opts.keyring : await readRequired(readFile, opts.keyring);
    } else if (conf && readFile) {
      const paths = (confGet(conf, name, 'keyring') ?? DEFAULT_KEYRINGS.join(',')).split(/[,;\s]+/).filter(Boolean);
      for (const p of paths) {
        try {
          keyringText = await readFile(expandMetaVariables(p, name));
          break;
        } catch (e) {
          // Try the next one, as Ceph's KeyRing::from_ceph_context does.
          opts.logger?.debug(`config: keyring ${p} not read (${(e as Error).message}); trying the next`);
        }
      }
    }
  }
  const authRequired = conf ? (confGet(conf, name, 'auth client required') ?? 'cephx') : 'cephx';
  if (!key && !keyringText && authRequired.split(/[,\s]+/).includes('none')) key = undefined;
  return { mons, name, key, keyringText, conf };
}

async function readRequired(readFile: ReadTextFile | undefined, path: string): Promise<string> {
  if (!readFile) throw new TypeError('`keyring` as a path needs a runtime with a filesystem; pass the keyring text or `key`');
  return readFile(path);
}
