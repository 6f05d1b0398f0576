// Streaming msgr2 frame parser: push bytes in any chunking, pull whole frames out. The codec
// (crc or secure) can be swapped between frames, as the connection does right after AUTH_DONE.
import { ByteQueue } from './byte-queue.ts';
import type { Frame } from './frame.ts';
import type { FrameCodec, FrameHead } from './frame-codec.ts';

/** Turns a byte stream into msgr2 frames: push what arrives, call next() until it returns undefined. */
export class FrameDecoder {
  private readonly queue = new ByteQueue();
  private codec: FrameCodec;
  private head: FrameHead | undefined;
  private restLen = 0;

  /** Sees every byte consumed, as it was on the wire (msgr2 signs the pre-auth bytes). */
  private readonly onBytes: ((b: Uint8Array) => void) | undefined;

  constructor(codec: FrameCodec, onBytes?: (b: Uint8Array) => void) {
    this.codec = codec;
    this.onBytes = onBytes;
  }

  /** Use another codec from the next frame on (the current one must be complete). */
  setCodec(codec: FrameCodec): void {
    if (this.head) throw new Error('cannot switch frame codec in the middle of a frame');
    this.codec = codec;
  }

  /** Queues received bytes (not copied). */
  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Bytes pushed but not yet consumed (e.g. to hand a banner's tail back). */
  get buffered(): number {
    return this.queue.length;
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
    }
    if (this.queue.length < this.restLen) return undefined;
    const head = this.head;
    this.head = undefined;
    const rest = this.queue.take(this.restLen);
    this.onBytes?.(rest);
    const f = this.codec.decodeRest(head, rest);
    return f instanceof Promise ? await f : f;
  }
}
