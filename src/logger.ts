/** Injectable logger; rados-ts is silent unless given one (console works as-is). */
export interface Logger {
  /** Protocol detail (frames, map epochs). */
  debug(msg: string, ...args: unknown[]): void;
  /** Connection and session events. */
  info(msg: string, ...args: unknown[]): void;
  /** Recoverable trouble (a retry, a dropped session). */
  warn(msg: string, ...args: unknown[]): void;
  /** Failures the library could not recover from by itself. */
  error(msg: string, ...args: unknown[]): void;
}

const noop = (): void => {};
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
