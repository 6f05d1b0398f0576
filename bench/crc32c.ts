// CRC-32C throughput: our word-sliced slicing-by-16 in JavaScript and in WebAssembly beside the
// card's crc-32 package, same run, same data, and the runtime's choice between them (crc-32
// below 64 bytes, JavaScript from there, wasm from 1 KiB where modules compile). "cold" runs
// over 64 MiB of distinct buffers, as frames arrive, rather than one buffer kept in cache.
import CRC32C from 'crc-32/crc32c.js';
import { crc32c } from '../protocol/checksum/crc32c.ts';
import { crc32cSlicing } from '../protocol/checksum/crc32c-slicing.ts';
import { loadWasmCrc32c } from '../protocol/checksum/crc32c-wasm.ts';
import { fmt, rate, table } from './measure.ts';

export default function bench(): void {
  console.log('\n## CRC-32C (MB per CPU second, higher is better)');
  const wasm = loadWasmCrc32c();
  const rows: Array<Array<string | number>> = [['size', 'own slicing-by-16, JS', 'same in wasm', 'crc-32', 'JS/crc-32', 'wasm/crc-32', 'runtime crc32c()']];
  for (const [label, size, count] of [
    ['32 B', 32, 1],
    ['4 KiB', 4096, 1],
    ['4 MiB', 4 << 20, 1],
    ['4 MiB cold', 4 << 20, 16],
  ] as const) {
    const bufs = Array.from({ length: count }, (_, k) => new Uint8Array(size).map((_, i) => ((i + k) * 2654435761) >>> 24));
    let n = 0;
    const next = (): Uint8Array => bufs[n++ % count]!;
    const ours = (rate(() => crc32cSlicing(0xffffffff, next())) * size) / 1e6;
    const inWasm = wasm ? (rate(() => wasm(0xffffffff, next())) * size) / 1e6 : NaN;
    const theirs = (rate(() => CRC32C.buf(next(), 0)) * size) / 1e6;
    const runtime = (rate(() => crc32c(0xffffffff, next())) * size) / 1e6;
    rows.push([label, fmt(ours), fmt(inWasm), fmt(theirs), `${(ours / theirs).toFixed(2)}x`, `${(inWasm / theirs).toFixed(2)}x`, fmt(runtime)]);
  }
  table(rows);
}
