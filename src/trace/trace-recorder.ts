// Records every frame of a client to a trace file (`Rados.connect({ trace })`), cheaply enough to
// leave on: a frame is one msgpack record written into a large buffer (frame-record-writer.ts)
// that a sink drains in the background. Authentication frames and MAuth messages carry sealed tickets and keys, which a
// keyring can open: they are left out (their lengths kept) unless `secrets` is asked for. So is
// the data segment (a command's input, an ack's output) of the monitor commands that carry keys
// (`auth get-key`, `auth import`, …: secret-mon-commands.ts); their front, the command and its
// result, stays.
import { MsgType } from '../../protocol/messages/message-types.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import type { FrameEvent } from '../msgr2/frame-trace.ts';
import { FrameRecordWriter } from './frame-record-writer.ts';
import { commandCarriesSecrets, monCommandOf } from './secret-mon-commands.ts';
import { TRACE_MAGIC, type TraceHeader, traceEncoder } from './trace-file.ts';

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

const EMPTY = new Uint8Array(0);

function messageType(e: FrameEvent): number | undefined {
  const h = e.segments[0];
  return e.tag === Tag.MESSAGE && h !== undefined && h.length >= 18 ? h[16]! | (h[17]! << 8) : undefined;
}

function messageTid(e: FrameEvent): string {
  const h = e.segments[0]!;
  return String(new DataView(h.buffer, h.byteOffset, h.byteLength).getBigUint64(8, true));
}

/** Appends frames to a sink; `frame` is the hook to give the messenger. */
export class TraceRecorder {
  readonly #sink: TraceSink;
  readonly #secrets: boolean;
  readonly #t0 = performance.now();
  /** The magic and header, until the first flush writes them. */
  #head: Uint8Array[] = [];
  readonly #records = new FrameRecordWriter();
  #writing: Promise<void> = Promise.resolve();
  #failed: Error | undefined;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** "connection:tid" of key-carrying monitor commands sent, until their ack is seen. */
  readonly #secretTids = new Set<string>();

  private constructor(sink: TraceSink, entity: string, secrets: boolean, encode: (record: TraceHeader) => Uint8Array) {
    this.#sink = sink;
    this.#secrets = secrets;
    this.#head = [TRACE_MAGIC, encode({ format: 'rados-ts-trace', version: 1, startedMs: Date.now(), entity, secrets })];
  }

  /** A recorder writing to `sink` as `entity`; `secrets` keeps authentication payloads. */
  static async open(sink: TraceSink, entity: string, secrets = false): Promise<TraceRecorder> {
    return new TraceRecorder(sink, entity, secrets, await traceEncoder());
  }

  /**
   * What of a frame to leave out: 'frame' (authentication: all but a MESSAGE's header), 'data'
   * (a key-carrying monitor command's data segment), or nothing.
   */
  #hidden(e: FrameEvent): 'frame' | 'data' | undefined {
    if (AUTH_TAGS.has(e.tag)) return 'frame';
    const type = messageType(e);
    if (type === undefined) return undefined;
    if (AUTH_MESSAGES.has(type)) return 'frame';
    if (type !== MsgType.MON_COMMAND && type !== MsgType.MON_COMMAND_ACK) return undefined;
    // The ack echoes the command (MMonCommandAck::cmd); its tid is the request's too, which
    // covers an ack whose front does not decode.
    const key = `${e.connection}:${messageTid(e)}`;
    const ack = type === MsgType.MON_COMMAND_ACK;
    const cmd = monCommandOf(e.segments[1] ?? EMPTY, ack);
    const secret = cmd === undefined || commandCarriesSecrets(cmd) || (ack && this.#secretTids.has(key));
    if (ack) this.#secretTids.delete(key);
    else if (secret) this.#secretTids.add(key);
    return secret && (e.segments[3]?.length ?? 0) > 0 ? 'data' : undefined;
  }

  /** The frame hook (bound). */
  readonly frame = (e: FrameEvent): void => {
    if (this.#closed) return;
    const hide = this.#secrets ? undefined : this.#hidden(e);
    const record = { t: Math.round((performance.now() - this.#t0) * 1e6), c: e.connection, d: e.direction, p: e.peer, m: e.mode, g: e.tag };
    const lengths = (): number[] => e.segments.map((s) => s.length);
    if (hide === undefined) this.#records.append(record, e.segments);
    // A command's header, front (the command, its result) and middle stay; the data goes.
    else if (hide === 'data') this.#records.append(record, [...e.segments.slice(0, 3), EMPTY], lengths());
    // A MESSAGE's header stays (its type says what was left out); the rest goes.
    else this.#records.append(record, e.tag === Tag.MESSAGE ? e.segments.slice(0, 1) : [], lengths());
    if (this.#records.size >= FLUSH_BYTES) this.#flush();
    else if (this.#timer === undefined) {
      // A quiet client's frames reach the file within a second, not only at close.
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, 1000);
      (this.#timer as { unref?: () => void }).unref?.();
    }
  };

  #flush(): void {
    const parts = [...this.#head, ...this.#records.take()];
    this.#head = [];
    if (parts.length === 0) return;
    this.#writing = this.#writing.then(async () => {
      if (this.#failed) return;
      try {
        for (const p of parts) await this.#sink.write(p);
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
