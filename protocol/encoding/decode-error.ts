/**
 * Thrown for bytes that do not decode: a length past the end of the buffer,
 * a count that cannot fit in what is left, a struct whose `compat` is newer
 * than this decoder understands, or a value out of range.
 *
 * It carries the field being read and the byte offset where reading it
 * started, so a bad frame or map can be located without a debugger.
 */
export class DecodeError extends Error {
  /** Always 'DecodeError'. */
  override readonly name = 'DecodeError';
  /** The field being read, as a path (e.g. "MonMap.mon_info.public_addrs"). */
  readonly field: string;
  /** The byte offset in the buffer where reading the field started. */
  readonly offset: number;

  constructor(field: string, offset: number, reason: string) {
    super(`${field} at offset ${offset}: ${reason}`);
    this.field = field;
    this.offset = offset;
  }
}
