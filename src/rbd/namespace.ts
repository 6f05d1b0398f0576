// RBD namespaces (Python `RBD().namespace_create/remove/exists/list`), in librbd's steps and
// with its errnos (src/librbd/api/Namespace.cc). A namespace is a RADOS namespace of the pool
// that the pool's rbd_namespace object (default namespace) lists and whose own rbd_directory
// holds the state READY; images created in a RADOS namespace nobody registered are refused
// (rbd.ts, as librbd's image/CreateRequest.cc add_image_to_directory).
import * as ns from '../../protocol/cls/cls-rbd-namespace.ts';
import { Errno, hasErrno, RadosError, skipErrno } from '../../protocol/errors.ts';
import { WriteOp } from '../../protocol/osd/compound-op.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import { type IoCtx, ioctxLogger } from '../ioctx.ts';
import { CHILDREN, DIRECTORY, RBD_GROUP_DIRECTORY, RBD_INFO, RBD_MIRRORING, RBD_NAMESPACE, RBD_TASK, RBD_TRASH } from './object-names.ts';

/** The pool-level objects a namespace may hold, removed with it in this order (Namespace.cc POOL_OBJECTS). */
const POOL_OBJECTS = [CHILDREN, RBD_GROUP_DIRECTORY, RBD_INFO, RBD_MIRRORING, RBD_TASK, RBD_TRASH, DIRECTORY] as const;
/** Names per namespace_list call (Namespace.cc list's max_read). */
const LIST_PAGE = 1024;
/** cls_rbd's key prefix of an image in rbd_trash (cls_rbd.cc trash::IMAGE_KEY_PREFIX). */
const TRASH_IMAGE_KEY_PREFIX = 'id_';

/** A copy of `io` addressing namespace `name` ('' the default one), as librbd dups its IoCtx. */
export function inNamespace(io: IoCtx, name: string): IoCtx {
  const d = io.dup();
  d.setNamespace(name);
  return d;
}

function checkName(name: string, what: string): void {
  // Namespace.cc: the empty name (the default namespace) is EINVAL for every call.
  if (typeof name !== 'string' || name.length === 0) throw new RadosError(`${what}: a namespace name must be a non-empty string`, Errno.EINVAL);
}

/**
 * Namespace.cc create: the name is added to the pool's rbd_namespace (EEXIST if there),
 * then the namespace gets its rbd_trash object (as librbd does since ceph PR 56310, in Reef
 * 18.2.7 and Tentacle; Pacific's left it to the first trash move) and its rbd_directory in
 * state READY.
 * A failed step undoes the earlier ones. librbd also refuses (ENOSYS) clusters whose
 * require_osd_release is older than Nautilus; no such cluster speaks msgr2 with us.
 */
export async function createNamespace(io: IoCtx, name: string, options?: CallOptions): Promise<void> {
  checkName(name, 'namespace create');
  const root = inNamespace(io, '');
  try {
    await callCls(root, RBD_NAMESPACE, ns.namespaceAdd, name, options);
  } catch (e) {
    if (hasErrno(e, Errno.EEXIST)) throw new RadosError(`namespace ${name} already exists in pool ${io.poolName}`, Errno.EEXIST, { cause: e });
    throw e;
  }
  const nsIo = inNamespace(io, name);
  const warn =
    (what: string) =>
    (e: unknown): void => {
      ioctxLogger(io).warn(`rbd: namespace create ${name}: could not remove ${what} after a failed create (${(e as Error).message})`);
    };
  let trashMade = false;
  try {
    await nsIo.create(RBD_TRASH, { ...options, exclusive: false });
    trashMade = true;
    await callCls(nsIo, DIRECTORY, ns.dirStateSet, ns.DirectoryState.READY, options);
  } catch (e) {
    if (trashMade) {
      // dir_state_set may have failed after it created the directory (Namespace.cc says the same).
      await nsIo.remove(DIRECTORY).catch(skipErrno(Errno.ENOENT)).catch(warn(DIRECTORY));
      await nsIo.remove(RBD_TRASH).catch(warn(RBD_TRASH));
    }
    await callCls(root, RBD_NAMESPACE, ns.namespaceRemove, name).catch(warn(`its entry in ${RBD_NAMESPACE}`));
    throw e;
  }
}

/**
 * Namespace.cc remove: EBUSY while the namespace's directory names an image (its state is
 * set to ADD_DISABLED and the directory removed in one op, which cls_rbd refuses then) or
 * its trash holds one (the directory is put back in state READY); else its pool objects
 * go and its entry in rbd_namespace, ENOENT if the pool has no such namespace.
 * The trash is read as cls_rbd's trash_list reads it: rbd_trash's omap keys "id_<image id>".
 * librbd also switches the namespace's mirroring off first (Mirror::mode_set DISABLED, which
 * tells rbd-mirror); we do not mirror, and rbd_mirroring goes with the other objects.
 */
export async function removeNamespace(io: IoCtx, name: string, options?: CallOptions): Promise<void> {
  checkName(name, 'namespace remove');
  const nsIo = inNamespace(io, name);
  const busy = async (why: string): Promise<never> => {
    await callCls(nsIo, DIRECTORY, ns.dirStateSet, ns.DirectoryState.READY, options).catch((e: unknown) => {
      ioctxLogger(io).warn(`rbd: namespace remove ${name}: could not restore its directory's state (${(e as Error).message})`);
    });
    throw new RadosError(`namespace ${name} in pool ${io.poolName} is not empty: ${why}`, Errno.EBUSY);
  };
  try {
    await nsIo.operateWriteOp(new WriteOp().call(ns.dirStateSet, ns.DirectoryState.ADD_DISABLED).remove(), DIRECTORY, options);
  } catch (e) {
    if (hasErrno(e, Errno.EBUSY)) return busy('it has images');
    if (!hasErrno(e, Errno.ENOENT)) throw e;
  }
  let trash: Map<string, Uint8Array>;
  try {
    trash = (await nsIo.getOmapVals(RBD_TRASH, { ...options, prefix: TRASH_IMAGE_KEY_PREFIX, max: 1 })).entries;
  } catch (e) {
    if (!hasErrno(e, Errno.ENOENT)) throw e;
    trash = new Map();
  }
  if (trash.size > 0) return busy('its trash holds images');
  for (const oid of POOL_OBJECTS) await nsIo.remove(oid, options).catch(skipErrno(Errno.ENOENT));
  try {
    await callCls(inNamespace(io, ''), RBD_NAMESPACE, ns.namespaceRemove, name, options);
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) throw new RadosError(`namespace ${name} does not exist in pool ${io.poolName}`, Errno.ENOENT, { cause: e });
    throw e;
  }
}

/** Namespace.cc list: the pool's namespaces, sorted, paged through namespace_list; none before the first. */
export async function listNamespaces(io: IoCtx, options?: CallOptions): Promise<string[]> {
  const root = inNamespace(io, '');
  const names: string[] = [];
  for (;;) {
    let page: string[];
    try {
      page = await callCls(root, RBD_NAMESPACE, ns.namespaceList, { startAfter: names.at(-1) ?? '', max: LIST_PAGE }, options);
    } catch (e) {
      if (hasErrno(e, Errno.ENOENT)) return names;
      throw e;
    }
    names.push(...page);
    if (page.length < LIST_PAGE) return names;
  }
}

/**
 * Namespace.cc exists: whether the namespace's rbd_directory is in state READY (dir_state_assert);
 * a namespace being removed, or one only listed in rbd_namespace, does not exist.
 */
export async function namespaceExists(io: IoCtx, name: string, options?: CallOptions): Promise<boolean> {
  checkName(name, 'namespace exists');
  try {
    await callCls(inNamespace(io, name), DIRECTORY, ns.dirStateAssert, ns.DirectoryState.READY, options);
    return true;
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) return false;
    throw e;
  }
}
