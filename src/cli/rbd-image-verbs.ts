// More `rados-ts rbd` verbs, as Ceph's rbd prints them: `snap rename|rollback|purge`, `snap ls
// --all` (Snap.cc), `ls -l` (List.cc), `children` (Children.cc), `clone` (Clone.cc) and `status`
// (Status.cc). What they share with the other verbs (specs, errors, JSON) is rbd-command.ts's.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { RadosError } from '../../protocol/errors.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import type { IoCtx } from '../ioctx.ts';
import type { ChildInfo } from '../rbd/clone.ts';
import type { Image } from '../rbd/image.ts';
import { RBD } from '../rbd/rbd.ts';
import { type Ctx, fail, formatBytes, formatCtime, ioFor, json, parseSpec, RbdError, type Spec, specArg, withImage } from './rbd-command.ts';
import { type Column, formatTextTable } from './text-table.ts';

/** ceph_release_t tentacle: its rbd names a trashed snapshot's original namespace (snap_get_trash_namespace2). */
const TENTACLE = 20;

/** Ceph's JSONFormatter prints 64-bit integers whole: bigints go out as number literals. */
function bigJson(c: Ctx, v: unknown): string {
  return json(c, v).replace(/"~big~(\d+)"/g, '$1');
}
const big = (n: bigint): unknown => `~big~${n}`;

const column = (heading: string, align: 'left' | 'right'): Column => ({ heading, headingAlign: 'left', align });

/** utils::get_pool_image_snapshot_names' checks of the snapshot part. */
function requireSnap(s: Spec, dest = false): string {
  if (s.snap === undefined || s.snap === '') throw new RbdError(`rbd: ${dest ? 'destination ' : ''}snapshot name was not specified`, 22);
  return s.snap;
}
function noSnap(s: Spec, dest = false): void {
  if (s.snap !== undefined) throw new RbdError(`rbd: ${dest ? 'destination ' : ''}snapshot name specified for a command that doesn't use it`, 22);
}

/** Snap.cc do_list_snaps with `--all`: every namespace, and a NAMESPACE column. */
export async function snapList(c: Ctx, s: Spec): Promise<void> {
  const all = c.values.all === true;
  const tentacle = c.rados.osdMap.requireOsdRelease >= TENTACLE;
  const rows = await withImage(
    c,
    s,
    (img) =>
      Promise.resolve(
        img.listSnaps({ all }).map((x) => {
          const type = cls.SNAP_NAMESPACE_NAMES[x.namespaceType] ?? 'unknown';
          const trash = x.namespaceType === cls.SnapNamespaceType.TRASH ? img.snapGetTrashNamespace(x.id) : undefined;
          const origType = trash ? (cls.SNAP_NAMESPACE_NAMES[trash.originalNamespaceType] ?? 'unknown') : '';
          return { x, type, trash, origType };
        }),
      ),
    true,
  ).catch((e: unknown) => fail('failed to list snapshots', e));
  if (c.format !== 'plain') {
    c.out.out(
      bigJson(
        c,
        rows.map(({ x, type, trash, origType }) => ({
          id: big(x.id),
          name: x.name,
          size: x.size,
          protected: String(x.protected),
          timestamp: formatCtime(x.timestamp),
          ...(all
            ? {
                namespace: {
                  type,
                  ...(trash ? { ...(tentacle ? { original_namespace_type: origType } : {}), original_name: trash.originalName } : {}),
                },
              }
            : {}),
        })),
      ),
    );
    return;
  }
  // Nothing at all when there is no snapshot.
  if (rows.length === 0) return;
  const cols = [column('SNAPID', 'right'), column('NAME', 'left'), column('SIZE', 'right'), column('PROTECTED', 'left'), column('TIMESTAMP', 'right')];
  if (all) cols.push(column('NAMESPACE', 'left'));
  c.out.out(
    formatTextTable(
      cols,
      rows.map(({ x, type, trash, origType }) => {
        const row = [String(x.id), x.name, formatBytes(x.size), x.protected ? 'yes' : '', formatCtime(x.timestamp)];
        // Tentacle's rbd: "trash (user s1)"; Pacific's and Reef's: "trash (s1)".
        if (all) row.push(trash ? `${type} (${tentacle ? `${origType} ` : ''}${trash.originalName})` : type);
        return row;
      }),
    ),
  );
}

/** `rbd snap rename|rollback|purge`, beside rbd-command.ts's create/rm/protect/unprotect. */
export const SNAP_VERBS: Record<string, (c: Ctx) => Promise<void>> = {
  async rename(c) {
    const s = specArg(c);
    const from = requireSnap(s);
    const destArg = c.args[1];
    if (destArg === undefined) throw new RbdError('rbd: destination image name was not specified', 22);
    // The destination defaults to the source's pool and namespace (Snap.cc execute_rename).
    const d = parseSpec(destArg, s.pool, s.namespace);
    const to = requireSnap(d, true);
    if (d.pool !== s.pool) throw new RbdError('rbd: source and destination pool must be the same', 22);
    if (d.namespace !== s.namespace) throw new RbdError('rbd: source and destination namespace must be the same', 22);
    if (d.image !== s.image) throw new RbdError('rbd: source and destination image name must be the same', 22);
    await withImage(c, { ...s, snap: undefined }, (img) => img.renameSnap(from, to).catch((e: unknown) => fail('renaming snap failed', e)));
  },
  async rollback(c) {
    const s = specArg(c);
    const snap = requireSnap(s);
    await withImage(c, { ...s, snap: undefined }, (img) => img.rollbackToSnap(snap).catch((e: unknown) => fail('rollback failed', e)));
  },
  async purge(c) {
    const s = specArg(c);
    noSnap(s);
    await withImage(c, s, async (img) => {
      // Snap.cc do_purge_snaps: protected snapshots are named (on stdout) and kept, the others
      // removed; that still exits 0. EBUSY says nothing more.
      const snaps = img.listSnaps();
      const kept = snaps.filter((x) => x.protected).map((x) => x.name);
      if (kept.length > 0)
        c.out.out(
          `rbd: error removing snapshot(s) '${kept.join(',')}', which ${kept.length === 1 ? 'is' : 'are'} protected - these must be unprotected with \`rbd snap unprotect\`.\n`,
        );
      for (const x of snaps.filter((y) => !y.protected)) {
        await img.removeSnap(x.name).catch((e: unknown) => {
          if (e instanceof RadosError && e.errno === 16) throw new RbdError('', 16);
          fail('removing snaps failed', e);
        });
      }
    });
  },
};

const parentName = (p: { pool: string; pool_namespace: string; image: string; snapshot: string }): string =>
  `${p.pool}/${p.pool_namespace ? `${p.pool_namespace}/` : ''}${p.image}@${p.snapshot}`;
const parentJson = (p: { pool: string; pool_namespace: string; image: string; snapshot: string }): unknown => ({
  pool: p.pool,
  pool_namespace: p.pool_namespace,
  image: p.image,
  snapshot: p.snapshot,
});

/** List.cc list_process_image: the image's row, then one per user snapshot (parent as at that snapshot). */
async function longRows(img: Image, name: string, id: string, rows: string[][], objs: unknown[]): Promise<void> {
  const info = await img.info();
  const fmt = img.oldFormat() ? 1 : 2;
  const locks = await img.listLockers();
  const lock = locks.lockers.length === 0 ? '' : locks.exclusive ? 'excl' : 'shr';
  rows.push([name, formatBytes(info.size), info.parent ? parentName(info.parent) : '', String(fmt), '', lock]);
  objs.push({
    image: name,
    id,
    size: info.size,
    ...(info.parent ? { parent: parentJson(info.parent) } : {}),
    format: fmt,
    ...(locks.lockers.length > 0 ? { lock_type: locks.exclusive ? 'exclusive' : 'shared' } : {}),
  });
  for (const s of img.listSnaps()) {
    await img.setSnap(s.name);
    const p = (await img.info()).parent;
    rows.push([`${name}@${s.name}`, formatBytes(s.size), p ? parentName(p) : '', String(fmt), s.protected ? 'yes' : '', '']);
    objs.push({
      image: name,
      id,
      snapshot: s.name,
      snapshot_id: big(s.id),
      size: s.size,
      ...(p ? { parent: parentJson(p) } : {}),
      format: fmt,
      protected: String(s.protected),
    });
  }
}

/** `rbd ls -l` (List.cc do_list): an image that cannot be opened is reported and skipped. */
export async function listLong(c: Ctx, io: IoCtx): Promise<void> {
  const images = await RBD.list2(io).catch((e: unknown) => fail('listing images failed', e));
  const rows: string[][] = [];
  const objs: unknown[] = [];
  for (const spec of images) {
    let img: Image;
    try {
      img = await RBD.open(io, spec.name, { readOnly: true });
    } catch (e) {
      if (!(e instanceof RadosError)) throw e;
      c.out.err(`rbd: error opening ${spec.name}: ${cppStrerror(e.errno)}\n`);
      continue;
    }
    try {
      await longRows(img, spec.name, spec.id, rows, objs);
    } catch (e) {
      if (!(e instanceof RadosError)) throw e;
      c.out.err(`rbd: error processing image ${spec.name}: ${cppStrerror(e.errno)}\n`);
    } finally {
      await img.close();
    }
  }
  if (c.format !== 'plain') c.out.out(bigJson(c, objs));
  else if (images.length > 0)
    c.out.out(
      formatTextTable([column('NAME', 'left'), column('SIZE', 'right'), column('PARENT', 'left'), column('FMT', 'right'), column('PROT', 'left'), column('LOCK', 'left')], rows),
    );
}

/** Children.cc: `[pool/[ns/]]image` a line, `(trash ID)` after a trashed one with --all. */
function childLine(ch: ChildInfo): string {
  const pool = ch.pool === '' ? `(child missing ?/` : `${ch.pool}/`;
  const name = ch.image === '' ? `${ch.id})` : `${ch.image}${ch.trash ? ` (trash ${ch.id})` : ''}`;
  return `${pool}${ch.pool_namespace ? `${ch.pool_namespace}/` : ''}${name}\n`;
}

export const IMAGE_VERBS: Record<string, (c: Ctx) => Promise<void>> = {
  async children(c) {
    const s = specArg(c);
    const all = c.values.all === true;
    const list = await withImage(
      c,
      { ...s, snap: undefined },
      async (img) => {
        if (s.snap !== undefined)
          await img.setSnap(s.snap).catch((e: unknown) => {
            if (e instanceof RadosError && e.errno === 2) throw new RbdError('rbd: snapshot does not exist.', 2);
            fail('error setting snapshot', e);
          });
        return (c.values.descendants ? img.listDescendants() : img.listChildren()).catch((e: unknown) => fail('listing children failed', e));
      },
      true,
    );
    const shown = list.filter((ch) => all || !ch.trash);
    if (c.format === 'plain') {
      c.out.out(shown.map(childLine).join(''));
      return;
    }
    c.out.out(
      json(
        c,
        shown.map((ch) =>
          all
            ? { pool: ch.pool, pool_namespace: ch.pool_namespace, image: ch.image, id: ch.id, trash: ch.trash }
            : { pool: ch.pool, pool_namespace: ch.pool_namespace, image: ch.image },
        ),
      ),
    );
  },
  async clone(c) {
    const s = specArg(c);
    const snap = requireSnap(s);
    const destArg = c.args[1];
    if (destArg === undefined) throw new RbdError('rbd: destination image name was not specified', 22);
    // The destination's pool is its own (--dest-pool or the spec), else the default pool, not -p.
    const d = parseSpec(destArg, 'rbd', '');
    noSnap(d, true);
    const pio = await ioFor(c, s);
    const cio = await openDefaultPool(c, d);
    await RBD.clone(pio, s.image, snap, cio, d.image).catch((e: unknown) => fail('clone error', e));
  },
  async status(c) {
    const s = specArg(c);
    noSnap(s);
    const ws = await withImage(c, s, (img) => img.watchersList().catch((e: unknown) => fail('show status failed', e)), true);
    if (c.format !== 'plain') {
      c.out.out(bigJson(c, { watchers: ws.map((w) => ({ address: w.addr, client: big(w.id), cookie: big(w.cookie) })) }));
      return;
    }
    c.out.out(ws.length === 0 ? 'Watchers: none\n' : `Watchers:\n${ws.map((w) => `\twatcher=${w.addr} client.${w.id} cookie=${w.cookie}\n`).join('')}`);
  },
};

/** utils::init_io_ctx: the default pool missing gets its own two lines. */
async function openDefaultPool(c: Ctx, s: Spec): Promise<IoCtx> {
  try {
    const io = await c.rados.openIoCtx(s.pool);
    if (s.namespace) io.setNamespace(s.namespace);
    return io;
  } catch (e) {
    if (e instanceof RadosError && e.errno === 2 && s.pool === 'rbd')
      throw new RbdError(`rbd: error opening default pool 'rbd'\nEnsure that the default pool has been created or specify an alternate pool name.`, 2);
    return fail(`error opening pool '${s.pool}'`, e);
  }
}
