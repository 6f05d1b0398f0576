// Errors of the capture readers: a file that is not a capture, or a block that cannot be.
/** The bytes are not a pcap/pcapng capture, or a record in it is impossible (not merely cut short). */
export class CaptureFormatError extends Error {
  override name = 'CaptureFormatError';
}
