// Web Streams over an image (the runtime-neutral way to move image data: pipe a fetch body
// into `writable()`, or `readable()` into a Response).
import type { CallOptions } from '../abort.ts';
import type { ImageCtx } from './image-ctx.ts';
import { readImage, writeImage } from './io/image-request.ts';
import type { Progress } from './progress.ts';

/** `Image.readable` options. */
export interface ReadableOptions extends CallOptions {
  /** Image offset to start at (default 0). */
  offset?: number;
  /** Bytes to read (default: to the end of the image). */
  length?: number;
  /** Bytes per chunk (default: the object size). */
  chunkSize?: number;
  /** Reads in flight ahead of the consumer (default 4). */
  readAhead?: number;
  /** Called after each chunk with bytes read so far and the total. */
  onProgress?: Progress;
}

/** `Image.writable` options. */
export interface WritableOptions extends CallOptions {
  /** Image offset of the first byte written (default 0). */
  offset?: number;
  /** Writes in flight before the stream applies backpressure (default 4). */
  concurrency?: number;
  /** Called as writes complete, with the bytes written so far. */
  onProgress?: (bytesWritten: number) => void;
}

/** Chunks in image order, `readAhead` reads in flight; cancelling stops reading. */
export function imageReadable(ctx: ImageCtx, opts: ReadableOptions): ReadableStream<Uint8Array> {
  const start = opts.offset ?? 0;
  const end = Math.min(ctx.size, start + (opts.length ?? ctx.size - start));
  const chunk = opts.chunkSize ?? ctx.layout.objectSize;
  const ahead = Math.max(1, opts.readAhead ?? 4);
  let next = start;
  let done = 0;
  const pending: Array<Promise<Uint8Array>> = [];
  const fill = (): void => {
    while (pending.length < ahead && next < end) {
      const len = Math.min(chunk, end - next);
      const p = readImage(ctx, next, len, opts);
      // The reader gets the error when it reaches this chunk; until then (or if it stops first) say so.
      p.catch((e: unknown) => ctx.log.debug(`rbd ${ctx.name}: read-ahead of ${next}~${len} failed: ${(e as Error).message}`));
      pending.push(p);
      next += len;
    }
  };
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      fill();
      const p = pending.shift();
      if (!p) {
        controller.close();
        return;
      }
      const bytes = await p;
      done += bytes.length;
      opts.onProgress?.(done, end - start);
      controller.enqueue(bytes);
      fill();
    },
    cancel: () => {
      pending.length = 0;
      next = end;
    },
  });
}

/** Sequential writes from `offset`; a failed write errors the stream; close() waits for all. */
export function imageWritable(ctx: ImageCtx, opts: WritableOptions): WritableStream<Uint8Array> {
  let at = opts.offset ?? 0;
  const limit = Math.max(1, opts.concurrency ?? 4);
  const inFlight = new Set<Promise<void>>();
  let failed: Error | undefined;
  let written = 0;
  const drainTo = async (n: number): Promise<void> => {
    while (inFlight.size > n) await Promise.race(inFlight);
    if (failed !== undefined) throw failed;
  };
  return new WritableStream<Uint8Array>({
    write: async (chunk) => {
      await drainTo(limit - 1);
      const off = at;
      at += chunk.length;
      const tracked: Promise<void> = writeImage(ctx, chunk, off, opts)
        .then(
          (n) => {
            written += n;
            opts.onProgress?.(written);
          },
          (e: unknown) => {
            failed ??= e as Error; // writeImage rejects with RadosError/Error only
          },
        )
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    },
    close: () => drainTo(0),
    // The stream is errored already with the abort's reason; a write that failed meanwhile is only logged.
    abort: () => drainTo(0).catch((e: unknown) => ctx.log.debug(`rbd ${ctx.name}: a write in flight when the stream was aborted failed: ${(e as Error).message}`)),
  });
}
