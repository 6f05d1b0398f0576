// `rbd export-diff` and `rbd import-diff` (src/tools/rbd/action/ExportDiff.cc, Import.cc's
// do_import_diff_fd) over Web Streams: the diff since a snapshot (or creation) as the format-1
// byte stream (protocol/rbd/diff-stream.ts), and such a stream applied to an image.
import { Errno, RadosError } from '../../protocol/errors.ts';
import { decodeDiffStream, encodeDiffEnd, encodeDiffHeader, encodeDiffWrite, encodeDiffZero } from '../../protocol/rbd/diff-stream.ts';
import * as cls from '../../protocol/cls/cls-rbd.ts';
import type { CallOptions } from '../abort.ts';
import { diffExtents, type DiffExtent } from './diff-iterate.ts';
import type { ImageCtx } from './image-ctx.ts';
import { discardImage, readImage, writeImage } from './io/image-request.ts';
import { resize } from './operation/resize.ts';
import { createSnapshot } from './operation/snapshot.ts';

/** `Image.exportDiff` options (`rbd export-diff`'s). */
export interface ExportDiffOptions extends CallOptions {
  /** The start snapshot (`--from-snap`); the diff is since creation without one. */
  fromSnapshot?: string;
  /** Whole objects rather than byte extents (`--whole-object`). */
  wholeObject?: boolean;
  /** Reads in flight ahead of the consumer (default 10, rbd_concurrent_management_ops). */
  readAhead?: number;
}

/** `Image.importDiff` options. */
export interface ImportDiffOptions extends CallOptions {
  /** Called after each record applied, with the stream bytes of data and zeros applied so far. */
  onProgress?: (bytesApplied: number) => void;
}

/**
 * The export-diff stream of the version `ctx` reads: header ('f' when from a snapshot, 't' when
 * at one, 's'), then per changed extent in order 'w' with its data or 'z' (an extent that
 * reads as zeros is written as 'z', as rbd does), then 'e'.
 */
export function exportDiffStream(ctx: ImageCtx, opts: ExportDiffOptions = {}): ReadableStream<Uint8Array> {
  const ahead = Math.max(1, opts.readAhead ?? 10);
  let extents: AsyncIterator<DiffExtent> | undefined;
  let finished = false;
  const pending: Array<Promise<Uint8Array>> = [];
  const record = async (x: DiffExtent): Promise<Uint8Array> => {
    if (!x.exists) return encodeDiffZero(x.offset, x.length);
    const data = await readImage(ctx, x.offset, x.length, opts);
    return data.some((b) => b !== 0) ? encodeDiffWrite(x.offset, data) : encodeDiffZero(x.offset, x.length);
  };
  const fill = async (): Promise<void> => {
    while (!finished && pending.length < ahead) {
      const n = await extents!.next();
      if (n.done) {
        finished = true;
        pending.push(Promise.resolve(encodeDiffEnd()));
        break;
      }
      const x = n.value;
      const p = record(x);
      // The consumer gets the error when it reaches this record; until then (or if it stops first) say so.
      p.catch((e: unknown) => ctx.log.debug(`rbd ${ctx.name}: export-diff record ${x.offset}~${x.length} failed: ${(e as Error).message}`));
      pending.push(p);
    }
  };
  return new ReadableStream<Uint8Array>({
    start: async (controller) => {
      await ctx.fresh(opts);
      extents = diffExtents(ctx, 0, ctx.size, opts.fromSnapshot, { ...opts, includeParent: true })[Symbol.asyncIterator]();
      controller.enqueue(encodeDiffHeader({ fromSnap: opts.fromSnapshot, toSnap: ctx.readSnap?.name, size: ctx.size }));
    },
    pull: async (controller) => {
      await fill();
      const p = pending.shift();
      if (!p) {
        controller.close();
        return;
      }
      controller.enqueue(await p);
    },
    cancel: async () => {
      finished = true;
      pending.length = 0;
      await extents?.return?.();
    },
  });
}

/** The chunks of a ReadableStream or any async iterable. */
async function* chunksOf(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!(source instanceof ReadableStream)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * import-diff: the start snapshot must exist (EINVAL, as rbd), the end snapshot must not
 * (EEXIST); the image is resized to the stream's size, data written, zeros discarded, and once
 * the 'e' record is reached the end snapshot is created.
 */
export async function importDiffStream(ctx: ImageCtx, source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, opts: ImportDiffOptions = {}): Promise<void> {
  ctx.checkWritable();
  await ctx.fresh(opts);
  const userSnap = (name: string): boolean => ctx.snaps.some((s) => s.namespaceType === cls.SnapNamespaceType.USER && s.name === name);
  let toSnap: string | undefined;
  let applied = 0;
  let ended = false;
  for await (const r of decodeDiffStream(chunksOf(source))) {
    switch (r.type) {
      case 'from':
        if (!userSnap(r.name)) throw new RadosError(`start snapshot '${r.name}' does not exist in image ${ctx.name}`, Errno.EINVAL);
        break;
      case 'to':
        if (userSnap(r.name)) throw new RadosError(`end snapshot '${r.name}' already exists in image ${ctx.name}`, Errno.EEXIST);
        toSnap = r.name;
        break;
      case 'size':
        if (r.size !== ctx.headSize) await resize(ctx, r.size, opts);
        break;
      case 'write':
        await writeImage(ctx, r.data, r.offset, opts);
        applied += r.data.length;
        opts.onProgress?.(applied);
        break;
      case 'zero':
        await discardImage(ctx, r.offset, r.length, opts);
        applied += r.length;
        opts.onProgress?.(applied);
        break;
      case 'end':
        ended = true;
        break;
    }
  }
  if (!ended) throw new RadosError('rbd diff stream: no end record', Errno.EINVAL);
  if (toSnap !== undefined) await createSnapshot(ctx, toSnap, opts);
}
