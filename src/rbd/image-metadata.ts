// Image metadata (`rbd image-meta`): key/value pairs in the header's omap through cls_rbd
// metadata_set/get/remove/list, as librbd's api/Config and metadata requests use them.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { utf8Encode } from '../../protocol/encoding/utf8.ts';
import type { CallOptions } from '../abort.ts';

type HeaderExec = (method: string, input: Uint8Array, options?: CallOptions) => Promise<Uint8Array>;

/** metadata_list pages this many keys at a time (librbd's MAX_METADATA_ITEMS is larger; any page size works). */
const PAGE = 512;

export const metadataSet = async (exec: HeaderExec, key: string, value: string, options?: CallOptions): Promise<void> => {
  await exec('metadata_set', cls.encodeMetadataSet(new Map([[key, utf8Encode(value)]])), options);
};

export const metadataGet = async (exec: HeaderExec, key: string, options?: CallOptions): Promise<string> =>
  cls.decodeMetadataValue(await exec('metadata_get', cls.encodeString(key), options));

export const metadataRemove = async (exec: HeaderExec, key: string, options?: CallOptions): Promise<void> => {
  await exec('metadata_remove', cls.encodeString(key), options);
};

export async function metadataList(exec: HeaderExec, options?: CallOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let after = '';
  for (;;) {
    const page = cls.decodeMetadataList(await exec('metadata_list', cls.encodeMetadataList(after, PAGE), options));
    for (const [k, v] of page) out.set(k, new TextDecoder().decode(v));
    if (page.size < PAGE) return out;
    after = [...page.keys()].at(-1)!;
  }
}
