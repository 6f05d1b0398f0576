// Streaming msgr2 frame parser: push bytes in any chunking, pull whole frames out. The codec
// (crc or secure) can be swapped between frames, as the connection does right after AUTH_DONE.
import { ByteQueue } from './byte-queue.ts';
import type { Frame } from './frame.ts';
import type { FrameCodec, FrameHead } from './frame-codec.ts';

/** A frame body at least this long is received into one buffer of its final size. */
const DIRECT_FROM = 128 << 10;

/** How a large frame's body is received: both optional (Transport.allocate and Transport.readInto). */
export interface BodyReceiver {
  /** Memory the decoder fills completely before use (need not be zeroed). */
  allocate?: (length: number) => Uint8Array;
  /** Asks the transport to read the stream's next bytes straight into dest. */
  readInto?: (dest: Uint8Array) => void;
}

/** Turns a byte stream into msgr2 frames: push what arrives, call next() until it returns undefined. */
export class FrameDecoder {
  private readonly queue = new ByteQueue();
  private codec: FrameCodec;
  private head: FrameHead | undefined;
  private restLen = 0;
  /** A large frame's body, filled as bytes arrive instead of gathered from the queue at the end. */
  private body: { buf: Uint8Array; filled: number } | undefined;

  /** Sees every byte consumed, as it was on the wire (msgr2 signs the pre-auth bytes). */
  private readonly onBytes: ((b: Uint8Array) => void) | undefined;
  private readonly receiver: BodyReceiver;

  constructor(codec: FrameCodec, onBytes?: (b: Uint8Array) => void, receiver: BodyReceiver = {}) {
    this.codec = codec;
    this.onBytes = onBytes;
    this.receiver = receiver;
  }

  /** Use another codec from the next frame on (the current one must be complete). */
  setCodec(codec: FrameCodec): void {
    if (this.head) throw new Error('cannot switch frame codec in the middle of a frame');
    this.codec = codec;
  }

  /**
   * Takes received bytes: queued as they are, or, while a large frame's body is being filled,
   * counted where the transport read them into it (a view at the fill point) or else copied in.
   */
  push(chunk: Uint8Array): void {
    const b = this.body;
    if (!b || b.filled === b.buf.length) {
      this.queue.push(chunk);
      return;
    }
    const room = b.buf.length - b.filled;
    const direct = chunk.buffer === b.buf.buffer && chunk.byteOffset === b.buf.byteOffset + b.filled && chunk.length <= room;
    const n = direct ? chunk.length : Math.min(room, chunk.length);
    if (!direct) b.buf.set(chunk.subarray(0, n), b.filled);
    b.filled += n;
    if (n < chunk.length) this.queue.push(chunk.subarray(n));
  }

  /** Bytes pushed but not yet consumed (e.g. to hand a banner's tail back). */
  get buffered(): number {
    return this.queue.length + (this.body?.filled ?? 0);
  }

  /** Takes raw bytes before framing starts (the banner). Returns undefined until n are queued. */
  takeRaw(n: number): Uint8Array | undefined {
    if (this.queue.length < n) return undefined;
    const b = this.queue.take(n);
    this.onBytes?.(b);
    return b;
  }

  /**
   * The next complete frame, or undefined when more bytes are needed. Throws ProtocolError
   * (or FrameAbortedError) for a broken frame; after a ProtocolError the stream is unusable.
   */
  async next(): Promise<Frame | undefined> {
    if (!this.head) {
      if (this.queue.length < this.codec.headLength) return undefined;
      const raw = this.queue.take(this.codec.headLength);
      this.onBytes?.(raw);
      const h = this.codec.decodeHead(raw);
      this.head = h instanceof Promise ? await h : h;
      this.restLen = this.codec.restLength(this.head);
      if (this.restLen - this.queue.length >= DIRECT_FROM) {
        const buf = this.receiver.allocate?.(this.restLen) ?? new Uint8Array(this.restLen);
        const filled = this.queue.takeInto(buf);
        this.body = { buf, filled };
        this.receiver.readInto?.(buf.subarray(filled));
      }
    }
    let rest: Uint8Array;
    if (this.body) {
      if (this.body.filled < this.restLen) return undefined;
      rest = this.body.buf;
      this.body = undefined;
    } else {
      if (this.queue.length < this.restLen) return undefined;
      rest = this.queue.take(this.restLen);
    }
    const head = this.head;
    this.head = undefined;
    this.onBytes?.(rest);
    const f = this.codec.decodeRest(head, rest);
    return f instanceof Promise ? await f : f;
  }
}
