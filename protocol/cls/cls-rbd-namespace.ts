// cls_rbd's methods for RBD namespaces: the pool's list of namespaces (the rbd_namespace object
// in the default namespace: namespace_add/remove/list) and the state of a namespace's image
// directory (dir_state_set/assert on its rbd_directory), as librbd's client side encodes them
// (src/cls/rbd/cls_rbd_client.cc) and src/cls/rbd/cls_rbd.cc reads them. The class keeps a
// namespace as the omap key "name_<namespace>" with an empty value, and a directory's state as
// the omap key "state" holding the state's one byte.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { clsRead, clsWrite, decodeWhole, noOutput } from './cls-method.ts';

/** cls::rbd::DirectoryState (src/cls/rbd/cls_rbd_types.h), encoded as one byte. */
export const DirectoryState = {
  /** Images may be added: a namespace that exists. */
  READY: 0,
  /** Set while a namespace is being removed: refused (EBUSY) by the class if the directory still names an image. */
  ADD_DISABLED: 1,
} as const;

/** The omap key prefix cls_rbd gives each namespace in rbd_namespace (cls_rbd.cc namespace_add). */
export const NAMESPACE_KEY_PREFIX = 'name_';

const w = (): Writer => new Writer(32);

/** namespace_add / namespace_remove input: the namespace's name (a string). */
export const encodeNamespaceName = (name: string): Uint8Array => w().string(name).finish();
export const decodeNamespaceNameInput = (b: Uint8Array): string => decodeWhole(b, 'namespace name input', (r) => r.string('name'));

/** namespace_list input: the name to list after ('' from the start), le64 max_return. */
export const encodeNamespaceList = (i: { startAfter: string; max: number }): Uint8Array => w().string(i.startAfter).u64(i.max).finish();
export const decodeNamespaceListInput = (b: Uint8Array): { startAfter: string; max: number } =>
  decodeWhole(b, 'namespace_list input', (r) => ({ startAfter: r.string('start_after'), max: r.u64n('max_return') }));
/** namespace_list output: the names in key order (a std::list<string>: le32 count, then each string). */
export const decodeNamespaceList = (b: Uint8Array): string[] => new Reader(b).array('namespaces', (r) => r.string('name'), 4);

/** dir_state_set / dir_state_assert input: the DirectoryState byte. */
export const encodeDirectoryState = (state: number): Uint8Array => w().u8(state).finish();
export const decodeDirectoryStateInput = (b: Uint8Array): number => decodeWhole(b, 'directory state input', (r) => r.u8('directory_state'));

/** namespace_add (on rbd_namespace, default namespace): EEXIST if the pool has it already. */
export const namespaceAdd = clsWrite('rbd', 'namespace_add', encodeNamespaceName, decodeNamespaceNameInput);
/** namespace_remove (on rbd_namespace): ENOENT if the pool has no such namespace. */
export const namespaceRemove = clsWrite('rbd', 'namespace_remove', encodeNamespaceName, decodeNamespaceNameInput);
/** namespace_list (on rbd_namespace): up to `max` names after `startAfter`, sorted; ENOENT before the first namespace. */
export const namespaceList = clsRead('rbd', 'namespace_list', encodeNamespaceList, decodeNamespaceListInput, decodeNamespaceList);
/**
 * dir_state_set (on a namespace's rbd_directory, creating it): READY always succeeds;
 * ADD_DISABLED is ENOENT without the object and EBUSY while the directory names an image.
 */
export const dirStateSet = clsWrite('rbd', 'dir_state_set', encodeDirectoryState, decodeDirectoryStateInput);
/** dir_state_assert (registered read-only): ENOENT unless the directory exists with this state. */
export const dirStateAssert = clsRead('rbd', 'dir_state_assert', encodeDirectoryState, decodeDirectoryStateInput, noOutput);
