// Clones (librbd image/CloneRequest, AttachParentRequest, AttachChildRequest, DetachChild-
// Request, list_children): the child's header records its parent (parent_attach); v1 also links
// it in the child pool's rbd_children object, v2 marks the child clone-child and attaches it to
// the parent's snapshot (child_attach), which is what lets v2 parents be unprotected snapshots.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import * as trashCls from '../../protocol/cls/cls-rbd-trash.ts';
import { Errno, hasErrno, skipErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { CHILDREN, headerName, RBD_TRASH } from './object-names.ts';
import { imageNameById } from './image-info.ts';
import { OpFeature } from './features.ts';

/** ceph_release_t mimic: from it on, `rbd_default_clone_format = auto` makes v2 clones. */
const MIMIC = 13;

/** An IoCtx on a clone's parent pool and namespace, or undefined if that pool is gone. */
export function parentIoCtx(io: IoCtx, parent: { poolId: number; poolNamespace: string }): IoCtx | undefined {
  const pool = io.lookupPool(parent.poolId);
  if (!pool) return undefined;
  const pio = io.forPool(pool.id, pool.name);
  pio.setNamespace(parent.poolNamespace);
  return pio;
}

/** The clone format librbd picks: v2 when asked, or on auto when clients must be mimic or newer. */
export function cloneFormat(io: IoCtx, asked: 1 | 2 | 'auto' = 'auto'): 1 | 2 {
  if (asked !== 'auto') return asked;
  return io.requireMinCompatClient() >= MIMIC ? 2 : 1;
}

/** Links a freshly created child to its parent snapshot, in AttachParent/AttachChild order. */
export async function attachClone(
  parentIo: IoCtx,
  parent: cls.ParentImageSpec,
  overlap: number,
  childIo: IoCtx,
  childId: string,
  format: 1 | 2,
  options?: CallOptions,
): Promise<void> {
  await callCls(childIo, headerName(childId), cls.parentAttach, { parent, overlap: BigInt(overlap) }, options);
  if (format === 1) {
    await callCls(childIo, CHILDREN, cls.addChild, { parent, childId }, options);
    return;
  }
  await callCls(childIo, headerName(childId), cls.opFeaturesSet, { features: OpFeature.CLONE_CHILD, mask: OpFeature.CLONE_CHILD }, options);
  await callCls(
    parentIo,
    headerName(parent.imageId),
    cls.childAttach,
    { snapId: parent.snapId, child: { poolId: childIo.poolId, poolNamespace: childIo.getNamespace(), imageId: childId } },
    options,
  );
}

/**
 * DetachChildRequest: the child leaves its parent's snapshot — v1 drops the rbd_children link,
 * v2 detaches from the snapshot. Returns true when that (v2) snapshot is now in the trash with
 * no clone left, which librbd then deletes (operation/snapshot.ts detachFromParent does).
 */
export async function detachChild(parentIo: IoCtx | undefined, parent: cls.ParentImageSpec, childIo: IoCtx, childId: string, v2: boolean, options?: CallOptions): Promise<boolean> {
  if (!v2) {
    await callCls(childIo, CHILDREN, cls.removeChild, { parent, childId }, options).catch(skipErrno(Errno.ENOENT));
    return false;
  }
  if (!parentIo) return false;
  const header = headerName(parent.imageId);
  await callCls(
    parentIo,
    header,
    cls.childDetach,
    { snapId: parent.snapId, child: { poolId: childIo.poolId, poolNamespace: childIo.getNamespace(), imageId: childId } },
    options,
  ).catch(skipErrno(Errno.ENOENT));
  try {
    const snap = await callCls(parentIo, header, cls.snapshotGet, parent.snapId, options);
    return snap.namespaceType === cls.SnapNamespaceType.TRASH && snap.childCount === 0;
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return false;
    throw e;
  }
}

/** parent_detach: the head leaves its parent (cls keeps the link for snapshots that still use it). */
export async function detachParent(childIo: IoCtx, childId: string, options?: CallOptions): Promise<void> {
  await callCls(childIo, headerName(childId), cls.parentDetach, undefined, options).catch(skipErrno(Errno.ENOENT));
}

/** One clone of a snapshot, as Python `list_children2` names the fields. */
export interface ChildInfo {
  /** The clone's pool name ('' when that pool is gone). */
  pool: string;
  /** The clone's namespace in that pool ('' for none). */
  pool_namespace: string;
  /** The clone's image name. */
  image: string;
  /** The clone's image id. */
  id: string;
  /** Whether the clone is in the trash (moved there, not being removed). */
  trash: boolean;
}

interface FoundChild {
  poolId: number;
  ns: string;
  id: string;
}

/**
 * The clones of snapshots `snapIds` of image `parentId` (librbd api/Image.cc list_descendants):
 * v1 links found in every pool's rbd_children, then v2 children recorded on each snapshot;
 * `depth` 1 for children (Python `list_children2`), Infinity for every descendant (Python
 * `list_descendants`), whose snapshots are read from their headers. Names come from the
 * directory, else the trash (`trash` set unless the entry is a removal in progress); sorted by
 * pool name, pool id, namespace, image name and id, as librbd sorts them.
 */
export async function listChildren(parentIo: IoCtx, parentId: string, snapIds: readonly bigint[], depth = 1, options?: CallOptions): Promise<ChildInfo[]> {
  const found: FoundChild[] = [];
  await collectChildren(parentIo, parentId, snapIds, depth, found, options);
  const out: Array<ChildInfo & { poolId: number }> = [];
  for (const f of found) {
    const io = parentIoCtx(parentIo, { poolId: f.poolId, poolNamespace: f.ns });
    if (!io) {
      out.push({ poolId: f.poolId, pool: '', pool_namespace: f.ns, image: '', id: f.id, trash: false });
      continue;
    }
    const name = await imageNameById(io, f.id, options);
    let trash = false;
    let image = name;
    if (name === '') {
      const t = await callCls(io, RBD_TRASH, trashCls.trashGet, f.id, options).catch((e: unknown) => {
        if (hasErrno(e, Errno.ENOENT, Errno.EOPNOTSUPP)) return undefined;
        throw e;
      });
      if (t) {
        image = t.name;
        trash = t.source !== trashCls.TrashImageSource.REMOVING;
      }
    }
    out.push({ poolId: f.poolId, pool: io.poolName, pool_namespace: f.ns, image, id: f.id, trash });
  }
  const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
  out.sort((a, b) => cmp(a.pool, b.pool) || cmp(a.poolId, b.poolId) || cmp(a.pool_namespace, b.pool_namespace) || cmp(a.image, b.image) || cmp(a.id, b.id));
  return out.map(({ poolId: _p, ...c }) => c);
}

async function collectChildren(parentIo: IoCtx, parentId: string, snapIds: readonly bigint[], depth: number, found: FoundChild[], options?: CallOptions): Promise<void> {
  for (const snapId of snapIds) {
    const kids: FoundChild[] = [];
    const spec: cls.ParentImageSpec = { poolId: parentIo.poolId, poolNamespace: parentIo.getNamespace(), imageId: parentId, snapId };
    for (const p of parentIo.listPoolIds()) {
      const io = parentIo.forPool(p.id, p.name);
      try {
        // librbd records a v1 child in the parent's namespace (v1 clones never cross namespaces).
        for (const id of await callCls(io, CHILDREN, cls.getChildren, spec, options)) kids.push({ poolId: p.id, ns: parentIo.getNamespace(), id });
      } catch (e) {
        if (!hasErrno(e, Errno.ENOENT, Errno.EOPNOTSUPP)) throw e;
      }
    }
    try {
      for (const c of await callCls(parentIo, headerName(parentId), cls.childrenList, snapId, options)) kids.push({ poolId: c.poolId, ns: c.poolNamespace, id: c.imageId });
    } catch (e) {
      if (!hasErrno(e, Errno.ENOENT, Errno.EOPNOTSUPP)) throw e;
    }
    for (const k of kids) {
      found.push(k);
      if (depth <= 1) continue;
      const io = parentIoCtx(parentIo, { poolId: k.poolId, poolNamespace: k.ns });
      if (!io) continue;
      // A descendant gone meanwhile has none of its own (librbd's open gives ENOENT, skipped).
      let snaps: bigint[];
      try {
        snaps = (await callCls(io, headerName(k.id), cls.getSnapContext, undefined, options)).snaps;
      } catch (e) {
        if (hasErrno(e, Errno.ENOENT)) continue;
        throw e;
      }
      await collectChildren(io, k.id, snaps, depth - 1, found, options);
    }
  }
}
