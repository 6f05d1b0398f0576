// Image metadata (`rbd image-meta`): key/value pairs in the header's omap through cls_rbd
// metadata_set/get/remove/list, as librbd's api/Config and metadata requests use them.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { utf8Encode } from '../../protocol/encoding/utf8.ts';
import type { CallOptions } from '../abort.ts';
import type { ObjectClsCall } from '../cls-call.ts';

/** cls calls on the image's header. */
type HeaderExec = ObjectClsCall;

/** metadata_list pages this many keys at a time (librbd's MAX_METADATA_ITEMS is larger; any page size works). */
const PAGE = 512;

export const metadataSet = async (exec: HeaderExec, key: string, value: string, options?: CallOptions): Promise<void> => {
  await exec(cls.metadataSet, new Map([[key, utf8Encode(value)]]), options);
};

export const metadataGet = async (exec: HeaderExec, key: string, options?: CallOptions): Promise<string> =>
  exec(cls.metadataGet, key, options);

export const metadataRemove = async (exec: HeaderExec, key: string, options?: CallOptions): Promise<void> => {
  await exec(cls.metadataRemove, key, options);
};

export async function metadataList(exec: HeaderExec, options?: CallOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let after = '';
  for (;;) {
    const page = await exec(cls.metadataList, { startAfter: after, max: PAGE }, options);
    for (const [k, v] of page) out.set(k, new TextDecoder().decode(v));
    if (page.size < PAGE) return out;
    after = [...page.keys()].at(-1)!;
  }
}
