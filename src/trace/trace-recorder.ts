// Records every frame of a client to a trace file (`Rados.connect({ trace })`), cheaply enough to
// leave on: a frame is one msgpack record appended to a buffer that a sink drains in the
// background. Authentication frames and MAuth messages carry sealed tickets and keys, which a
// keyring can open: they are left out (their lengths kept) unless `secrets` is asked for.
import { MsgType } from '../../protocol/messages/message-types.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import type { FrameEvent } from '../msgr2/frame-trace.ts';
import { TRACE_MAGIC, type TraceFrame, type TraceHeader, traceEncoder } from './trace-file.ts';

/** Where trace bytes go: a file on Node, anything with write/close elsewhere. */
export interface TraceSink {
  /** Takes bytes to append; may return a promise the recorder waits for before the next write. */
  write(bytes: Uint8Array): void | Promise<void>;
  /** Called once, after the last write. */
  close(): Promise<void>;
}

const AUTH_TAGS = new Set<number>([Tag.AUTH_REQUEST, Tag.AUTH_BAD_METHOD, Tag.AUTH_REPLY_MORE, Tag.AUTH_REQUEST_MORE, Tag.AUTH_DONE, Tag.AUTH_SIGNATURE]);
const AUTH_MESSAGES = new Set<number>([MsgType.AUTH, MsgType.AUTH_REPLY]);
/** Bytes gathered before a write to the sink. */
const FLUSH_BYTES = 256 << 10;

function isSecret(e: FrameEvent): boolean {
  if (AUTH_TAGS.has(e.tag)) return true;
  if (e.tag !== Tag.MESSAGE) return false;
  const h = e.segments[0];
  return h !== undefined && h.length >= 18 && AUTH_MESSAGES.has(h[16]! | (h[17]! << 8));
}

/** Appends frames to a sink; `frame` is the hook to give the messenger. */
export class TraceRecorder {
  readonly #sink: TraceSink;
  readonly #secrets: boolean;
  readonly #t0 = performance.now();
  #parts: Uint8Array[] = [];
  #size = 0;
  #writing: Promise<void> = Promise.resolve();
  #failed: Error | undefined;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #encode: (record: TraceHeader | TraceFrame) => Uint8Array;

  private constructor(sink: TraceSink, entity: string, secrets: boolean, encode: (record: TraceHeader | TraceFrame) => Uint8Array) {
    this.#sink = sink;
    this.#secrets = secrets;
    this.#encode = encode;
    this.#push(TRACE_MAGIC);
    this.#push(encode({ format: 'rados-ts-trace', version: 1, startedMs: Date.now(), entity, secrets }));
  }

  /** A recorder writing to `sink` as `entity`; `secrets` keeps authentication payloads. */
  static async open(sink: TraceSink, entity: string, secrets = false): Promise<TraceRecorder> {
    return new TraceRecorder(sink, entity, secrets, await traceEncoder());
  }

  /** The frame hook (bound). */
  readonly frame = (e: FrameEvent): void => {
    if (this.#closed) return;
    const hide = !this.#secrets && isSecret(e);
    const record: TraceFrame = {
      t: Math.round((performance.now() - this.#t0) * 1e6),
      c: e.connection,
      d: e.direction,
      p: e.peer,
      m: e.mode,
      g: e.tag,
      // A MESSAGE's header stays (its type says what was left out); the rest goes.
      s: hide ? (e.tag === Tag.MESSAGE ? [e.segments[0]!] : []) : [...e.segments],
      ...(hide ? { r: e.segments.map((s) => s.length) } : {}),
    };
    this.#push(this.#encode(record));
    if (this.#size >= FLUSH_BYTES) this.#flush();
    else if (this.#timer === undefined) {
      // A quiet client's frames reach the file within a second, not only at close.
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, 1000);
      (this.#timer as { unref?: () => void }).unref?.();
    }
  };

  #push(b: Uint8Array): void {
    this.#parts.push(b);
    this.#size += b.length;
  }

  #flush(): void {
    if (this.#parts.length === 0) return;
    const parts = this.#parts;
    this.#parts = [];
    this.#size = 0;
    this.#writing = this.#writing.then(async () => {
      if (this.#failed) return;
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      try {
        await this.#sink.write(all);
      } catch (e) {
        this.#failed = e as Error; // reported by close(): tracing never fails the client's own calls
      }
    });
  }

  /** Writes what is buffered and closes the sink; rejects if any write failed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#flush();
    await this.#writing;
    await this.#sink.close();
    if (this.#failed) throw new Error(`trace: writing failed: ${this.#failed.message}`, { cause: this.#failed });
  }
}
