// A client's configuration as librados' conf_get / conf_set / conf_read_file / conf_parse_argv
// see it (src/common/config.cc md_config_t, src/common/options/*.yaml.in for the options):
// option names with '-', ' ' or '_' alike; each known option typed, checked when set (EINVAL)
// and printed back as Ceph prints it (floats with six decimals, bools as true/false, log levels
// as "a/b"); unknown names ENOENT; options fixed once connected EPERM. The table holds the
// options a client uses, with the defaults of Pacific through Tentacle (the same in all three).
// Values a ceph.conf or argv gives for options outside the table are kept as text.
import { Errno, RadosError } from '../errors.ts';
import { type CephConf, expandMetaVariables, parseCephConf } from './ceph-conf.ts';

type OptionType = 'str' | 'int' | 'uint' | 'float' | 'bool' | 'secs' | 'uuid' | 'loglevel';

interface OptionDef {
  type: OptionType;
  default: string;
  /** Not changeable once connected (conf_set: EPERM), as Ceph's startup-only options. */
  startup?: true;
}

const OPTIONS: Record<string, OptionDef> = {
  mon_host: { type: 'str', default: '', startup: true },
  key: { type: 'str', default: '', startup: true },
  keyfile: { type: 'str', default: '', startup: true },
  keyring: { type: 'str', default: '/etc/ceph/$cluster.$name.keyring,/etc/ceph/$cluster.keyring,/etc/ceph/keyring,/etc/ceph/keyring.bin' },
  fsid: { type: 'uuid', default: '00000000-0000-0000-0000-000000000000' },
  auth_client_required: { type: 'str', default: 'cephx, none' },
  ms_client_mode: { type: 'str', default: 'crc secure' },
  ms_mon_client_mode: { type: 'str', default: 'secure crc' },
  ms_type: { type: 'str', default: 'async+posix' },
  ms_bind_msgr2: { type: 'bool', default: 'true' },
  rados_osd_op_timeout: { type: 'secs', default: '0' },
  rados_mon_op_timeout: { type: 'secs', default: '0' },
  rados_tracing: { type: 'bool', default: 'false' },
  client_mount_timeout: { type: 'secs', default: '300' },
  mon_client_hunt_interval: { type: 'float', default: '3.000000' },
  mon_client_ping_interval: { type: 'float', default: '10.000000' },
  mon_client_hunt_parallel: { type: 'uint', default: '3' },
  objecter_inflight_ops: { type: 'uint', default: '1024' },
  objecter_inflight_op_bytes: { type: 'uint', default: '104857600' },
  objecter_tick_interval: { type: 'float', default: '5.000000' },
  osd_pool_default_size: { type: 'uint', default: '3' },
  log_file: { type: 'str', default: '' },
  log_to_stderr: { type: 'bool', default: 'false' },
  err_to_stderr: { type: 'bool', default: 'false' },
  run_dir: { type: 'str', default: '/var/run/ceph', startup: true },
  admin_socket: { type: 'str', default: '', startup: true },
  debug_rados: { type: 'loglevel', default: '0/5' },
  debug_ms: { type: 'loglevel', default: '0/0' },
  debug_objecter: { type: 'loglevel', default: '0/1' },
  debug_monc: { type: 'loglevel', default: '0/10' },
};

/** Ceph's spelling of an option name: '-' and ' ' are '_' (ConfFile::normalize_key_name). */
export function normalizeOptionName(name: string): string {
  return name.trim().replace(/[-\s]+/g, '_');
}

/** `value` as Ceph stores and prints it for an option of type `t`; undefined when it does not parse (EINVAL). */
function normalizeValue(t: OptionType, value: string): string | undefined {
  const v = value.trim();
  switch (t) {
    case 'str':
      return value;
    case 'int':
      return /^-?\d+$/.test(v) ? String(BigInt(v)) : undefined;
    case 'uint':
    case 'secs':
      return /^\d+$/.test(v) ? String(BigInt(v)) : undefined;
    case 'float': {
      const n = Number(v);
      return v !== '' && Number.isFinite(n) ? n.toFixed(6) : undefined;
    }
    case 'bool': {
      const b = v.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(b)) return 'true';
      if (['false', 'no', 'off', '0'].includes(b)) return 'false';
      return undefined;
    }
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v.toLowerCase() : undefined;
    case 'loglevel': {
      const m = /^(\d+)(?:\/(\d+))?$/.exec(v);
      return m ? `${Number(m[1])}/${Number(m[2] ?? m[1])}` : undefined;
    }
  }
}

/** A client's option values (what `Rados.confGet` and its siblings read and change). */
export class RadosConfig {
  readonly #name: string;
  readonly #values = new Map<string, string>();

  /** `name`: the entity whose ceph.conf sections apply (client.admin: [client.admin], [client], [global]). */
  constructor(name = 'client.admin') {
    this.#name = name;
  }

  /** conf_get: the option's value; ENOENT for a name that is neither a known option nor given a value. */
  get(option: string): string {
    const name = normalizeOptionName(option);
    const v = this.#values.get(name) ?? OPTIONS[name]?.default;
    if (v === undefined) throw new RadosError(`no configuration option '${option}'`, Errno.ENOENT);
    // As md_config_t::get_val expands $cluster, $name, $type and $id in text values.
    return (OPTIONS[name]?.type ?? 'str') === 'str' ? expandMetaVariables(v, this.#name) : v;
  }

  /**
   * conf_set: ENOENT for an option this client does not know, EINVAL for a value its type
   * refuses, EPERM for a startup option once `running` (connected).
   */
  set(option: string, value: string, running: boolean): void {
    const name = normalizeOptionName(option);
    const def = OPTIONS[name];
    if (!def) throw new RadosError(`no configuration option '${option}'`, Errno.ENOENT);
    if (running && def.startup) throw new RadosError(`configuration option '${option}' cannot be changed once connected`, Errno.EPERM);
    const v = normalizeValue(def.type, value);
    if (v === undefined) throw new RadosError(`configuration option '${option}': invalid value '${value}'`, Errno.EINVAL);
    this.#values.set(name, v);
  }

  /** Takes a ceph.conf's values for our entity ([global], then [type], then [name], the later winning); a value a known option refuses is skipped, as Ceph does. */
  readConf(conf: CephConf | string): void {
    const c = typeof conf === 'string' ? parseCephConf(conf) : conf;
    const type = this.#name.split('.')[0] ?? this.#name;
    for (const section of ['global', type, this.#name]) {
      for (const [k, value] of c.get(section) ?? []) {
        const name = normalizeOptionName(k);
        const def = OPTIONS[name];
        const v = def ? normalizeValue(def.type, value) : value;
        if (v !== undefined) this.#values.set(name, v);
      }
    }
  }

  /**
   * conf_parse_argv: takes `--option value` and `--option=value` for the options this client
   * knows, and `-m` (mon_host), `-k` (keyring), `-K` (keyfile); returns the other arguments in
   * their order. A known option with a value its type refuses is EINVAL.
   */
  parseArgv(args: readonly string[], running: boolean): string[] {
    const rest: string[] = [];
    const short: Record<string, string> = { '-m': 'mon_host', '-k': 'keyring', '-K': 'keyfile' };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      let name: string | undefined;
      let value: string | undefined;
      if (a in short) name = short[a];
      else if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        const n = normalizeOptionName(eq < 0 ? a.slice(2) : a.slice(2, eq));
        if (OPTIONS[n]) {
          name = n;
          if (eq >= 0) value = a.slice(eq + 1);
        }
      }
      if (name === undefined) {
        rest.push(a);
        continue;
      }
      if (value === undefined) {
        if (i + 1 >= args.length) throw new RadosError(`option ${a} needs a value`, Errno.EINVAL);
        value = args[++i]!;
      }
      this.set(name, value, running);
    }
    return rest;
  }
}

/** `CEPH_ARGS` as the shell would split it: on whitespace, quotes kept together. */
export function splitCephArgs(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}
