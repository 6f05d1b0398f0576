// On-wire compression handshake of msgr2.1 (Quincy+, src/msg/async/frames_v2.h
// CompressionRequestFrame / CompressionDoneFrame). A client that wants compression sends
// COMPRESSION_REQUEST after auth, before CLIENT_IDENT, when both banners carry the COMPRESSION
// feature; the server answers COMPRESSION_DONE with the method it chose. rados-ts does not
// advertise that feature (we never compress, see the README), so daemons never start it with us;
// the codecs are here so captures of librados' sessions decode whole.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';

/** Compression algorithms (src/compressor/Compressor.h COMP_ALG_*), as `preferred_methods` names them. */
export const CompressionMethod = { NONE: 0, SNAPPY: 1, ZLIB: 2, ZSTD: 3, LZ4: 4, BROTLI: 5 } as const;

export interface CompressionRequest {
  isCompress: boolean;
  preferredMethods: number[];
}

/** COMPRESSION_REQUEST: bool is_compress, then a u32-counted list of u32 methods. */
export function encodeCompressionRequest(c: CompressionRequest): Uint8Array {
  const w = new Writer(5 + 4 * c.preferredMethods.length);
  w.bool(c.isCompress).u32(c.preferredMethods.length);
  for (const m of c.preferredMethods) w.u32(m);
  return w.finish();
}

export function decodeCompressionRequest(b: Uint8Array): CompressionRequest {
  const r = new Reader(b);
  const isCompress = r.bool('compression_request.is_compress');
  const n = r.u32('compression_request.preferred_methods');
  if (n * 4 > r.remaining) r.fail('compression_request.preferred_methods', `${n} methods in ${r.remaining} bytes`);
  const preferredMethods = Array.from({ length: n }, () => r.u32('compression_request.method'));
  r.expectEnd('compression_request');
  return { isCompress, preferredMethods };
}

export interface CompressionDone {
  isCompress: boolean;
  method: number;
}

/** COMPRESSION_DONE: bool is_compress, u32 method. */
export function encodeCompressionDone(c: CompressionDone): Uint8Array {
  return new Writer(5).bool(c.isCompress).u32(c.method).finish();
}

export function decodeCompressionDone(b: Uint8Array): CompressionDone {
  const r = new Reader(b);
  const out = { isCompress: r.bool('compression_done.is_compress'), method: r.u32('compression_done.method') };
  r.expectEnd('compression_done');
  return out;
}
