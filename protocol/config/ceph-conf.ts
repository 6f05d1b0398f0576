// ceph.conf as Ceph reads it (src/common/ConfUtils.cc): INI sections, `key = value`, spaces and
// underscores equivalent in keys, `#`/`;` comments, values looked up in [name], [type], [global].

export type CephConf = Map<string, Map<string, string>>;

const normKey = (k: string): string =>
  k
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '_');

export function parseCephConf(text: string): CephConf {
  const conf: CephConf = new Map();
  let section = conf.get('global') ?? new Map<string, string>();
  conf.set('global', section);
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(^|\s)[#;].*$/, '').trim();
    if (!line) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      const name = sec[1]!.trim();
      section = conf.get(name) ?? new Map<string, string>();
      conf.set(name, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    section.set(normKey(line.slice(0, eq)), value);
  }
  return conf;
}

/** Looks a key up the way a daemon named `name` (e.g. client.admin) would. */
export function confGet(conf: CephConf, name: string, key: string): string | undefined {
  const k = normKey(key);
  const type = name.split('.')[0] ?? name;
  for (const s of [name, type, 'global']) {
    const v = conf.get(s)?.get(k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Expands $cluster, $name, $type, $id as Ceph does in paths. */
export function expandMetaVariables(value: string, name: string, cluster = 'ceph'): string {
  const [type = '', id = ''] = name.split(/\.(.*)/s);
  return value.replace(/\$(cluster|name|type|id)|\$\{(cluster|name|type|id)\}/g, (_m, a: string | undefined, b: string | undefined) => {
    const v = a ?? b;
    return v === 'cluster' ? cluster : v === 'name' ? name : v === 'type' ? type : id;
  });
}
