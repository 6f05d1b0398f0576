// Image I/O beside `rbd bench` (librbd) on the same cluster, same image settings (layering, 4 MiB
// objects), same run: 4 MiB sequential writes and reads, 4 KiB random writes and reads, qd16.
import { execFileSync } from 'node:child_process';
import { Feature, Rados, RBD } from '../src/index.ts';
import { startCluster } from '../test/cluster/cluster.ts';
import { table } from './measure.ts';

interface Result {
  iops: number;
  mbps: number;
}

const IMAGE_SIZE = 256 << 20;

function rbdBench(conf: string, image: string, type: 'read' | 'write', size: number, pattern: 'seq' | 'rand', total: number, cache = true): Result {
  const out = execFileSync(
    'rbd',
    [
      '-c',
      conf,
      ...(cache ? [] : ['--rbd-cache=false']),
      'bench',
      '--io-type',
      type,
      '--io-size',
      String(size),
      '--io-threads',
      '16',
      '--io-total',
      String(total),
      '--io-pattern',
      pattern,
      image,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  // Last line: "elapsed: 3   ops: 1024   ops/sec: 301.2   bytes/sec: 1.2 GiB/s"
  const m = /elapsed:\s*([\d.]+)\s+ops:\s*(\d+)\s+ops\/sec:\s*([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot parse rbd bench output:\n${out}`);
  const iops = Number(m[3]);
  return { iops, mbps: (iops * size) / (1 << 20) };
}

async function ours(op: (offset: number) => Promise<unknown>, size: number, pattern: 'seq' | 'rand', total: number): Promise<Result> {
  const count = Math.floor(total / size);
  const slots = IMAGE_SIZE / size;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++;
        await op((pattern === 'seq' ? i % slots : Math.floor(Math.random() * slots)) * size);
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  return { iops: count / secs, mbps: (count * size) / secs / (1 << 20) };
}

export default async function bench(): Promise<void> {
  console.log('\n## RBD image I/O vs rbd bench (librbd), qd16, layering-only images, 3 memstore OSDs on this machine');
  const cluster = await startCluster({ mgr: false, log: () => {} });
  try {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    await rados.createPool('rbdbench', { pgNum: 32 });
    const io = await rados.openIoCtx('rbdbench');
    await RBD.create(io, 'ours', IMAGE_SIZE, { features: Feature.LAYERING }); // like 'theirs' below
    execFileSync('rbd', ['-c', cluster.confPath, 'create', '--size', `${IMAGE_SIZE >> 20}M`, '--image-feature', 'layering', 'rbdbench/theirs']);
    const img = await RBD.open(io, 'ours');
    const big = new Uint8Array(4 << 20).fill(3);
    const small = new Uint8Array(4096).fill(4);
    // librbd's defaults include its cache (Pacific: rbd_cache_policy writearound, which acks
    // writes before they reach the OSDs); we have no cache, so both columns are shown.
    const rows: Array<Array<string | number>> = [['test', 'rados-ts', 'rbd bench', 'ours/theirs', 'rbd bench, rbd_cache=false', 'ours/theirs']];
    const fmt = (r: Result, key: 'iops' | 'mbps'): string => (key === 'mbps' ? `${r.mbps.toFixed(0)} MB/s` : `${r.iops.toFixed(0)} IOPS`);
    const row = (name: string, us: Result, them: Result, raw: Result, key: 'iops' | 'mbps'): void => {
      rows.push([name, fmt(us, key), fmt(them, key), `${(us[key] / them[key]).toFixed(2)}x`, fmt(raw, key), `${(us[key] / raw[key]).toFixed(2)}x`]);
    };
    const both = (type: 'read' | 'write', size: number, pattern: 'seq' | 'rand', total: number): [Result, Result] => [
      rbdBench(cluster.confPath, 'rbdbench/theirs', type, size, pattern, total),
      rbdBench(cluster.confPath, 'rbdbench/theirs', type, size, pattern, total, false),
    ];
    const seqTotal = IMAGE_SIZE;
    const smallTotal = 64 << 20; // 16,384 ops: long enough for rbd bench's timer
    row('4 MiB seq write', await ours((o) => img.write(big, o), 4 << 20, 'seq', seqTotal), ...both('write', 4 << 20, 'seq', seqTotal), 'mbps');
    row('4 MiB seq read', await ours((o) => img.read(o, 4 << 20), 4 << 20, 'seq', seqTotal), ...both('read', 4 << 20, 'seq', seqTotal), 'mbps');
    row('4 KiB rand write', await ours((o) => img.write(small, o), 4096, 'rand', smallTotal), ...both('write', 4096, 'rand', smallTotal), 'iops');
    row('4 KiB rand read', await ours((o) => img.read(o, 4096), 4096, 'rand', smallTotal), ...both('read', 4096, 'rand', smallTotal), 'iops');
    table(rows);
    console.log('targets: >= 0.95x librbd throughput, >= 1.0x IOPS');
    await img.close();
    await rados.close();
  } finally {
    await cluster.stop();
  }
}
