// One runtime's half of `npm run bench -- runtimes`: the same object workload under Node, Deno
// or Bun, through the built package entry, printing one JSON line. CPU time comes from
// `process.cpuUsage()`, which all three provide.
import { Rados } from '../src/index.ts';

interface Row {
  test: string;
  opsPerSec: number;
  cpuUsPerOp: number;
}

const [conf, pool] = process.argv.slice(2) as [string, string];
const SECONDS = 3;

async function measure(test: string, op: (i: number) => Promise<unknown>): Promise<Row> {
  // A warm-up second first: the JIT's compile time would otherwise count as the ops' CPU.
  const warm = performance.now() + 1000;
  for (let i = 0; performance.now() < warm; i++) await op(i);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let done = 0;
  let i = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < end) {
        await op(i++);
        done++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { test, opsPerSec: done / ((performance.now() - start) / 1000), cpuUsPerOp: (cpu.user + cpu.system) / done };
}

const rados = await Rados.connect({ conf });
const io = await rados.openIoCtx(pool);
const small = new Uint8Array(4096).fill(1);
const big = new Uint8Array(4 << 20).fill(2);
const rows: Row[] = [];
rows.push(await measure('4 KiB write', (i) => io.writeFull(`s${i % 1024}`, small)));
rows.push(await measure('4 KiB read', (i) => io.read(`s${i % 1024}`, 4096)));
for (let i = 0; i < 16; i++) await io.writeFull(`b${i}`, big);
rows.push(await measure('4 MiB read', (i) => io.read(`b${i % 16}`, 4 << 20)));
await rados.close();
console.log(`RESULT ${JSON.stringify(rows)}`);
