// CRC-32C throughput: our word-sliced slicing-by-16 beside the card's crc-32 package, same run,
// same data, and the runtime's choice between them (crc-32 below 64 bytes, ours from there on).
import CRC32C from 'crc-32/crc32c.js';
import { crc32c } from '../protocol/checksum/crc32c.ts';
import { crc32cSlicing } from '../protocol/checksum/crc32c-slicing.ts';
import { fmt, rate, table } from './measure.ts';

export default function bench(): void {
  console.log('\n## CRC-32C (MB/s, higher is better)');
  const rows: Array<Array<string | number>> = [['size', 'own word slicing-by-16', 'crc-32', 'own/crc-32', 'runtime crc32c()']];
  for (const [label, size] of [
    ['32 B', 32],
    ['4 KiB', 4096],
    ['4 MiB', 4 << 20],
  ] as const) {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 2654435761) >>> 24;
    const ours = (rate(() => crc32cSlicing(0xffffffff, data)) * size) / 1e6;
    const theirs = (rate(() => CRC32C.buf(data, 0)) * size) / 1e6;
    const runtime = (rate(() => crc32c(0xffffffff, data)) * size) / 1e6;
    rows.push([label, fmt(ours), fmt(theirs), `${(ours / theirs).toFixed(2)}x`, fmt(runtime)]);
  }
  table(rows);
}
