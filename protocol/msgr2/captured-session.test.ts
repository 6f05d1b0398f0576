// The monitor's own msgr2.1 crc-mode bytes (fixtures/msgr2, see its README) parsed in every
// chunking, each frame re-encoded byte for byte, each payload decoded and re-encoded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reader } from '../encoding/reader.ts';
import { decodeMonMap } from '../maps/monmap.ts';
import { decodeMonCommandAck, encodeMonCommandAck } from '../messages/mon-command.ts';
import { decodeMonMapMessage } from '../messages/mon-map-message.ts';
import { decodeOsdMapMessage } from '../messages/osd-map-message.ts';
import { decodeAuthDone, decodeHello, encodeAuthDone, encodeHello } from './auth-frames.ts';
import { BANNER_HEAD_LENGTH, decodeBannerHead, decodeBannerPayload, encodeBanner } from './banner.ts';
import { CrcFrameCodec } from './crc-frame-codec.ts';
import type { Frame } from './frame.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { decodeServerIdent, encodeServerIdent, decodeClientIdent, encodeClientIdent } from './ident-frames.ts';
import { encodeMessageHeader, frameToMessage } from './message-frame.ts';
import { Tag, tagName } from './tags.ts';
import { concatBytes } from '../encoding/concat-bytes.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/msgr2/${name}`, import.meta.url)));
const RX = fixture('mon-authnone-crc.rx.bin');
const TX = fixture('mon-authnone-crc.tx.bin');

interface Parsed {
  banner: Uint8Array;
  frames: Array<{ frame: Frame; raw: Uint8Array }>;
}

async function parse(stream: Uint8Array, chunk: (i: number) => number): Promise<Parsed> {
  let raw: Uint8Array[] = [];
  const d = new FrameDecoder(new CrcFrameCodec(), (b) => raw.push(b.slice()));
  let banner: Uint8Array | undefined;
  const frames: Parsed['frames'] = [];
  let at = 0;
  let i = 0;
  while (at < stream.length) {
    const n = Math.min(chunk(i++), stream.length - at);
    d.push(stream.subarray(at, at + n));
    at += n;
    if (!banner) {
      const head = d.takeRaw(BANNER_HEAD_LENGTH);
      if (!head) continue;
      // put back what we could not use yet: simplest is to require the whole banner in one go
      const len = decodeBannerHead(head);
      let payload = d.takeRaw(len);
      while (!payload) {
        const m = Math.min(chunk(i++), stream.length - at);
        d.push(stream.subarray(at, at + m));
        at += m;
        payload = d.takeRaw(len);
      }
      banner = concatBytes([head, payload]);
      raw = [];
    }
    for (let f = await d.next(); f; f = await d.next()) {
      frames.push({ frame: f, raw: concatBytes(raw) });
      raw = [];
    }
  }
  expect(d.buffered).toBe(0);
  return { banner: banner!, frames };
}

describe('a real monitor session (crc mode)', async () => {
  const whole = await parse(RX, () => RX.length);

  it('holds the frames of a whole session', () => {
    const tags = whole.frames.map((f) => tagName(f.frame.tag));
    expect(tags.slice(0, 4)).toEqual(['HELLO', 'AUTH_DONE', 'AUTH_SIGNATURE', 'SERVER_IDENT']);
    expect(tags.filter((t) => t === 'MESSAGE').length).toBeGreaterThanOrEqual(4);
    const b = decodeBannerPayload(whole.banner.subarray(BANNER_HEAD_LENGTH));
    expect(encodeBanner(b)).toEqual(whole.banner);
  });

  it('parses identically in any chunking', async () => {
    const oneByte = await parse(RX, () => 1);
    let seed = 7;
    const random = await parse(RX, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return 1 + (seed % 700);
    });
    for (const p of [oneByte, random]) {
      expect(p.frames.length).toBe(whole.frames.length);
      p.frames.forEach((f, i) => expect(f.raw).toEqual(whole.frames[i]!.raw));
    }
  });

  it('re-encodes every frame byte for byte', () => {
    const codec = new CrcFrameCodec();
    for (const { frame, raw } of whole.frames) expect(concatBytes(codec.encode(frame))).toEqual(raw);
  });

  it('decodes and re-encodes every payload', () => {
    let monmaps = 0;
    let acks = 0;
    let osdmaps = 0;
    for (const { frame } of whole.frames) {
      const seg = frame.segments[0]!;
      switch (frame.tag) {
        case Tag.HELLO:
          expect(encodeHello(decodeHello(seg))).toEqual(seg);
          break;
        case Tag.AUTH_DONE:
          expect(encodeAuthDone(decodeAuthDone(seg))).toEqual(seg);
          break;
        case Tag.SERVER_IDENT:
          expect(encodeServerIdent(decodeServerIdent(seg))).toEqual(seg);
          break;
        case Tag.AUTH_SIGNATURE:
          expect(seg.length).toBe(32);
          break;
        case Tag.MESSAGE: {
          const m = frameToMessage(frame);
          expect(encodeMessageHeader(m.header)).toEqual(seg);
          if (m.header.type === 4) {
            expect(decodeMonMap(decodeMonMapMessage(m.front)).monInfo.size).toBe(1);
            monmaps++;
          } else if (m.header.type === 51) {
            const ack = decodeMonCommandAck(m.front);
            expect(encodeMonCommandAck(ack)).toEqual(m.front);
            if (ack.r === 0) expect(JSON.parse(new TextDecoder().decode(m.data))).toHaveProperty('epoch');
            else expect(ack.r).toBe(-2);
            acks++;
          } else if (m.header.type === 41) {
            const om = decodeOsdMapMessage(m.front, m.header.version);
            expect(om.fulls.size + om.incrementals.size).toBeGreaterThan(0);
            osdmaps++;
          }
          break;
        }
      }
    }
    expect([monmaps >= 1, acks, osdmaps]).toEqual([true, 2, 1]);
  });

  it('our side of the same session parses and re-encodes too', async () => {
    const ours = await parse(TX, () => 13);
    expect(ours.frames.map((f) => tagName(f.frame.tag)).slice(0, 4)).toEqual(['HELLO', 'AUTH_REQUEST', 'AUTH_SIGNATURE', 'CLIENT_IDENT']);
    const ident = ours.frames[3]!.frame.segments[0]!;
    expect(encodeClientIdent(decodeClientIdent(ident))).toEqual(ident);
    const codec = new CrcFrameCodec();
    for (const { frame, raw } of ours.frames) expect(concatBytes(codec.encode(frame))).toEqual(raw);
  });

  it('reads the monmap epoch from the MMonMap front', () => {
    const m = whole.frames.map((f) => f.frame).find((f) => f.tag === Tag.MESSAGE && frameToMessage(f).header.type === 4)!;
    const r = new Reader(frameToMessage(m).front);
    expect(r.u32()).toBeGreaterThan(0);
  });
});
