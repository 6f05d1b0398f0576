// A transport that passes a real peer's crc-mode stream through our own frame parser and
// re-encodes every frame (byte-exact for well-formed frames), except that it can replace the
// front of chosen MESSAGE frames — valid frames carrying a message that does not decode.
import { CrcFrameCodec } from '../../protocol/msgr2/crc-frame-codec.ts';
import { FrameDecoder } from '../../protocol/msgr2/frame-decoder.ts';
import { decodeMessageHeader } from '../../protocol/msgr2/message-frame.ts';
import { BANNER_HEAD_LENGTH, decodeBannerHead } from '../../protocol/msgr2/banner.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';
import type { Transport, TransportFactory } from '../../src/transport/transport.ts';

export interface ManglingOptions {
  ports: (port: number) => boolean;
  /** Called for each incoming message's type; a returned front replaces the real one. */
  mangle: (type: number, front: Uint8Array) => Uint8Array | undefined;
}

export function manglingTransport(inner: TransportFactory, opts: ManglingOptions): TransportFactory {
  return async (o) => {
    const t = await inner(o);
    if (!opts.ports(o.port)) return t;
    const wrapped: Transport = {
      write: (d) => t.write(d),
      async *readable() {
        const decoder = new FrameDecoder(new CrcFrameCodec());
        const codec = new CrcFrameCodec();
        let banner: Uint8Array | undefined = new Uint8Array(0);
        for await (const chunk of t.readable()) {
          if (banner) {
            // The banner is raw bytes: pass it through, then parse frames.
            banner = concatBytes([banner, chunk]);
            if (banner.length < BANNER_HEAD_LENGTH) continue;
            const total = BANNER_HEAD_LENGTH + decodeBannerHead(banner.subarray(0, BANNER_HEAD_LENGTH));
            if (banner.length < total) continue;
            yield banner.subarray(0, total);
            decoder.push(banner.subarray(total));
            banner = undefined;
          } else {
            decoder.push(chunk);
          }
          const out: Uint8Array[] = [];
          for (let f = await decoder.next(); f; f = await decoder.next()) {
            if (f.tag === Tag.MESSAGE) {
              const replaced = opts.mangle(decodeMessageHeader(f.segments[0]!).type, f.segments[1]!);
              if (replaced) f.segments[1] = replaced;
            }
            out.push(...codec.encode(f));
          }
          if (out.length > 0) yield concatBytes(out);
        }
      },
      close: () => t.close(),
    };
    return wrapped;
  };
}
