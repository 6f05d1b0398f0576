// msgr2.1 frame encode/decode throughput, crc and secure (Web Crypto AES-128-GCM), for MESSAGE
// frames carrying 4 KiB and 4 MiB of data.
import { type CryptoProvider, webCryptoProvider } from '../protocol/crypto/crypto-provider.ts';
import { nodeCryptoProvider } from '../src/crypto/node-crypto-provider.ts';
import { CrcFrameCodec } from '../protocol/msgr2/crc-frame-codec.ts';
import type { FrameCodec } from '../protocol/msgr2/frame-codec.ts';
import { FrameDecoder } from '../protocol/msgr2/frame-decoder.ts';
import { messageToFrame } from '../protocol/msgr2/message-frame.ts';
import { SecureFrameCodec } from '../protocol/msgr2/secure-frame-codec.ts';
import { fmt, table } from './measure.ts';

async function timeAsync(fn: () => Promise<void>, ms: number): Promise<number> {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

export default async function bench(): Promise<void> {
  console.log('\n## msgr2.1 MESSAGE frames (MB/s of data, higher is better)');
  const key = new Uint8Array(16).fill(7);
  const a = new Uint8Array(12).fill(1);
  const b = new Uint8Array(12).fill(2);
  const rows: Array<Array<string | number>> = [['mode', 'data', 'encode MB/s', 'decode MB/s']];
  const modes: Array<['crc' | 'secure', CryptoProvider | undefined]> = [
    ['crc', undefined],
    ['secure', webCryptoProvider],
    ['secure', nodeCryptoProvider],
  ];
  for (const [mode, provider] of modes) {
    for (const [label, size] of [
      ['4 KiB', 4096],
      ['4 MiB', 4 << 20],
    ] as const) {
      const data = new Uint8Array(size).map((_, i) => i * 31);
      const frame = messageToFrame({
        header: { seq: 1n, tid: 1n, type: 42, priority: 127, version: 8, dataPrePaddingLen: 0, dataOff: 0, ackSeq: 0n, flags: 0, compatVersion: 3, reserved: 0 },
        front: new Uint8Array(200),
        middle: new Uint8Array(0),
        data,
      });
      const make = async (tx: Uint8Array, rx: Uint8Array): Promise<FrameCodec> =>
        mode === 'crc' ? new CrcFrameCodec() : SecureFrameCodec.create(provider!, { key, txNonce: tx, rxNonce: rx });
      const enc = await make(a, b);
      const encRate = await timeAsync(async () => {
        await enc.encode(frame);
      }, 400);
      // Decode: pre-encode a batch with a sender whose nonces match the receiver's.
      const sender = await make(a, b);
      const receiver = await make(b, a);
      const wires: Uint8Array[][] = [];
      for (let i = 0; i < (size > 65536 ? 40 : 4000); i++) wires.push(await sender.encode(frame));
      const d = new FrameDecoder(receiver);
      let i = 0;
      const start = performance.now();
      for (const w of wires) {
        for (const c of w) d.push(c);
        if (await d.next()) i++;
      }
      const decRate = (i * 1000) / (performance.now() - start);
      rows.push([provider ? `${mode} (${provider.name})` : mode, label, fmt((encRate * size) / 1e6), fmt((decRate * size) / 1e6)]);
    }
  }
  table(rows);
}
