// `npm run bench`: every benchmark, each measuring us beside the Ceph tool (or package)
// doing the same work in the same run. Pass names to run a subset: npm run bench -- crc32c
const all: Record<string, () => Promise<{ default: () => void | Promise<void> }>> = {
  crc32c: () => import('./crc32c.ts'),
  dependencies: () => import('./dependencies.ts'),
  'msgr2-frames': () => import('./msgr2-frames.ts'),
  'cold-start': () => import('./cold-start.ts'),
  placement: () => import('./placement.ts'),
  'rados-io': () => import('./rados-io.ts'),
  'rbd-io': () => import('./rbd-io.ts'),
  runtimes: () => import('./runtimes.ts'),
  memory: () => import('./memory.ts'),
  'trace-decode': () => import('./trace-decode.ts'),
};
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
console.log(`# rados-ts benchmarks (node ${process.version}, ${new Date().toISOString()})`);
for (const [name, load] of Object.entries(all)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  await (await load()).default();
}
