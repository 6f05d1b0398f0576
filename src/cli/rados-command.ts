// `rados-ts rados …`: the object verbs of Ceph's `rados` tool (src/tools/rados/rados.cc), with
// its output lines, its error lines ("error removing pool>obj: (2) No such file or directory")
// and its exit codes. Connection arguments are Ceph's (config/ceph-args.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';
import { RadosError } from '../../protocol/errors.ts';
import { utf8Encode } from '../../protocol/encoding/utf8.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import { parseCephArgs } from '../config/ceph-args.ts';
import { withCliRados } from './cli-connect.ts';
import type { IoCtx } from '../ioctx.ts';
import { type CliIo, UsageError } from './cli-io.ts';
import { LOCK_VERB } from './rados-lock.ts';
import { fail, formatJson, ioOf, type Verb, type VerbContext, VerbError } from './rados-verb.ts';
import { cephHexdump } from './hexdump.ts';
import { formatLocalUtime } from './utime-local.ts';

export const RADOS_HELP = `usage: rados-ts rados [-c CONF] [--id ID | -n NAME] [-k KEYRING] [-m MONHOST] [--mode crc|secure]
                      [-p POOL] [-N NS | --all] [--format plain|json|json-pretty] VERB ...
verbs:
  lspools                          list pools
  ls                               list the objects of the pool (-N NS, --all: every namespace)
  put OBJ FILE|- [--offset N]      write an object from a file or stdin
  get OBJ FILE|-                   read an object into a file or stdout
  append OBJ FILE|-                append to an object
  truncate OBJ SIZE                set an object's size
  create OBJ                       create an object
  rm OBJ...                        remove objects
  stat OBJ                         size and mtime
  listxattr OBJ | getxattr OBJ NAME | setxattr OBJ NAME VALUE | rmxattr OBJ NAME
  listomapkeys OBJ | listomapvals OBJ | getomapval OBJ KEY [FILE] | setomapval OBJ KEY [VALUE]
  rmomapkey OBJ KEY | clearomap OBJ... | getomapheader OBJ [FILE] | setomapheader OBJ VALUE
  mksnap NAME | rmsnap NAME | lssnap  pool snapshots
  rollback OBJ SNAP                roll an object back to a pool snapshot
  listwatchers OBJ                 the object's watchers
  lock list OBJ | lock info OBJ NAME | lock get OBJ NAME | lock break OBJ NAME LOCKER
                                   advisory locks (--lock-cookie, --lock-tag, --lock-type
                                   exclusive|shared, --lock-duration SECONDS, --lock-description)
`;

const OPTIONS = {
  'lock-cookie': { type: 'string' },
  'lock-tag': { type: 'string' },
  'lock-description': { type: 'string' },
  'lock-type': { type: 'string' },
  'lock-duration': { type: 'string' },
  pool: { type: 'string', short: 'p' },
  namespace: { type: 'string', short: 'N' },
  all: { type: 'boolean' },
  format: { type: 'string' },
  mode: { type: 'string' },
  offset: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The chunk `rados get` reads with (its default op size). */
const OP_SIZE = 4 << 20;

async function input(c: VerbContext, path: string): Promise<Uint8Array> {
  return path === '-' ? c.out.readStdin() : new Uint8Array(await readFile(path));
}

async function readWhole(io: IoCtx, oid: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await io.read(oid, OP_SIZE, total);
    parts.push(chunk);
    total += chunk.length;
    if (chunk.length < OP_SIZE) return concatBytes(parts);
  }
}

/** Pages through an object's omap keys (512 a request, as rados asks) until the OSD has no more. */
async function omapPages(fetch: (startAfter: string) => Promise<{ keys: string[]; more: boolean }>, each: (key: string) => void): Promise<void> {
  let startAfter = '';
  for (;;) {
    const { keys, more } = await fetch(startAfter);
    keys.forEach(each);
    const last = keys.at(-1);
    if (!more || last === undefined) return;
    startAfter = last;
  }
}

/** lssnap's stamp: strftime "%Y.%m.%d %T" in local time. */
function formatSnapStamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}.${p(d.getMonth() + 1)}.${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "value (N bytes) :", the hexdump and an empty line, as listomapvals and getomapval print a value. */
const dumpOf = (what: string, v: Uint8Array): string => `${what} (${v.length} bytes) :\n${cephHexdump(v)}\n`;

/** listomapvals's key: as it is when every byte is printable ASCII, else dumped like a value. */
function keyLine(key: string): string {
  const bytes = utf8Encode(key);
  return bytes.every((b) => b >= 0x20 && b <= 0x7e) ? `${key}\n` : `key (${bytes.length} bytes):\n${cephHexdump(bytes)}\n`;
}

/** getomapval/getomapheader: into FILE (saying so on stderr) or dumped on stdout. */
async function dumpOrWrite(c: VerbContext, what: string, v: Uint8Array, file: string | undefined): Promise<void> {
  if (file === undefined) {
    c.out.out(dumpOf(what, v));
    return;
  }
  c.out.err(`Writing to ${file}\n`);
  await writeFile(file, v);
}

const VERBS: Record<string, Verb> = {
  lspools: {
    pool: false,
    args: [0, 0],
    async run(c) {
      for (const p of await c.rados.listPools()) c.out.out(`${p}\n`);
    },
  },
  ls: {
    pool: true,
    args: [0, 1],
    async run(c) {
      const entries: Array<{ namespace: string; name: string; locator: string }> = [];
      try {
        for await (const o of ioOf(c).listObjects({ allNamespaces: c.all })) entries.push({ namespace: o.namespace, name: o.name, locator: o.locator });
      } catch (e) {
        fail('error listing objects', e);
      }
      // rados ls prints the namespace only for --all, and a locator after a tab when there is one.
      const text =
        c.format === 'plain'
          ? entries.map((e) => `${c.all ? `${e.namespace}\t` : ''}${e.name}${e.locator ? `\t${e.locator}` : ''}\n`).join('')
          : formatJson(
              c,
              entries.map((e) => (e.locator ? e : { namespace: e.namespace, name: e.name })),
            );
      if (c.args[0] && c.args[0] !== '-') await writeFile(c.args[0], text);
      else c.out.out(text);
    },
  },
  put: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, file] = c.args as [string, string];
      const data = await input(c, file);
      const io = ioOf(c);
      await (c.offset === undefined ? io.writeFull(oid, data) : io.write(oid, data, c.offset)).catch((e: unknown) => fail(`error putting ${c.pool}/${oid}`, e));
    },
  },
  get: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, file] = c.args as [string, string];
      const data = await readWhole(ioOf(c), oid).catch((e: unknown) => fail(`error getting ${c.pool}/${oid}`, e));
      if (file === '-') c.out.out(data);
      else await writeFile(file, data);
    },
  },
  append: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, file] = c.args as [string, string];
      const data = await input(c, file);
      await ioOf(c)
        .append(oid, data)
        .catch((e: unknown) => fail(`error appending ${c.pool}/${oid}`, e));
    },
  },
  truncate: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, size] = c.args as [string, string];
      const n = Number(size);
      if (!/^\d+$/.test(size) || !Number.isSafeInteger(n)) throw new VerbError(`error, cannot truncate to negative value`);
      await ioOf(c)
        .truncate(oid, n)
        .catch((e: unknown) => fail(`error truncating oid ${oid} to ${n}`, e));
    },
  },
  create: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const oid = c.args[0]!;
      await ioOf(c)
        .create(oid, { exclusive: true })
        .catch((e: unknown) => fail(`error creating ${c.pool}/${oid}`, e));
    },
  },
  rm: {
    pool: true,
    args: [1, Infinity],
    async run(c) {
      for (const oid of c.args) {
        await ioOf(c)
          .remove(oid)
          .catch((e: unknown) => fail(`error removing ${c.pool}>${oid}`, e));
      }
    },
  },
  stat: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const oid = c.args[0]!;
      const st = await ioOf(c)
        .stat(oid)
        .catch((e: unknown) => fail(` error stat-ing ${c.pool}/${oid}`, e));
      // rados stat prints whole seconds (rados_stat's time_t), as a utime_t.
      c.out.out(`${c.pool}/${oid} mtime ${formatLocalUtime(Math.floor(st.mtime.getTime() / 1000), 0)}, size ${st.size}\n`);
    },
  },
  listxattr: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const oid = c.args[0]!;
      const attrs = await ioOf(c)
        .getXattrs(oid)
        .catch((e: unknown) => fail(`error getting xattr set ${c.pool}/${oid}`, e));
      for (const name of attrs.keys()) c.out.out(`${name}\n`);
    },
  },
  getxattr: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, name] = c.args as [string, string];
      c.out.out(
        await ioOf(c)
          .getXattr(oid, name)
          .catch((e: unknown) => fail(`error getting xattr ${c.pool}/${oid}/${name}`, e)),
      );
    },
  },
  setxattr: {
    pool: true,
    args: [3, 3],
    async run(c) {
      const [oid, name, value] = c.args as [string, string, string];
      await ioOf(c)
        .setXattr(oid, name, value)
        .catch((e: unknown) => fail(`error setting xattr ${c.pool}/${oid}/${name}`, e));
    },
  },
  rmxattr: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, name] = c.args as [string, string];
      await ioOf(c)
        .rmXattr(oid, name)
        .catch((e: unknown) => fail(`error removing xattr ${c.pool}/${oid}/${name}`, e));
    },
  },
  listomapkeys: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const oid = c.args[0]!;
      await omapPages(
        (startAfter) =>
          ioOf(c)
            .getOmapKeys(oid, { startAfter, max: 512 })
            .catch((e: unknown) => fail(`error getting omap key set ${c.pool}/${oid}`, e)),
        (k) => c.out.out(`${k}\n`),
      );
    },
  },
  listomapvals: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const oid = c.args[0]!;
      let page = new Map<string, Uint8Array>();
      await omapPages(
        async (startAfter) => {
          const { entries, more } = await ioOf(c)
            .getOmapVals(oid, { startAfter, max: 512 })
            .catch((e: unknown) => fail(`error getting omap keys ${c.pool}/${oid}`, e));
          page = entries;
          return { keys: [...entries.keys()], more };
        },
        (k) => c.out.out(`${keyLine(k)}${dumpOf('value', page.get(k)!)}`),
      );
    },
  },
  getomapval: {
    pool: true,
    args: [2, 3],
    async run(c) {
      const [oid, key, file] = c.args as [string, string, string | undefined];
      const vals = await ioOf(c)
        .getOmapValsByKeys(oid, [key])
        .catch((e: unknown) => fail(`error getting omap value ${c.pool}/${oid}/${key}`, e));
      const v = vals.get(key);
      if (v === undefined) throw new VerbError(`No such key: ${c.pool}/${oid}/${key}`, 'out');
      await dumpOrWrite(c, 'value', v, file);
    },
  },
  getomapheader: {
    pool: true,
    args: [1, 2],
    async run(c) {
      const [oid, file] = c.args as [string, string | undefined];
      const h = await ioOf(c)
        .getOmapHeader(oid)
        .catch((e: unknown) => fail(`error getting omap header ${c.pool}/${oid}`, e));
      await dumpOrWrite(c, 'header', h, file);
    },
  },
  setomapheader: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, value] = c.args as [string, string];
      await ioOf(c)
        .setOmapHeader(oid, utf8Encode(value))
        // rados.cc says "value" here too.
        .catch((e: unknown) => fail(`error setting omap value ${c.pool}/${oid}`, e));
    },
  },
  setomapval: {
    pool: true,
    args: [2, 3],
    async run(c) {
      const [oid, key, text] = c.args as [string, string, string | undefined];
      // Without VALUE, rados reads it from stdin.
      const value = text === undefined ? await c.out.readStdin() : text;
      await ioOf(c)
        .setOmap(oid, { [key]: value })
        .catch((e: unknown) => fail(`error setting omap value ${c.pool}/${oid}/${key}`, e));
    },
  },
  rmomapkey: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, key] = c.args as [string, string];
      await ioOf(c)
        .removeOmapKeys(oid, [key])
        .catch((e: unknown) => fail(`error removing omap key ${c.pool}/${oid}/${key}`, e));
    },
  },
  clearomap: {
    pool: true,
    args: [1, Infinity],
    async run(c) {
      for (const oid of c.args) {
        await ioOf(c)
          .clearOmap(oid)
          .catch((e: unknown) => fail(`error clearing omap keys ${c.pool}/${oid}`, e));
      }
    },
  },
  mksnap: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const name = c.args[0]!;
      await ioOf(c)
        .createSnap(name)
        .catch((e: unknown) => fail(`error creating pool ${c.pool} snapshot ${name}`, e));
      c.out.out(`created pool ${c.pool} snap ${name}\n`);
    },
  },
  lssnap: {
    pool: true,
    args: [0, 0],
    // rados lssnap prints this form whatever --format says (Pacific to Tentacle).
    run(c) {
      const snaps = ioOf(c).listSnaps();
      for (const s of snaps) c.out.out(`${s.id}\t${s.name}\t${formatSnapStamp(s.stamp)}\n`);
      c.out.out(`${snaps.length} snaps\n`);
      return Promise.resolve();
    },
  },
  rollback: {
    pool: true,
    args: [2, 2],
    async run(c) {
      const [oid, snap] = c.args as [string, string];
      // rados.cc prints the object where it means the snapshot, and no separator: kept as it is.
      await ioOf(c)
        .rollback(oid, snap)
        .catch((e: unknown) => {
          if (e instanceof RadosError) throw new VerbError(`error rolling back pool ${c.pool} to snapshot ${oid}${cppStrerror(e.errno)}`);
          throw e;
        });
      c.out.out(`rolled back pool ${c.pool} to snapshot ${snap}\n`);
    },
  },
  listwatchers: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const oid = c.args[0]!;
      const ws = await ioOf(c)
        .listWatchers(oid)
        .catch((e: unknown) => fail(`error listing watchers ${c.pool}/${oid}`, e));
      for (const w of ws) c.out.out(`watcher=${w.addr} ${w.client} cookie=${w.cookie}\n`);
    },
  },
  lock: LOCK_VERB,
  rmsnap: {
    pool: true,
    args: [1, 1],
    async run(c) {
      const name = c.args[0]!;
      await ioOf(c)
        .removeSnap(name)
        .catch((e: unknown) => fail(`error removing pool ${c.pool} snapshot ${name}`, e));
      c.out.out(`removed pool ${c.pool} snap ${name}\n`);
    },
  },
};

export async function radosCommand(argv: string[], out: CliIo): Promise<number> {
  const { options: conn, rest } = parseCephArgs(argv);
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    out.out(RADOS_HELP);
    return 0;
  }
  const [verbName, ...args] = positionals;
  if (verbName === undefined) throw new UsageError('rados: no verb given', RADOS_HELP);
  const verb = VERBS[verbName];
  if (!verb) throw new UsageError(`rados: unrecognized command ${verbName}`, RADOS_HELP);
  const format = values.format ?? 'plain';
  if (format !== 'plain' && format !== 'json' && format !== 'json-pretty') throw new UsageError(`rados: unknown format '${format}' (plain, json, json-pretty)`, RADOS_HELP);
  if (args.length < verb.args[0] || args.length > verb.args[1]) throw new UsageError(`rados: ${verbName}: wrong number of arguments`, RADOS_HELP);
  let offset: number | undefined;
  if (values.offset !== undefined) {
    offset = Number(values.offset);
    if (!/^\d+$/.test(values.offset) || !Number.isSafeInteger(offset)) throw new UsageError(`rados: --offset must be a byte count, not '${values.offset}'`, RADOS_HELP);
  }
  const pool = values.pool;
  if (verb.pool && pool === undefined) {
    // rados.cc: ls can also list one PG (--pgid), hence its own wording.
    out.err(verbName === 'ls' ? 'either pool name or pg id needs to be specified\n' : 'pool name was not specified\n');
    return 1;
  }
  return withCliRados(conn, values.mode, 'rados', RADOS_HELP, async (rados) => {
    try {
      let io: IoCtx | undefined;
      if (verb.pool) {
        try {
          io = await rados.openIoCtx(pool!);
        } catch (e) {
          fail(`error opening pool ${pool}`, e);
        }
        if (values.namespace !== undefined) io.setNamespace(values.namespace);
      }
      const lock = {
        cookie: values['lock-cookie'] ?? '',
        tag: values['lock-tag'] ?? '',
        description: values['lock-description'] ?? '',
        type: values['lock-type'],
        duration: values['lock-duration'],
      };
      await verb.run({ rados, io, pool: pool ?? '', args, format, formatGiven: values.format !== undefined, offset, all: values.all ?? false, lock, out });
      return 0;
    } catch (e) {
      if (e instanceof VerbError) {
        out[e.stream](`${e.message}\n`);
        return e.status;
      }
      throw e;
    }
  });
}
