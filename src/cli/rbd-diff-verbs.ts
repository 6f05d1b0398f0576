// `rados-ts rbd diff | export-diff | import-diff` (src/tools/rbd/action/Diff.cc, ExportDiff.cc,
// ImportDiff.cc): their output, error lines and exit codes. Kept apart from rbd-command.ts,
// which hands each verb its context and the helpers it shares (spec parsing, image opening,
// rbd's error lines).
import { open, readFile, rm } from 'node:fs/promises';
import { Errno, RadosError } from '../../protocol/errors.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import type { DiffExtent } from '../rbd/diff-iterate.ts';
import type { Image } from '../rbd/image.ts';
import type { CliIo } from './cli-io.ts';
import { type Column, formatTextTable } from './text-table.ts';

/** What a diff verb reads of the command line. */
export interface DiffVerbCtx {
  args: string[];
  values: { 'from-snap'?: string; 'whole-object'?: boolean };
  format: 'plain' | 'json' | 'json-pretty';
  out: CliIo;
}

/** An image spec as rbd-command.ts parses it. */
export interface DiffVerbSpec {
  image: string;
  snap: string | undefined;
}

/** rbd-command.ts's helpers the verbs use. */
export interface DiffVerbHelpers<C extends DiffVerbCtx, S extends DiffVerbSpec> {
  /** The image spec at positional `i`. */
  specArg: (c: C, i?: number) => S;
  /** Opens the image (at its snapshot), runs, closes. */
  withImage: <T>(c: C, s: S, run: (img: Image) => Promise<T>, readOnly?: boolean) => Promise<T>;
  /** rbd's "rbd: WHAT: (errno) text" line for a RadosError, as the thrown RbdError. */
  fail: (what: string, e: unknown) => never;
  /** An "rbd: …" line and exit code. */
  error: (message: string, code: number) => Error;
  /** JSON as rbd's formatter prints it. */
  json: (c: C, v: unknown) => string;
}

/**
 * utils::init_and_open_image: the image opened at the head, then set to the spec's snapshot
 * (an unknown one: "error setting snapshot context: …", rbd's line without its prefix).
 */
function withImageAt<C extends DiffVerbCtx, S extends DiffVerbSpec, T>(c: C, h: DiffVerbHelpers<C, S>, s: S, run: (img: Image) => Promise<T>): Promise<T> {
  return h.withImage(
    c,
    { ...s, snap: undefined },
    async (img) => {
      if (s.snap !== undefined) {
        const snap = s.snap;
        await img.setSnap(snap).catch((e: unknown) => {
          if (e instanceof RadosError) throw h.error(`error setting snapshot context: ${cppStrerror(e.errno)}`, e.errno);
          throw e;
        });
      }
      return run(img);
    },
    true,
  );
}

/** Diff.cc do_diff: `Offset Length Type` rows (nothing when empty), or a JSON array of extents. */
export async function diffVerb<C extends DiffVerbCtx, S extends DiffVerbSpec>(c: C, h: DiffVerbHelpers<C, S>): Promise<void> {
  const s = h.specArg(c);
  const from = c.values['from-snap'];
  const extents = await withImageAt(c, h, s, async (img) => {
    const out: DiffExtent[] = [];
    try {
      for await (const x of img.diffExtents(0, img.size, from ?? null, { wholeObject: c.values['whole-object'] === true })) out.push(x);
    } catch (e) {
      h.fail('diff error', e);
    }
    return out;
  });
  if (c.format !== 'plain') {
    c.out.out(
      h.json(
        c,
        extents.map((x) => ({ offset: x.offset, length: x.length, exists: String(x.exists) })),
      ),
    );
    return;
  }
  if (extents.length === 0) return;
  const left = (heading: string): Column => ({ heading, headingAlign: 'left', align: 'left' });
  c.out.out(
    formatTextTable(
      [left('Offset'), left('Length'), left('Type')],
      extents.map((x) => [String(x.offset), String(x.length), x.exists ? 'data' : 'zero']),
    ),
  );
}

/** ExportDiff.cc: the stream to FILE (created exclusively, removed again on failure) or to stdout for '-'. */
export async function exportDiffVerb<C extends DiffVerbCtx, S extends DiffVerbSpec>(c: C, h: DiffVerbHelpers<C, S>): Promise<void> {
  const s = h.specArg(c);
  const path = c.args[1];
  if (path === undefined) throw h.error('rbd: path was not specified', 22);
  const from = c.values['from-snap'];
  await withImageAt(c, h, s, async (img) => {
    const file = path === '-' ? undefined : await open(path, 'wx', 0o644).catch((e: unknown) => h.fail('export-diff error', asRadosError(e)));
    try {
      const reader = img.exportDiff({ ...(from !== undefined ? { fromSnapshot: from } : {}), wholeObject: c.values['whole-object'] === true }).getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        if (file) await file.write(r.value);
        else c.out.out(r.value);
      }
      await file?.close();
    } catch (e) {
      await file?.close();
      if (file) await rm(path, { force: true });
      h.fail('export-diff error', e);
    }
  });
}

/** ImportDiff.cc: the stream from FILE or stdin applied to IMAGE. */
export async function importDiffVerb<C extends DiffVerbCtx, S extends DiffVerbSpec>(c: C, h: DiffVerbHelpers<C, S>): Promise<void> {
  const path = c.args[0];
  if (path === undefined) throw h.error('rbd: path was not specified', 22);
  const s = h.specArg(c, 1);
  const data = path === '-' ? await c.out.readStdin() : new Uint8Array(await readFile(path).catch((e: unknown) => h.fail('import-diff failed', asRadosError(e))));
  await h.withImage(c, s, async (img) => {
    const source = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(data);
        controller.close();
      },
    });
    await img.importDiff(source).catch((e: unknown) => {
      if (e instanceof RadosError && e.errno === Errno.EEXIST) c.out.err(`${e.message.replace(/ in image .*$/, '')}, aborting\n`);
      if (e instanceof RadosError && e.errno === Errno.EINVAL && e.message.startsWith('start snapshot'))
        c.out.err(`${e.message.replace(/ in image .*$/, ' in the image')}, aborting\n`);
      h.fail('import-diff failed', e);
    });
  });
}

/** A file system error as the errno rbd reports it. */
function asRadosError(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  const errno = code === 'EEXIST' ? Errno.EEXIST : code === 'ENOENT' ? Errno.ENOENT : code === 'EACCES' ? Errno.EACCES : undefined;
  return errno === undefined ? e : new RadosError((e as Error).message, errno);
}
