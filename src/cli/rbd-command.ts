// `rados-ts rbd …`: the image verbs of Ceph's `rbd` tool (src/tools/rbd/action/*.cc), with its
// output, its error lines ("rbd: error opening image x: (2) No such file or directory") and its
// exit codes. Connection arguments are Ceph's (config/ceph-args.ts).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { RadosError } from '../../protocol/errors.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import { parseCephArgs } from '../config/ceph-args.ts';
import type { Rados } from '../index.ts';
import { withCliRados } from './cli-connect.ts';
import type { IoCtx } from '../ioctx.ts';
import { Image } from '../rbd/image.ts';
import type { TrashImageInfo } from '../rbd/trash.ts';
import { RBD } from '../rbd/rbd.ts';
import { type CliIo, UsageError } from './cli-io.ts';
import { type Column, formatTextTable } from './text-table.ts';
import { diffVerb, type DiffVerbHelpers, exportDiffVerb, importDiffVerb } from './rbd-diff-verbs.ts';
import { IMAGE_VERBS, listLong, SNAP_VERBS, snapList } from './rbd-image-verbs.ts';
import { diskUsage } from './rbd-du.ts';

export const RBD_HELP = `usage: rados-ts rbd [-c CONF] [--id ID | -n NAME] [-k KEYRING] [-m MONHOST] [--mode crc|secure]
                    [-p POOL] [--format plain|json [--pretty-format]] [--no-progress] VERB ...
images are named [POOL/[NAMESPACE/]]IMAGE[@SNAP] (POOL: -p, else rbd)
verbs:
  ls [POOL] [-l]                   list images (-l: size, parent, format, protection, lock)
  create --size SIZE IMAGE         create an image (SIZE in MiB, or with a K/M/G/T suffix)
  info IMAGE[@SNAP]                show an image
  rm IMAGE                         remove an image
  resize --size SIZE [--allow-shrink] IMAGE
  mv IMAGE NEWNAME                 rename an image
  flatten IMAGE                    copy a clone's parent data into it
  snap create|rm|protect|unprotect IMAGE@SNAP
  snap ls IMAGE [-a]               (--format json; -a: every namespace, the trash's too)
  snap rename IMAGE@SNAP IMAGE@NEWSNAP
  snap rollback IMAGE@SNAP         the image as it was at the snapshot
  snap purge IMAGE                 remove every unprotected snapshot
  clone PARENT@SNAP [POOL/[NS/]]CHILD   (the child's pool: rbd unless named)
  children IMAGE[@SNAP] [-a] [--descendants]   clones (-a: trashed ones too)
  status IMAGE                     the image's watchers
  du [IMAGE[@SNAP]] [--from-snap SNAP] [--exact] [--merge-snapshots]   disk usage (--format json)
  export IMAGE[@SNAP] FILE|-       write the image's bytes
  import FILE|- IMAGE              create an image from bytes
  image-meta list|get|set|remove IMAGE [KEY [VALUE]]
  trash mv IMAGE [--expires-at DATE]   move an image to the trash
  trash ls [POOL[/NS]] [-a] [-l]   list trashed images (--format json)
  trash restore ID [--image NAME]  bring a trashed image back (ID: [POOL/[NS/]]IMAGE-ID)
  trash rm ID [--force]            remove a trashed image
  trash purge [POOL[/NS]] [--expired-before DATE] [--threshold X]
  namespace create|rm POOL/NS      (or -p POOL --namespace NS)
  namespace ls [POOL]              (--format json)
  lock add IMAGE COOKIE [--shared TAG]
  lock ls IMAGE                    (--format json)
  lock rm IMAGE COOKIE LOCKER      break a lock (LOCKER: client.N, from lock ls)
  diff [--from-snap S] [--whole-object] IMAGE[@SNAP]      extents changed since S or creation
  export-diff [--from-snap S] [--whole-object] IMAGE[@SNAP] FILE|-
  import-diff FILE|- IMAGE         apply an export-diff stream, then create its end snapshot
`;

const OPTIONS = {
  pool: { type: 'string', short: 'p' },
  namespace: { type: 'string' },
  format: { type: 'string' },
  'pretty-format': { type: 'boolean' },
  mode: { type: 'string' },
  size: { type: 'string', short: 's' },
  'allow-shrink': { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  all: { type: 'boolean', short: 'a' },
  long: { type: 'boolean', short: 'l' },
  force: { type: 'boolean' },
  image: { type: 'string' },
  'expires-at': { type: 'string' },
  'expired-before': { type: 'string' },
  threshold: { type: 'string' },
  shared: { type: 'string' },
  'from-snap': { type: 'string' },
  'whole-object': { type: 'boolean' },
  // rbd-image-verbs.ts
  descendants: { type: 'boolean' },
  exact: { type: 'boolean' },
  'merge-snapshots': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What rbd prints as "rbd: …" and exits with (its exit code is the errno, rbd's `return -r`). */
export class RbdError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

export function fail(what: string, e: unknown): never {
  if (e instanceof RadosError) throw new RbdError(`rbd: ${what}: ${cppStrerror(e.errno)}`, e.errno);
  throw e;
}

export interface Spec {
  pool: string;
  namespace: string;
  image: string;
  snap: string | undefined;
}

/** `[pool/[namespace/]]image[@snap]` (utils::extract_spec); the pool defaults to -p, then rbd. */
export function parseSpec(spec: string, defaultPool: string, defaultNs: string): Spec {
  const at = spec.indexOf('@');
  const path = at < 0 ? spec : spec.slice(0, at);
  const snap = at < 0 ? undefined : spec.slice(at + 1);
  const parts = path.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) throw new UsageError(`rbd: invalid spec '${spec}'`, RBD_HELP);
  const image = parts.at(-1)!;
  const pool = parts.length >= 2 ? parts[0]! : defaultPool;
  const namespace = parts.length === 3 ? parts[1]! : defaultNs;
  return { pool, namespace, image, snap };
}

/** A size as rbd takes it: MiB without a suffix, else B/K/M/G/T/P/E (powers of 1024). */
function parseSize(s: string): number {
  const m = /^(\d+)([BKMGTPE]?)$/i.exec(s);
  if (!m) throw new UsageError(`rbd: invalid size '${s}'`, RBD_HELP);
  const exp = 'BKMGTPE'.indexOf((m[2] || 'M').toUpperCase());
  const n = Number(m[1]) * 1024 ** exp;
  if (!Number.isSafeInteger(n)) throw new UsageError(`rbd: size '${s}' is too large`, RBD_HELP);
  return n;
}

/** byte_u_t's operator<< (src/include/types.h): "10 MiB", "1.5 GiB", "512 B". */
export function formatBytes(v: number): string {
  const units = [' B', ' KiB', ' MiB', ' GiB', ' TiB', ' PiB', ' EiB'];
  let n = v;
  let i = 0;
  while (n >= 1024 && i < 6) {
    n = Math.floor(n / 1024);
    i++;
  }
  if (i === 0 || v % 1024 ** i === 0) return `${n}${units[i]}`;
  let out = '';
  for (let p = 2; p >= 0; p--) {
    out = `${(v / 1024 ** i).toFixed(p)}${units[i]}`;
    if (out.length <= 7) break;
  }
  return out;
}

/** ctime(3) without its newline, local time, as rbd prints timestamps: "Wed Dec  2 00:20:00 2026". */
export function formatCtime(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

export interface Ctx {
  rados: Rados;
  args: string[];
  values: {
    pool?: string;
    namespace?: string;
    size?: string;
    'allow-shrink'?: boolean;
    all?: boolean;
    long?: boolean;
    force?: boolean;
    image?: string;
    'expires-at'?: string;
    'expired-before'?: string;
    threshold?: string;
    shared?: string;
    'from-snap'?: string;
    'whole-object'?: boolean;
    descendants?: boolean;
    exact?: boolean;
    'merge-snapshots'?: boolean;
  };
  format: 'plain' | 'json' | 'json-pretty';
  out: CliIo;
}

export function json(c: Ctx, v: unknown): string {
  // rbd flushes Ceph's JSONFormatter with a newline: compact for json, four-space indents for json-pretty.
  return `${c.format === 'json-pretty' ? JSON.stringify(v, null, 4) : JSON.stringify(v)}\n`;
}

export async function ioFor(c: Ctx, s: Spec): Promise<IoCtx> {
  const io = await c.rados.openIoCtx(s.pool).catch((e: unknown) => fail(`error opening pool '${s.pool}'`, e));
  if (s.namespace) io.setNamespace(s.namespace);
  return io;
}

export const specArg = (c: Ctx, i = 0): Spec => {
  const a = c.args[i];
  if (a === undefined) throw new RbdError('rbd: image name was not specified', 22);
  return parseSpec(a, c.values.pool ?? 'rbd', c.values.namespace ?? '');
};

export async function withImage<T>(c: Ctx, s: Spec, run: (img: Image) => Promise<T>, readOnly = false): Promise<T> {
  const io = await ioFor(c, s);
  const img = await RBD.open(io, s.image, { readOnly, ...(s.snap ? { snapshot: s.snap } : {}) }).catch((e: unknown) => fail(`error opening image ${s.image}`, e));
  try {
    return await run(img);
  } finally {
    await img.close();
  }
}

type Verb = (c: Ctx) => Promise<void>;

/** What the diff verbs (rbd-diff-verbs.ts) share with the rest. */
const diffHelpers: DiffVerbHelpers<Ctx, Spec> = { specArg, withImage, fail, error: (m, code) => new RbdError(m, code), json };

/**
 * `[pool[/namespace]]` as rbd's pool-spec positional (utils::get_pool_and_namespace_names): with
 * -p the positional is not read at all (rbd ignores it), else pool and namespace from it; then
 * --namespace, then the rbd pool.
 */
function poolSpecArg(c: Ctx, positional: string | undefined): Spec {
  const arg = c.values.pool === undefined ? positional : undefined;
  const parts = arg === undefined ? [] : arg.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new UsageError(`rbd: invalid spec '${arg ?? ''}'`, RBD_HELP);
  return { pool: parts[0] ?? c.values.pool ?? 'rbd', namespace: parts[1] ?? c.values.namespace ?? '', image: '', snap: undefined };
}

/** utime_t::invoke_date (src/include/utime.h): rbd hands --expires-at / --expired-before to `/bin/date -d STR '+%s %N'`. */
async function invokeDate(s: string): Promise<{ sec: number; nsec: number }> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('/bin/date', ['-d', s, '+%s %N'], (e, stdout) => (e ? reject(new RbdError('rbd: error calling /bin/date: (22) Invalid argument', 22)) : resolve(stdout)));
  });
  const [sec, nsec] = out.trim().split(' ');
  return { sec: Number(sec), nsec: Number(nsec) };
}

/** Trash.cc delete_status: "protected until …" before the deferment end, then "expired at …". */
const deleteStatus = (end: Date): string => `${Date.now() < end.getTime() ? 'protected until' : 'expired at'} ${formatCtime(end)}`;

const leftColumn = (heading: string): Column => ({ heading, headingAlign: 'left', align: 'left' });

async function trashList(c: Ctx, spec: Spec): Promise<void> {
  const io = await ioFor(c, spec);
  const entries: TrashImageInfo[] = [];
  try {
    for await (const e of RBD.trashList(io)) if (c.values.all || e.source === 'USER') entries.push(e);
  } catch (e) {
    fail('trash list', e);
  }
  if (!c.values.long) {
    c.out.out(
      c.format === 'plain'
        ? entries.map((e) => `${e.id} ${e.name}\n`).join('')
        : json(
            c,
            entries.map((e) => ({ id: e.id, name: e.name })),
          ),
    );
    return;
  }
  // Trash.cc do_list: each image opened read-only by id for its parent; one gone meanwhile is skipped.
  const rows: string[][] = [];
  const objs: unknown[] = [];
  for (const e of entries) {
    let img: Image;
    try {
      img = await Image.openById(io, e.name, e.id, { readOnly: true });
    } catch (err) {
      if (err instanceof RadosError && err.errno !== 2) c.out.err(`rbd: error opening ${e.id}: ${cppStrerror(err.errno)}\n`);
      if (err instanceof RadosError) continue;
      throw err;
    }
    const parent = await img
      .info()
      .then(
        (i) => i.parent,
        (err: unknown) => fail('trash list', err),
      )
      .finally(() => img.close());
    const status = deleteStatus(e.defermentEndTime);
    // Trash.cc names MIRRORING, MIGRATION, REMOVING and leaves USER_PARENT's column empty.
    const source = e.source === 'USER_PARENT' ? '' : e.source;
    const row = [e.id, e.name, source, formatCtime(e.deletionTime), status];
    if (parent) row.push(`${parent.pool}/${parent.pool_namespace ? `${parent.pool_namespace}/` : ''}${parent.image}@${parent.snapshot}`);
    rows.push(row);
    objs.push({
      id: e.id,
      name: e.name,
      source,
      deleted_at: formatCtime(e.deletionTime),
      status,
      ...(parent ? { parent: { pool: parent.pool, pool_namespace: parent.pool_namespace, image: parent.image, snapshot: parent.snapshot } } : {}),
    });
  }
  if (c.format !== 'plain') c.out.out(json(c, objs));
  else if (entries.length > 0) c.out.out(formatTextTable(['ID', 'NAME', 'SOURCE', 'DELETED_AT', 'STATUS', 'PARENT'].map(leftColumn), rows));
}

/** `[pool/[namespace/]]image-id` (utils::get_pool_image_id). */
function idArg(c: Ctx, a: string | undefined): Spec {
  if (a === undefined) throw new RbdError('rbd: image id was not specified', 22);
  return parseSpec(a, c.values.pool ?? 'rbd', c.values.namespace ?? '');
}

/** rbd trash rm's lines per errno (Trash.cc execute_remove). */
function trashRemoveError(e: unknown): never {
  if (!(e instanceof RadosError)) throw e;
  const lines: Record<number, string> = {
    39: "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before the image can be removed.",
    117: 'rbd: error: image not fully moved to trash.',
    16: 'rbd: error: image still has watchers\nThis means the image is still open or the client using it crashed. Try again after closing/unmapping it or waiting 30s for the crashed client to timeout.',
    31: '\nRemove the image from the group and try again.',
    1: '\nDeferment time has not expired, please use --force if you really want to remove the image',
  };
  throw new RbdError(lines[e.errno] ?? `rbd: remove error: ${cppStrerror(e.errno)}`, e.errno);
}

const TRASH: Record<string, (c: Ctx) => Promise<void>> = {
  async mv(c) {
    const s = specArg(c);
    const io = await ioFor(c, s);
    let delay = 0;
    const at = c.values['expires-at'];
    if (at !== undefined) {
      const ms = Date.now();
      const now = { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 };
      const exp = await invokeDate(at);
      // Trash.cc execute_move: (exp_time - now).sec() in utime_t's unsigned 32-bit seconds, so a
      // past date wraps to a huge delay rather than reaching rbd's "date in the past" check.
      delay = (exp.sec - now.sec - (exp.nsec < now.nsec ? 1 : 0)) >>> 0;
    }
    await RBD.trashMove(io, s.image, { delay }).catch((e: unknown) => fail('deferred delete error', e));
  },
  ls: (c) => trashList(c, poolSpecArg(c, c.args[0])),
  async rm(c) {
    const s = idArg(c, c.args[0]);
    const io = await ioFor(c, s);
    await RBD.trashRemove(io, s.image, { force: c.values.force === true }).catch(trashRemoveError);
  },
  async restore(c) {
    const s = idArg(c, c.args[0]);
    const io = await ioFor(c, s);
    await RBD.trashRestore(io, s.image, c.values.image ?? '').catch((e: unknown) => {
      if (e instanceof RadosError && e.errno === 2) throw new RbdError('rbd: error: image does not exist in trash', 2);
      if (e instanceof RadosError && e.errno === 17) throw new RbdError('rbd: error: an image with the same name already exists, try again with a different name', 17);
      fail('restore error', e);
    });
  },
  async purge(c) {
    const io = await ioFor(c, poolSpecArg(c, c.args[0]));
    // Trash.cc execute_purge: --threshold wins over --expired-before. Images purge could not take
    // (ENOTEMPTY, EBUSY, EMLINK, EUCLEAN) get rbd's two lines (as Pacific and Tentacle's rbd print
    // them); other errnos only the exit code.
    const threshold = c.values.threshold === undefined ? -1 : Number(c.values.threshold);
    if (Number.isNaN(threshold)) throw new UsageError(`rbd: the argument for option '--threshold' is invalid`, RBD_HELP);
    const before = threshold < 0 ? c.values['expired-before'] : undefined;
    const expireTs = before === undefined ? undefined : new Date((await invokeDate(before)).sec * 1000);
    await RBD.trashPurge(io, { threshold, ...(expireTs ? { expireTs } : {}) }).catch((e: unknown) => {
      if (e instanceof RadosError && [39, 16, 31, 117].includes(e.errno))
        throw new RbdError(
          'rbd: some expired images could not be removed\nEnsure that they are closed/unmapped, do not have snapshots (including trashed snapshots with linked clones), are not in a group and were moved to the trash successfully.',
          e.errno,
        );
      if (e instanceof RadosError) throw new RbdError('', e.errno);
      throw e;
    });
  },
};

const NAMESPACE: Record<string, (c: Ctx) => Promise<void>> = {
  async create(c) {
    const s = poolSpecArg(c, c.args[0]);
    if (!s.namespace) throw new RbdError('rbd: namespace name was not specified', 22);
    const io = await ioFor(c, { ...s, namespace: '' });
    await RBD.namespaceCreate(io, s.namespace).catch((e: unknown) => fail('failed to created namespace', e));
  },
  async rm(c) {
    const s = poolSpecArg(c, c.args[0]);
    if (!s.namespace) throw new RbdError('rbd: namespace name was not specified', 22);
    const io = await ioFor(c, { ...s, namespace: '' });
    await RBD.namespaceRemove(io, s.namespace).catch((e: unknown) => {
      if (e instanceof RadosError && e.errno === 16) throw new RbdError('rbd: namespace contains images which must be deleted first.', 16);
      if (e instanceof RadosError && e.errno === 2) throw new RbdError('rbd: namespace does not exist.', 2);
      fail('failed to remove namespace', e);
    });
  },
  async ls(c) {
    const s = poolSpecArg(c, c.args[0]);
    const io = await ioFor(c, { ...s, namespace: '' });
    const names = await RBD.namespaceList(io).catch((e: unknown) => {
      if (e instanceof RadosError && e.errno === 2) return [];
      return fail('failed to list namespaces', e);
    });
    if (c.format !== 'plain')
      c.out.out(
        json(
          c,
          names.map((name) => ({ name })),
        ),
      );
    else if (names.length > 0)
      c.out.out(
        formatTextTable(
          [leftColumn('NAME')],
          names.map((n) => [n]),
        ),
      );
  },
};

const LOCK: Record<string, (c: Ctx) => Promise<void>> = {
  async ls(c) {
    const s = specArg(c);
    const l = await withImage(c, { ...s, snap: undefined }, (img) => img.listLockers().catch((e: unknown) => fail('listing locks failed', e)), true);
    if (c.format !== 'plain') {
      c.out.out(
        json(
          c,
          l.lockers.map((k) => ({ id: k.cookie, locker: k.client, address: k.address })),
        ),
      );
      return;
    }
    if (l.lockers.length === 0) return;
    const one = l.lockers.length === 1;
    // Lock.cc do_lock_list: a sentence, the tag of a shared lock, then the table.
    c.out.out(
      `There ${one ? 'is' : 'are'} ${l.lockers.length} ${l.exclusive ? 'exclusive' : 'shared'} lock${one ? '' : 's'} on this image.\n` +
        (l.exclusive ? '' : `Lock tag: ${l.tag}\n`) +
        formatTextTable(
          ['Locker', 'ID', 'Address'].map(leftColumn),
          l.lockers.map((k) => [k.client, k.cookie, k.address]),
        ),
    );
  },
  async add(c) {
    const s = specArg(c);
    const cookie = c.args[1];
    if (!cookie) throw new RbdError('rbd: lock id was not specified', 22);
    const tag = c.values.shared ?? '';
    await withImage(c, { ...s, snap: undefined }, (img) =>
      (tag ? img.lockShared(cookie, tag) : img.lockExclusive(cookie)).catch((e: unknown) => {
        if (e instanceof RadosError && (e.errno === 16 || e.errno === 17))
          throw new RbdError(`rbd: lock is already held by someone else${tag ? ' with a different tag' : ''}`, e.errno);
        fail('taking lock failed', e);
      }),
    );
  },
  async rm(c) {
    const s = specArg(c);
    const cookie = c.args[1];
    if (!cookie) throw new RbdError('rbd: lock id was not specified', 22);
    const client = c.args[2];
    if (!client) throw new RbdError('rbd: locker was not specified', 22);
    await withImage(c, { ...s, snap: undefined }, (img) => img.breakLock(client, cookie).catch((e: unknown) => fail('releasing lock failed', e)));
  },
};

/** A verb with subcommands (`trash ls`), aliases as rbd takes them (Shell::Action names). */
function group(name: string, subs: Record<string, (c: Ctx) => Promise<void>>, aliases: Record<string, string>): Verb {
  return (c) => {
    const sub = c.args[0] ?? '';
    const f = subs[aliases[sub] ?? sub];
    if (!f) throw new UsageError(`rbd: unknown ${name} command '${sub}'`, RBD_HELP);
    return f({ ...c, args: c.args.slice(1) });
  };
}

const VERBS: Record<string, Verb> = {
  trash: group('trash', TRASH, { move: 'mv', list: 'ls', remove: 'rm' }),
  namespace: group('namespace', NAMESPACE, { list: 'ls', remove: 'rm' }),
  lock: group('lock', LOCK, { list: 'ls', remove: 'rm' }),
  ...IMAGE_VERBS,
  du: diskUsage,
  'disk-usage': diskUsage,
  async ls(c) {
    const io = await ioFor(c, poolSpecArg(c, c.args[0]));
    if (c.values.long) return listLong(c, io);
    const names = await RBD.list(io).catch((e: unknown) => fail('error listing images', e));
    c.out.out(c.format === 'plain' ? names.map((n) => `${n}\n`).join('') : json(c, names));
  },
  async create(c) {
    const s = specArg(c);
    if (c.values.size === undefined) throw new RbdError('rbd: must specify --size <M/G/T>', 22);
    const io = await ioFor(c, s);
    await RBD.create(io, s.image, parseSize(c.values.size)).catch((e: unknown) => fail('create error', e));
  },
  async info(c) {
    const s = specArg(c);
    const info = await withImage(c, s, (img) => img.info(), true);
    if (c.format !== 'plain') {
      const { create_timestamp, access_timestamp, modify_timestamp, ...rest } = info;
      c.out.out(
        json(c, { ...rest, create_timestamp: formatCtime(create_timestamp), access_timestamp: formatCtime(access_timestamp), modify_timestamp: formatCtime(modify_timestamp) }),
      );
      return;
    }
    const lines = [
      `rbd image '${info.name}':`,
      `\tsize ${formatBytes(info.size)} in ${info.objects} objects`,
      `\torder ${info.order} (${formatBytes(info.object_size)} objects)`,
      `\tsnapshot_count: ${info.snapshot_count}`,
      `\tid: ${info.id}`,
      `\tblock_name_prefix: ${info.block_name_prefix}`,
      `\tformat: ${info.format}`,
      `\tfeatures: ${info.features.join(', ')}`,
      `\top_features: ${info.op_features.join(', ')}`,
      `\tflags: ${info.flags.join(', ')}`,
      `\tcreate_timestamp: ${formatCtime(info.create_timestamp)}`,
      `\taccess_timestamp: ${formatCtime(info.access_timestamp)}`,
      `\tmodify_timestamp: ${formatCtime(info.modify_timestamp)}`,
    ];
    if (info.parent) {
      const p = info.parent;
      lines.push(
        `\tparent: ${p.pool}/${p.pool_namespace ? `${p.pool_namespace}/` : ''}${p.image}@${p.snapshot}${p.trash ? ` (trash ${p.id})` : ''}`,
        `\toverlap: ${formatBytes(p.overlap)}`,
      );
    }
    c.out.out(`${lines.join('\n')}\n`);
  },
  async rm(c) {
    const s = specArg(c);
    const io = await ioFor(c, s);
    await RBD.remove(io, s.image).catch((e: unknown) => fail('delete error', e));
  },
  async resize(c) {
    const s = specArg(c);
    if (c.values.size === undefined) throw new RbdError('rbd: must specify --size <M/G/T>', 22);
    const size = parseSize(c.values.size);
    await withImage(c, s, async (img) => {
      if (size < img.size && !c.values['allow-shrink']) throw new RbdError('rbd: shrinking an image is only allowed with the --allow-shrink flag', 22);
      await img.resize(size).catch((e: unknown) => fail('resize error', e));
    });
  },
  async mv(c) {
    const s = specArg(c);
    const d = specArg(c, 1);
    if (d.pool !== s.pool) throw new RbdError('rbd: mv/rename across pools not supported', 22);
    const io = await ioFor(c, s);
    await RBD.rename(io, s.image, d.image).catch((e: unknown) => fail('rename error', e));
  },
  async flatten(c) {
    const s = specArg(c);
    await withImage(c, s, (img) => img.flatten().catch((e: unknown) => fail('flatten error', e)));
  },
  async snap(c) {
    const sub = c.args[0];
    const sc: Ctx = { ...c, args: c.args.slice(1) };
    const s = specArg(sc);
    if (sub === 'ls' || sub === 'list') return snapList(sc, s);
    const more = sub === undefined ? undefined : SNAP_VERBS[sub === 'revert' ? 'rollback' : sub];
    if (more) return more(sc);
    if (s.snap === undefined) throw new RbdError('rbd: snapshot name was not specified', 22);
    const snap = s.snap;
    const run: Record<string, (img: Image) => Promise<void>> = {
      create: (img) => img.createSnap(snap).catch((e: unknown) => fail('failed to create snapshot', e)),
      rm: (img) =>
        img.removeSnap(snap).catch((e: unknown) => {
          if (e instanceof RadosError && e.errno === 16) throw new RbdError(`rbd: snapshot '${snap}' is protected from removal.`, 16);
          fail('failed to remove snapshot', e);
        }),
      protect: (img) => img.protectSnap(snap).catch((e: unknown) => fail('protecting snap failed', e)),
      unprotect: (img) => img.unprotectSnap(snap).catch((e: unknown) => fail('unprotecting snap failed', e)),
    };
    const f = sub === undefined ? undefined : run[sub];
    if (!f) throw new UsageError(`rbd: unknown snap command '${sub ?? ''}'`, RBD_HELP);
    await withImage(sc, { ...s, snap: undefined }, f);
  },
  async export(c) {
    const s = specArg(c);
    const dest = c.args[1];
    if (dest === undefined) throw new RbdError('rbd: destination file was not specified', 22);
    const bytes = await withImage(c, s, async (img) => img.read(0, img.size), true);
    if (dest === '-') c.out.out(bytes);
    else await writeFile(dest, bytes);
  },
  async import(c) {
    const src = c.args[0];
    if (src === undefined) throw new RbdError('rbd: path was not specified', 22);
    const s = specArg(c, 1);
    const data = src === '-' ? await c.out.readStdin() : new Uint8Array(await readFile(src));
    const io = await ioFor(c, s);
    await RBD.create(io, s.image, data.length).catch((e: unknown) => fail('image creation failed', e));
    await withImage(c, s, async (img) => {
      // Zero runs are left sparse, as rbd import skips them.
      const chunk = 4 << 20;
      for (let off = 0; off < data.length; off += chunk) {
        const part = data.subarray(off, Math.min(off + chunk, data.length));
        if (part.some((b) => b !== 0)) await img.write(part, off);
      }
    });
  },
  diff: (c) => diffVerb(c, diffHelpers),
  'export-diff': (c) => exportDiffVerb(c, diffHelpers),
  'import-diff': (c) => importDiffVerb(c, diffHelpers),
  async 'image-meta'(c) {
    const sub = c.args[0];
    const s = parseSpec(c.args[1] ?? '', c.values.pool ?? 'rbd', c.values.namespace ?? '');
    const [key, value] = [c.args[2], c.args[3]];
    await withImage(c, s, async (img) => {
      if (sub === 'list') {
        const all = await img.metadataList();
        if (c.format !== 'plain') c.out.out(json(c, Object.fromEntries(all)));
        else if (all.size === 0) c.out.out('');
        else {
          // ImageMeta.cc: a sentence, a blank line, then a TextTable of two left-aligned columns.
          const left = (heading: string): Column => ({ heading, headingAlign: 'left', align: 'left' });
          c.out.out(
            `There ${all.size === 1 ? 'is' : 'are'} ${all.size} ${all.size === 1 ? 'metadatum' : 'metadata'} on this image:\n\n${formatTextTable([left('Key'), left('Value')], [...all])}`,
          );
        }
      } else if (sub === 'get' && key !== undefined) c.out.out(`${await img.metadataGet(key).catch((e: unknown) => fail(`failed to get metadata ${key} of image`, e))}\n`);
      else if (sub === 'set' && key !== undefined && value !== undefined)
        await img.metadataSet(key, value).catch((e: unknown) => fail(`failed to set metadata ${key} of image`, e));
      else if (sub === 'remove' && key !== undefined) await img.metadataRemove(key).catch((e: unknown) => fail(`failed to remove metadata ${key} of image`, e));
      else throw new UsageError(`rbd: image-meta ${sub ?? ''}: wrong arguments`, RBD_HELP);
    });
  },
};

export async function rbdCommand(argv: string[], out: CliIo): Promise<number> {
  const { options: conn, rest } = parseCephArgs(argv);
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    out.out(RBD_HELP);
    return 0;
  }
  const [verbName, ...args] = positionals;
  if (verbName === undefined) throw new UsageError('rbd: no verb given', RBD_HELP);
  const verb = VERBS[verbName === 'rename' ? 'mv' : verbName === 'list' ? 'ls' : verbName];
  if (!verb) throw new UsageError(`rbd: unknown command '${verbName}'`, RBD_HELP);
  // rbd takes --format plain|json (xml: not here) and --pretty-format; it refuses json-pretty.
  const named = values.format ?? 'plain';
  if (named !== 'plain' && named !== 'json') {
    out.err(`rbd: the argument for option '--format' is invalid\n`);
    return 1;
  }
  const format = named === 'json' && values['pretty-format'] ? 'json-pretty' : named;
  return withCliRados(conn, values.mode, 'rbd', RBD_HELP, async (rados) => {
    try {
      await verb({ rados, args, values, format, out });
      return 0;
    } catch (e) {
      if (e instanceof RbdError) {
        if (e.message) out.err(`${e.message}\n`);
        return e.code;
      }
      throw e;
    }
  });
}
