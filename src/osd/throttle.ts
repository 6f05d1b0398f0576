// The Objecter's in-flight limits (objecter_inflight_ops = 1024, objecter_inflight_op_bytes =
// 100 MiB): past either, new ops wait — backpressure to the caller instead of unbounded memory.
export class Throttle {
  private ops = 0;
  private bytes = 0;
  private readonly waiters: Array<{ bytes: number; go: () => void }> = [];
  readonly maxOps: number;
  readonly maxBytes: number;

  constructor(maxOps = 1024, maxBytes = 100 << 20) {
    this.maxOps = maxOps;
    this.maxBytes = maxBytes;
  }

  get inFlight(): { ops: number; bytes: number } {
    return { ops: this.ops, bytes: this.bytes };
  }

  private fits(bytes: number): boolean {
    // One op larger than the byte limit still goes alone, as in Ceph.
    return this.ops < this.maxOps && (this.bytes + bytes <= this.maxBytes || this.ops === 0);
  }

  acquire(bytes: number): Promise<void> | undefined {
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.ops++;
      this.bytes += bytes;
      return undefined;
    }
    return new Promise((go) => this.waiters.push({ bytes, go }));
  }

  release(bytes: number): void {
    this.ops--;
    this.bytes -= bytes;
    while (this.waiters.length > 0 && this.fits(this.waiters[0]!.bytes)) {
      const w = this.waiters.shift()!;
      this.ops++;
      this.bytes += w.bytes;
      w.go();
    }
  }
}
