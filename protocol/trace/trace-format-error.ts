// The error a rados-ts trace file that is not one, or whose records are damaged, is refused with.
/** The bytes are not a rados-ts trace file, or a record in it does not have a trace record's shape. */
export class TraceFormatError extends TypeError {
  /** Always 'TraceFormatError'. */
  override name = 'TraceFormatError';
}
