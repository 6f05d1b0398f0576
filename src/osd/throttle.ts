// The Objecter's in-flight limits (objecter_inflight_ops = 1024, objecter_inflight_op_bytes =
// 100 MiB): past either, new ops wait — backpressure to the caller instead of unbounded memory.
import { abortReason } from '../abort.ts';

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

  /**
   * Takes room for one op now (undefined) or returns a promise that resolves once there is room;
   * if `signal` aborts first, the promise rejects and the op leaves the queue having taken nothing.
   */
  acquire(bytes: number, signal?: AbortSignal): Promise<void> | undefined {
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.ops++;
      this.bytes += bytes;
      return undefined;
    }
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortReason(signal!));
        this.wake(); // the op at the head may have been blocking smaller ones behind it
      };
      const w = {
        bytes,
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiters.push(w);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(bytes: number): void {
    this.ops--;
    this.bytes -= bytes;
    this.wake();
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.fits(this.waiters[0]!.bytes)) {
      const w = this.waiters.shift()!;
      this.ops++;
      this.bytes += w.bytes;
      w.go();
    }
  }
}
