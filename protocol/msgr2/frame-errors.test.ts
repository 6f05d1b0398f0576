// Bad bytes close the stream with ProtocolError (never a crash, hang or huge allocation), and
// secure mode round-trips frames from a real session under a known key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../crypto/crypto-provider.ts';
import { DecodeError } from '../encoding/decode-error.ts';
import { crc32c } from '../checksum/crc32c.ts';
import { ProtocolError } from '../errors.ts';
import { BANNER_HEAD_LENGTH } from './banner.ts';
import { CrcFrameCodec, FrameAbortedError } from './crc-frame-codec.ts';
import type { Frame } from './frame.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { GcmNonce, SecureFrameCodec } from './secure-frame-codec.ts';
import { Tag } from './tags.ts';

const RX = new Uint8Array(readFileSync(new URL('../../fixtures/msgr2/mon-authnone-crc.rx.bin', import.meta.url)));
const BANNER_LEN = BANNER_HEAD_LENGTH + (RX[8]! | (RX[9]! << 8));
const FRAMES = RX.subarray(BANNER_LEN);

async function drain(d: FrameDecoder): Promise<Frame[]> {
  const out: Frame[] = [];
  for (let f = await d.next(); f; f = await d.next()) out.push(f);
  return out;
}

async function framesOf(bytes: Uint8Array): Promise<Frame[]> {
  const d = new FrameDecoder(new CrcFrameCodec());
  d.push(bytes);
  return drain(d);
}

function withPreamble(mutate: (p: DataView) => void): Uint8Array {
  const b = FRAMES.slice();
  const v = new DataView(b.buffer);
  mutate(v);
  v.setUint32(28, crc32c(0, b, 0, 28), true); // a valid crc, so the field check itself is tested
  return b;
}

describe('crc mode: bad frames', () => {
  it('a flipped bit in the preamble is a crc mismatch', async () => {
    const b = FRAMES.slice();
    b[3]! ^= 0x10;
    await expect(framesOf(b)).rejects.toThrow(ProtocolError);
    await expect(framesOf(b)).rejects.toThrow(/preamble crc/);
  });
  it('a flipped bit in a segment is a segment crc mismatch', async () => {
    const b = FRAMES.slice();
    b[40]! ^= 0x01;
    await expect(framesOf(b)).rejects.toThrow(/segment 0 crc mismatch/);
  });
  it('an unknown tag is refused', async () => {
    await expect(framesOf(withPreamble((v) => v.setUint8(0, 99)))).rejects.toThrow(/unknown frame tag 99/);
  });
  it('an absurd segment length is refused before anything is allocated', async () => {
    await expect(framesOf(withPreamble((v) => v.setUint32(2, 0xfffffff0, true)))).rejects.toThrow(/exceeds/);
  });
  it('a segment count of 0 or 5 is refused', async () => {
    await expect(framesOf(withPreamble((v) => v.setUint8(1, 0)))).rejects.toThrow(ProtocolError);
    await expect(framesOf(withPreamble((v) => v.setUint8(1, 5)))).rejects.toThrow(ProtocolError);
  });
  it('a truncated frame waits for more bytes instead of failing or hanging', async () => {
    const all = await framesOf(FRAMES);
    const d = new FrameDecoder(new CrcFrameCodec());
    d.push(FRAMES.subarray(0, FRAMES.length - 3));
    expect((await drain(d)).length).toBe(all.length - 1);
    d.push(FRAMES.subarray(FRAMES.length - 3));
    expect((await drain(d)).length).toBe(1);
  });
  it('an aborted frame (late_status) is reported as such', async () => {
    const codec = new CrcFrameCodec();
    const chunks = codec.encode({ tag: Tag.MESSAGE, segments: [new Uint8Array(41), new Uint8Array([1, 2, 3])] });
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) bytes.set(c, (at += c.length) - c.length);
    bytes[bytes.length - 13] = 0x01; // FRAME_LATE_STATUS_ABORTED
    await expect(framesOf(bytes)).rejects.toThrow(FrameAbortedError);
  });
  it('random mutations of real frames never escape as anything but ProtocolError/DecodeError (bounded)', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const deadline = Date.now() + 1500;
    let cases = 0;
    while (Date.now() < deadline) {
      const b = FRAMES.slice(0, 1 + rand(FRAMES.length));
      for (let k = 0, n = 1 + rand(4); k < n; k++) b[rand(b.length)] = rand(256);
      try {
        await framesOf(b);
      } catch (e) {
        if (!(e instanceof ProtocolError || e instanceof DecodeError || e instanceof FrameAbortedError)) throw e;
      }
      cases++;
    }
    expect(cases).toBeGreaterThan(100);
  });
});

describe('secure mode', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
  const nonceA = Uint8Array.from({ length: 12 }, (_, i) => 100 + i);
  const nonceB = Uint8Array.from({ length: 12 }, (_, i) => 200 + i);

  it('round-trips every frame of a real session, inline and padded alike', async () => {
    const frames = await framesOf(FRAMES);
    const sender = await SecureFrameCodec.create(webCryptoProvider, { key, txNonce: nonceA, rxNonce: nonceB });
    const receiver = await SecureFrameCodec.create(webCryptoProvider, { key, txNonce: nonceB, rxNonce: nonceA });
    const d = new FrameDecoder(receiver);
    for (const f of frames) {
      for (const c of await sender.encode(f)) d.push(c);
    }
    const back = await drain(d);
    expect(back.length).toBe(frames.length);
    back.forEach((f, i) => {
      expect(f.tag).toBe(frames[i]!.tag);
      expect(f.segments).toEqual(frames[i]!.segments);
    });
    expect(d.buffered).toBe(0);
  });

  it('a tampered byte fails GCM authentication with ProtocolError', async () => {
    const sender = await SecureFrameCodec.create(webCryptoProvider, { key, txNonce: nonceA, rxNonce: nonceB });
    const receiver = await SecureFrameCodec.create(webCryptoProvider, { key, txNonce: nonceB, rxNonce: nonceA });
    const [wire] = await sender.encode({ tag: Tag.KEEPALIVE2, segments: [new Uint8Array(8)] });
    wire![5]! ^= 1;
    const d = new FrameDecoder(receiver);
    d.push(wire!);
    await expect(d.next()).rejects.toThrow(/GCM authentication/);
  });

  it('nonces advance per GCM operation (counter little-endian after the fixed part)', () => {
    const n = new GcmNonce(new Uint8Array([1, 2, 3, 4, 0xff, 0, 0, 0, 0, 0, 0, 0]));
    expect([...n.next()]).toEqual([1, 2, 3, 4, 0xff, 0, 0, 0, 0, 0, 0, 0]);
    expect([...n.next()]).toEqual([1, 2, 3, 4, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});
