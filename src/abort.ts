import { TimeoutError } from '../protocol/errors.ts';

/** What every call accepts: a signal to abort it and a timeout. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds before the call rejects with TimeoutError. */
  timeoutMs?: number;
}

/** A signal that never aborts: what calls without a signal or timeout share (no allocation per call). */
export const NEVER: AbortSignal = new AbortController().signal;

/** One signal for "the caller aborted or the timeout passed"; the reason is a TimeoutError for the latter. */
export function callSignal(opts: CallOptions | undefined, defaultTimeoutMs: number, what: string): AbortSignal {
  const timeoutMs = opts?.timeoutMs ?? defaultTimeoutMs;
  const signals: AbortSignal[] = [];
  if (opts?.signal) signals.push(opts.signal);
  if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
    const c = new AbortController();
    const t = setTimeout(() => c.abort(new TimeoutError(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    (t as { unref?: () => void }).unref?.();
    signals.push(c.signal);
  }
  if (signals.length === 0) return NEVER;
  return signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
}

/** Rejects when `signal` aborts; the returned cleanup removes the listener. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** How a call kept in a table until its reply comes is settled (see `pendingSettlers`). */
export interface Settlers<T> {
  /** Settles with the reply, removing the abort listener. */
  resolve: (v: T) => void;
  /** Settles with an error, removing the abort listener. */
  reject: (e: Error) => void;
}

/**
 * Settle functions for a call answered later through a table (a tid's entry): each removes the
 * signal's listener as it settles, and `onAbort` runs if the signal fires first. Undefined (and
 * the promise rejected) when the signal has already fired.
 */
export function pendingSettlers<T>(signal: AbortSignal, onAbort: () => void, resolve: (v: T) => void, reject: (e: Error) => void): Settlers<T> | undefined {
  if (signal.aborted) {
    reject(abortReason(signal));
    return undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    resolve: (v) => {
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    },
    reject: (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    },
  };
}

export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new TimeoutError(describeReason(r));
}

/** A non-Error abort reason as a message: an object as JSON, where String() would say "[object Object]". */
function describeReason(r: unknown): string {
  switch (typeof r) {
    case 'string':
      return r;
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'symbol':
      return r.toString();
    case 'undefined':
      return 'aborted';
    case 'object':
    case 'function':
      // JSON.stringify gives undefined for a function and throws on a cycle.
      try {
        return (r === null ? undefined : JSON.stringify(r)) ?? 'aborted';
      } catch {
        return 'aborted';
      }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
