// `rados-ts rbd du [IMAGE[@SNAP]] [--from-snap S] [--exact] [--merge-snapshots]` as rbd's
// DiskUsage.cc: per image, each user snapshot's usage since the one before it, then the head's
// since the last snapshot, counted with diff_iterate (whole objects unless --exact, so the object
// map answers when fast-diff is on); a <TOTAL> row when more than one row was counted.
import { RadosError } from '../../protocol/errors.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import { Feature } from '../rbd/features.ts';
import type { Image } from '../rbd/image.ts';
import { RBD } from '../rbd/rbd.ts';
import { type Ctx, formatBytes, ioFor, json, RbdError, specArg } from './rbd-command.ts';
import { formatTextTable } from './text-table.ts';

/** RBD_FLAG_FAST_DIFF_INVALID (include/rbd/librbd.h). */
const FAST_DIFF_INVALID = 2n;

/** get_image_disk_usage: the bytes diff_iterate2 reports as existing since `from`. */
async function usage(c: Ctx, img: Image, label: string, from: string, size: number): Promise<number> {
  if ((img.flags() & FAST_DIFF_INVALID) !== 0n) c.out.err(`warning: fast-diff map is invalid for ${label}. operation may be slow.\n`);
  let used = 0;
  if (size === 0) return 0;
  await img
    .diffIterate(
      0,
      size,
      from === '' ? null : from,
      (_off, len, exists) => {
        if (exists) used += len;
      },
      { includeParent: false, wholeObject: c.values.exact !== true },
    )
    .catch((e: unknown) => {
      if (e instanceof RadosError) throw new RbdError(`rbd: failed to iterate diffs: ${cppStrerror(e.errno)}`, e.errno);
      throw e;
    });
  return used;
}

interface Row {
  name: string;
  id: string;
  snap: string;
  snapId: bigint | undefined;
  size: number;
  used: number;
}

export async function diskUsage(c: Ctx): Promise<void> {
  const from = c.values['from-snap'];
  const merge = c.values['merge-snapshots'] === true;
  const hasSpec = c.args[0] !== undefined;
  if (!hasSpec && from !== undefined) throw new RbdError('rbd: image name was not specified', 22);
  const s = hasSpec ? specArg(c) : { pool: c.values.pool ?? 'rbd', namespace: c.values.namespace ?? '', image: '', snap: undefined };
  const imgname = hasSpec ? s.image : undefined;
  const snapname = s.snap;
  const io = await ioFor(c, s);
  const images = await RBD.list2(io).catch((e: unknown) => {
    if (e instanceof RadosError) throw new RbdError(`rbd: du failed: ${cppStrerror(e.errno)}`, e.errno);
    throw e;
  });
  const rows: Row[] = [];
  let count = 0;
  let totalProv = 0;
  let totalUsed = 0;
  let found = false;
  const finish = (): void => {
    if (c.format !== 'plain') {
      const out: Record<string, unknown> = {
        images: rows.map((r) => ({
          name: r.name,
          id: r.id,
          ...(r.snap ? { snapshot: r.snap, snapshot_id: `~big~${r.snapId}` } : {}),
          provisioned_size: r.size,
          used_size: r.used,
        })),
      };
      if (imgname === undefined) Object.assign(out, { total_provisioned_size: totalProv, total_used_size: totalUsed });
      c.out.out(json(c, out).replace(/"~big~(\d+)"/g, '$1'));
      return;
    }
    if (images.length === 0) return;
    const table = rows.map((r) => [r.snap ? `${r.name}@${r.snap}` : r.name, formatBytes(r.size), formatBytes(r.used)]);
    if (count > 1) table.push(['<TOTAL>', formatBytes(totalProv), formatBytes(totalUsed)]);
    c.out.out(
      formatTextTable(
        [
          { heading: 'NAME', headingAlign: 'left', align: 'left' },
          { heading: 'PROVISIONED', headingAlign: 'left', align: 'right' },
          { heading: 'USED', headingAlign: 'left', align: 'right' },
        ],
        table,
      ),
    );
  };
  const failed = (e: unknown): never => {
    // Errors past the listing still print what was counted (do_disk_usage's `goto out`).
    finish();
    if (e instanceof RbdError) {
      throw new RbdError(`${e.message}\nrbd: du failed: ${cppStrerror(e.code)}`, e.code);
    }
    throw e;
  };
  for (const spec of images) {
    if (imgname !== undefined && spec.name !== imgname) continue;
    let img: Image;
    try {
      img = await RBD.open(io, spec.name, { readOnly: true });
    } catch (e) {
      if (e instanceof RadosError && e.errno === 2) continue;
      found = true;
      if (e instanceof RadosError) {
        c.out.err(`rbd: error opening ${spec.name}: ${cppStrerror(e.errno)}\n`);
        continue;
      }
      throw e;
    }
    found = true;
    try {
      if ((img.features() & Feature.FAST_DIFF) === 0n) c.out.err(`warning: fast-diff map is not enabled for ${spec.name}. operation may be slow.\n`);
      const snaps = img.listSnaps().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const snapId = snapname === undefined ? undefined : snaps.find((x) => x.name === snapname)?.id;
      const fromId = from === undefined ? undefined : snaps.find((x) => x.name === from)?.id;
      if ((snapname !== undefined && snapId === undefined) || (from !== undefined && fromId === undefined))
        throw new RbdError('specified snapshot is not found.\nrbd: du failed: (2) No such file or directory', 2);
      if (snapId !== undefined && fromId !== undefined) {
        if (fromId === snapId) return;
        if (fromId > snapId) throw new RbdError('rbd: du failed: (22) Invalid argument', 22);
      }
      let fullUsed = 0;
      let foundFrom = from === undefined;
      let last = '';
      for (const snap of snaps) {
        const at = await RBD.open(io, spec.name, { readOnly: true, snapshot: snap.name }).catch((e: unknown) => {
          if (e instanceof RadosError) failed(new RbdError(`rbd: error opening snapshot ${spec.name}@${snap.name}: ${cppStrerror(e.errno)}`, e.errno));
          throw e;
        });
        try {
          if (imgname === undefined || foundFrom) {
            const used = await usage(c, at, `${spec.name}@${snap.name}`, last, snap.size).catch(failed);
            if (!merge) rows.push({ name: spec.name, id: spec.id, snap: snap.name, snapId: snap.id, size: snap.size, used });
            fullUsed += used;
            if (snapname !== undefined) totalProv += snap.size;
            totalUsed += used;
            count++;
          }
        } finally {
          await at.close();
        }
        if (!foundFrom && snap.name === from) foundFrom = true;
        if (snapname !== undefined && snap.name === snapname) break;
        last = snap.name;
      }
      if (snapname === undefined) {
        const used = await usage(c, img, spec.name, last, img.size).catch(failed);
        fullUsed += used;
        rows.push({ name: spec.name, id: spec.id, snap: '', snapId: undefined, size: img.size, used: merge ? fullUsed : used });
        totalProv += img.size;
        totalUsed += used;
        count++;
      }
    } finally {
      await img.close();
    }
  }
  if (imgname !== undefined && !found) throw new RbdError(`specified image ${imgname} is not found.\nrbd: du failed: (2) No such file or directory`, 2);
  finish();
}
