// Image metadata (`rbd image-meta`): key/value pairs in the header's omap through cls_rbd
// metadata_set/get/remove/list (librbd operation/MetadataSetRequest.cc, MetadataRemoveRequest.cc).
// Setting and removing are changes under the exclusive lock: librbd (Operations::metadata_set/
// metadata_remove, invoke_async_request) proxies the operation to the lock owner
// (METADATA_UPDATE) and takes the lock when the owner declines; we do not proxy, we always ask
// for the lock (REQUEST_LOCK), which a librbd owner releases.
import * as cls from '../../../protocol/cls/cls-rbd.ts';
import { utf8Encode } from '../../../protocol/encoding/utf8.ts';
import type { CallOptions } from '../../abort.ts';
import type { ImageCtx } from '../image-ctx.ts';

/** metadata_list pages this many keys at a time (librbd's MAX_METADATA_ITEMS is larger; any page size works). */
const PAGE = 512;

/** Set and remove are EROFS on a handle set to a snapshot too (librbd invokes them without permit_snapshot). */
const METADATA_CHANGE = { lock: true } as const;

export async function metadataSet(ctx: ImageCtx, key: string, value: string, options?: CallOptions): Promise<void> {
  ctx.checkWritable();
  await ctx.mutate(options, METADATA_CHANGE, () => ctx.call(cls.metadataSet, new Map([[key, utf8Encode(value)]]), options));
}

/**
 * ENOENT for a key that is not there, as librbd: Operations::metadata_remove reads the key
 * first (cls_client::metadata_get) and returns its error, before a handle set to a snapshot
 * is refused (EROFS); cls_rbd's own remove of a missing key succeeds.
 */
export async function metadataRemove(ctx: ImageCtx, key: string, options?: CallOptions): Promise<void> {
  ctx.checkWritable(true);
  await ctx.fresh(options);
  await ctx.call(cls.metadataGet, key, options);
  await ctx.mutate(options, METADATA_CHANGE, () => ctx.call(cls.metadataRemove, key, options));
}

export async function metadataGet(ctx: ImageCtx, key: string, options?: CallOptions): Promise<string> {
  await ctx.fresh(options);
  return ctx.call(cls.metadataGet, key, options);
}

export async function metadataList(ctx: ImageCtx, options?: CallOptions): Promise<Map<string, string>> {
  await ctx.fresh(options);
  const out = new Map<string, string>();
  let after = '';
  for (;;) {
    const page = await ctx.call(cls.metadataList, { startAfter: after, max: PAGE }, options);
    for (const [k, v] of page) out.set(k, new TextDecoder().decode(v));
    if (page.size < PAGE) return out;
    after = [...page.keys()].at(-1)!;
  }
}
