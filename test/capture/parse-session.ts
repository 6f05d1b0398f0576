// Splits one direction of a captured msgr2.1 crc-mode session into its banner and frames,
// keeping each frame's raw bytes and offset (AUTH_SIGNATURE signs raw pre-auth bytes).
import { readFileSync } from 'node:fs';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';
import { BANNER_HEAD_LENGTH, decodeBannerHead } from '../../protocol/msgr2/banner.ts';
import { CrcFrameCodec } from '../../protocol/msgr2/crc-frame-codec.ts';
import type { Frame } from '../../protocol/msgr2/frame.ts';
import { FrameDecoder } from '../../protocol/msgr2/frame-decoder.ts';
import { fixturePath } from '../fixtures/fixtures-root.ts';

export interface ParsedFrame {
  frame: Frame;
  raw: Uint8Array;
  /** Offset just past this frame in the stream. */
  end: number;
}

export interface ParsedSession {
  bytes: Uint8Array;
  banner: Uint8Array;
  frames: ParsedFrame[];
}

export async function parseSession(bytes: Uint8Array): Promise<ParsedSession> {
  const bannerLen = BANNER_HEAD_LENGTH + decodeBannerHead(bytes.subarray(0, BANNER_HEAD_LENGTH));
  let raw: Uint8Array[] = [];
  let consumed = bannerLen;
  const d = new FrameDecoder(new CrcFrameCodec(), (b) => {
    raw.push(b);
    consumed += b.length;
  });
  d.push(bytes.subarray(bannerLen));
  const frames: ParsedFrame[] = [];
  for (let f = await d.next(); f; f = await d.next()) {
    frames.push({ frame: f, raw: concatBytes(raw), end: consumed });
    raw = [];
  }
  if (d.buffered !== 0) throw new Error(`${d.buffered} bytes left after the last whole frame`);
  return { bytes, banner: bytes.subarray(0, bannerLen), frames };
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath('capture', name)));
}
