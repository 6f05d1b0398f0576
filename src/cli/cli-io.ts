// What a `rados-ts` subcommand writes to and reads from: stdout (text or bytes), stderr and
// stdin, injected so the commands run the same under Node, Deno and Bun and in tests.

export interface CliIo {
  /** Standard output: text, or bytes as they are (`rados get OBJ -`). */
  out: (s: string | Uint8Array) => void;
  /** Standard error. */
  err: (s: string) => void;
  /** All of standard input (`rados put OBJ -`). */
  readStdin: () => Promise<Uint8Array>;
}

/** A command line the command cannot run: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  /** The usage text to print after the message. */
  readonly help: string | undefined;
  constructor(message: string, help?: string) {
    super(message);
    this.help = help;
  }
}
