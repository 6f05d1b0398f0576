// Clones (librbd image/CloneRequest, AttachParentRequest, AttachChildRequest, DetachChild-
// Request, list_children): the child's header records its parent (parent_attach); v1 also links
// it in the child pool's rbd_children object, v2 marks the child clone-child and attaches it to
// the parent's snapshot (child_attach), which is what lets v2 parents be unprotected snapshots.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, skipErrno } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { CHILDREN, headerName } from './object-names.ts';
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
  /** The clone's pool name. */
  pool: string;
  /** The clone's namespace in that pool ('' for none). */
  pool_namespace: string;
  /** The clone's image name. */
  image: string;
  /** The clone's image id. */
  id: string;
}

/**
 * The clones of one parent snapshot (Python `list_children2`): v1 links found in every pool's
 * rbd_children, and v2 children recorded on the parent's snapshot.
 */
export async function listChildren(parentIo: IoCtx, parentId: string, snapId: bigint, options?: CallOptions): Promise<ChildInfo[]> {
  const found: Array<{ poolId: number; ns: string; id: string }> = [];
  const spec: cls.ParentImageSpec = { poolId: parentIo.poolId, poolNamespace: parentIo.getNamespace(), imageId: parentId, snapId };
  for (const p of parentIo.listPoolIds()) {
    const io = parentIo.forPool(p.id, p.name);
    try {
      for (const id of await callCls(io, CHILDREN, cls.getChildren, spec, options)) found.push({ poolId: p.id, ns: '', id });
    } catch (e) {
      if (!hasErrno(e, Errno.ENOENT, Errno.EOPNOTSUPP)) throw e;
    }
  }
  try {
    for (const c of await callCls(parentIo, headerName(parentId), cls.childrenList, snapId, options)) found.push({ poolId: c.poolId, ns: c.poolNamespace, id: c.imageId });
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT, Errno.EOPNOTSUPP)) throw e;
  }
  const out: ChildInfo[] = [];
  for (const f of found) {
    const io = parentIoCtx(parentIo, { poolId: f.poolId, poolNamespace: f.ns });
    if (!io) continue;
    out.push({ pool: io.poolName, pool_namespace: f.ns, image: await imageNameById(io, f.id, options), id: f.id });
  }
  return out.sort((a, b) => (a.pool + a.image < b.pool + b.image ? -1 : 1));
}
