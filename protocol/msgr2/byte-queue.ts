/**
 * Bytes received but not yet parsed, kept as the chunks they arrived in. `take(n)` returns
 * exactly n bytes, copying only when they span chunks, so a parser can accept any chunking
 * (one byte at a time or a whole 4 MiB frame at once).
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private size = 0;

  /** Bytes queued. */
  get length(): number {
    return this.size;
  }

  /** Queues a chunk as is (not copied; the caller must not reuse it). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Removes and returns the first n bytes; the caller checks `length >= n` first. */
  take(n: number): Uint8Array {
    if (n > this.size) throw new RangeError(`take(${n}) with ${this.size} queued`);
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      this.size -= n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return out;
    }
    const out = new Uint8Array(n);
    this.takeInto(out);
    return out;
  }

  /** Moves as many queued bytes as fit into the start of dest; returns how many. */
  takeInto(dest: Uint8Array): number {
    let filled = 0;
    while (filled < dest.length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const part = Math.min(c.length - this.head, dest.length - filled);
      dest.set(c.subarray(this.head, this.head + part), filled);
      filled += part;
      this.head += part;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.size -= filled;
    return filled;
  }

  /** Drops everything queued. */
  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.size = 0;
  }
}
