// What every `rados-ts rados` verb shares: its table entry, what it runs with, and the error
// lines rados prints for a failed call.
import { RadosError } from '../../protocol/errors.ts';
import { cppStrerror } from '../../protocol/trace/errno-text.ts';
import type { Rados } from '../index.ts';
import type { IoCtx } from '../ioctx.ts';
import type { CliIo } from './cli-io.ts';

/** One verb of the table. */
export interface Verb {
  /** Needs `-p POOL`. */
  pool: boolean;
  /** Positional arguments after the verb: at least, at most. */
  args: [number, number];
  run(c: VerbContext): Promise<void>;
}

/** What a verb runs with. */
export interface VerbContext {
  rados: Rados;
  io: IoCtx | undefined;
  pool: string;
  args: string[];
  format: 'plain' | 'json' | 'json-pretty';
  /** Whether `--format` was given (the lock verbs default to JSON and refuse `plain`). */
  formatGiven: boolean;
  offset: number | undefined;
  all: boolean;
  /** The `--lock-*` options. */
  lock: { cookie: string; tag: string; description: string; type: string | undefined; duration: string | undefined };
  out: CliIo;
}

/** A failed call as rados prints it, e.g. "error removing rbd>x: (2) No such file or directory". */
export class VerbError extends Error {
  /** rados writes a few of its errors on stdout ("No such key: …"). */
  readonly stream: 'err' | 'out';
  /** The exit status: 1, or a few verbs' negative errno as a byte (234 for -EINVAL). */
  readonly status: number;
  constructor(message: string, stream: 'err' | 'out' = 'err', status = 1) {
    super(message);
    this.stream = stream;
    this.status = status;
  }
}

export function fail(what: string, e: unknown): never {
  if (e instanceof RadosError) throw new VerbError(`${what}: ${cppStrerror(e.errno)}`);
  throw e;
}

export const ioOf = (c: VerbContext): IoCtx => c.io!;

/** Ceph's JSONFormatter: compact with no newline for json, four-space indents and a newline for json-pretty. */
export function formatJson(c: VerbContext, v: unknown): string {
  return c.format === 'json-pretty' ? `${JSON.stringify(v, null, 4)}\n` : JSON.stringify(v);
}
