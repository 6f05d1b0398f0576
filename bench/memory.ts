// Memory ([K] point 4): 8 GiB streamed through Image.writable() and Image.readable() with the
// process's peak RSS against its RSS before, and a long small-op run with the heap measured
// after a full GC at its start and at its end (growth per op). The memstore OSDs hold 1 GiB each,
// so the 8 GiB go through a 256 MiB image 32 times, one stream per pass.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Feature, RBD, Rados } from '../src/index.ts';
import { startCluster } from '../test/cluster/cluster.ts';
import { table } from './measure.ts';

const IMAGE = 256 << 20;
const PASSES = 32;
const CHUNK = 4 << 20;
const SMALL_OP_SECONDS = Number(process.env.SMALL_OP_SECONDS ?? 300);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mib = (n: number): string => `${(n / (1 << 20)).toFixed(0)} MiB`;

/** Largest RSS seen while `work` runs, sampled every 20 ms. */
async function peakRss(work: () => Promise<void>): Promise<number> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss());
}

/** One stream of `total` bytes, in 4 MiB chunks of one pattern (the producer holds no more). */
function source(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const c = new Uint8Array(Math.min(CHUNK, total - sent)).fill(sent / CHUNK);
      sent += c.length;
      controller.enqueue(c);
    },
  });
}

export default async function bench(): Promise<void> {
  console.log(`\n## Memory: 8 GiB through Image.writable()/readable() (${PASSES} passes over ${IMAGE >> 20} MiB), and ${SMALL_OP_SECONDS} s of small ops`);
  const cluster = await startCluster({ mgr: false, log: () => {} });
  try {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    await rados.createPool('mem', { pgNum: 32 });
    const io = await rados.openIoCtx('mem');
    await RBD.create(io, 'img', IMAGE, { features: Feature.LAYERING });
    const img = await RBD.open(io, 'img');
    gc();
    const before = process.memoryUsage.rss();
    let t = performance.now();
    const writePeak = await peakRss(async () => {
      for (let i = 0; i < PASSES; i++) await source(IMAGE).pipeTo(img.writable());
    });
    const writeSecs = (performance.now() - t) / 1000;
    gc();
    const beforeRead = process.memoryUsage.rss();
    let read = 0;
    t = performance.now();
    const readPeak = await peakRss(async () => {
      for (let i = 0; i < PASSES; i++) {
        for await (const c of img.readable()) read += c.length;
      }
    });
    const readSecs = (performance.now() - t) / 1000;
    if (read !== IMAGE * PASSES) throw new Error(`read ${read} bytes, expected ${IMAGE * PASSES}`);
    const gib = (IMAGE * PASSES) / (1 << 30);
    table([
      ['stream', 'GiB', 'MB/s', 'RSS before', 'peak RSS', 'peak - before'],
      ['writable()', gib, ((IMAGE * PASSES) / writeSecs / 1e6).toFixed(0), mib(before), mib(writePeak), mib(writePeak - before)],
      ['readable()', gib, ((IMAGE * PASSES) / readSecs / 1e6).toFixed(0), mib(beforeRead), mib(readPeak), mib(readPeak - beforeRead)],
    ]);
    console.log('bound: writable() holds 4 writes of a chunk in flight, readable() 4 reads ahead (defaults), so each should stay within a few tens of MiB of chunks plus GC slack');

    // Small ops: 4 KiB writes and reads at qd16; heap after a full GC at 10 s and at the end.
    const small = new Uint8Array(4096).fill(5);
    const end = performance.now() + SMALL_OP_SECONDS * 1000;
    const mark = performance.now() + Math.min(10_000, (SMALL_OP_SECONDS * 1000) / 3);
    let ops = 0;
    let opsAtMark = 0;
    let heapAtMark = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; performance.now() < end; i++) {
          const oid = `s${w}-${i % 64}`;
          if (i % 2 === 0) await io.writeFull(oid, small);
          else await io.read(oid, 4096);
          ops++;
          if (heapAtMark === 0 && performance.now() > mark) {
            gc();
            heapAtMark = process.memoryUsage().heapUsed;
            opsAtMark = ops;
          }
        }
      }),
    );
    gc();
    const heapEnd = process.memoryUsage().heapUsed;
    const n = ops - opsAtMark;
    table([
      ['small ops', 'ops measured', 'heap at start', 'heap at end', 'growth per op'],
      ['4 KiB write/read, qd16', n, mib(heapAtMark), mib(heapEnd), `${((heapEnd - heapAtMark) / n).toFixed(2)} B`],
    ]);
    await img.close();
    await rados.close();
  } finally {
    await cluster.stop();
  }
}
