// `rados-ts osdmap ...`: placement from an OSDMap file, in the shapes osdmaptool prints
// (src/tools/osdmaptool.cc): map-object, test-map-pgs-dump.
import { readFile } from 'node:fs/promises';
import { bucketItemWeight, CRUSH_ITEM_NONE } from '../../crush/crush-map.ts';
import { formatCppDouble } from '../../crush/osdmap/cpp-format.ts';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { OSD_IN, OSD_OUT, type OSDMap, osdExists, OsdState } from '../../crush/osdmap/osdmap.ts';
import { crushOf, objectToPg, pgToUpActing, rawPgToPg } from '../../crush/osdmap/placement.ts';
import { formatPgId } from '../../protocol/types/pg.ts';

interface Opts {
  osdmap?: string;
  pool?: number;
  namespace?: string;
  format?: string;
  markUpIn: boolean;
  markOut: number[];
  positional: string[];
}

function parse(args: string[]): Opts {
  const o: Opts = { markUpIn: false, markOut: [], positional: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--osdmap') o.osdmap = val();
    else if (a === '--pool') o.pool = Number(val());
    else if (a === '--namespace') o.namespace = val();
    else if (a === '--format') o.format = val();
    else if (a === '--mark-up-in') o.markUpIn = true;
    else if (a === '--mark-out') o.markOut.push(Number(val()));
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.positional.push(a);
  }
  return o;
}

async function load(o: Opts): Promise<OSDMap> {
  if (!o.osdmap) throw new Error('--osdmap FILE is required');
  const m = decodeOSDMap(new Uint8Array(await readFile(o.osdmap)));
  // osdmaptool's in-memory marks (not persisted): all OSDs exist, up and in; then --mark-out.
  if (o.markUpIn) {
    for (let i = 0; i < m.maxOsd; i++) {
      m.osdState[i] = (m.osdState[i] ?? 0) | OsdState.UP | OsdState.EXISTS;
      m.osdWeight[i] = OSD_IN;
    }
  }
  for (const id of o.markOut) {
    if (id >= 0 && id < m.maxOsd) {
      m.osdState[id] = (m.osdState[id] ?? 0) | OsdState.UP;
      m.osdWeight[id] = OSD_OUT;
    }
  }
  return m;
}

const vec = (v: number[]): string => `[${v.join(',')}]`;

function mapObject(m: OSDMap, o: Opts): string {
  const name = o.positional[0];
  if (name === undefined || o.pool === undefined) throw new Error('usage: osdmap map-object --osdmap FILE --pool POOLID OBJECT');
  const raw = objectToPg(m, o.pool, name, o.namespace ? { namespace: o.namespace } : {});
  const pool = m.pools.get(o.pool)!;
  const seed = rawPgToPg(pool, raw.seed);
  const r = pgToUpActing(m, o.pool, seed);
  const pgid = formatPgId({ pool: o.pool, seed });
  if (o.format === 'json') {
    return `${JSON.stringify({ pool: o.pool, pgid, up: r.up, up_primary: r.upPrimary, acting: r.acting, acting_primary: r.actingPrimary })}\n`;
  }
  return ` object '${name}' -> ${pgid} -> ${vec(r.acting)}\n`;
}

/** crush->get_item_weightf: the item's weight in the first bucket holding it. */
function crushItemWeight(m: OSDMap, osd: number): number {
  for (const b of crushOf(m).buckets) {
    if (!b) continue;
    const i = b.items.indexOf(osd);
    if (i < 0) continue;
    return Math.fround(bucketItemWeight(b, i) / 0x10000);
  }
  return 0;
}

function testMapPgsDump(m: OSDMap, o: Opts): string {
  const out: string[] = [];
  if (o.markUpIn) out.push('marking all OSDs up and in');
  for (const id of o.markOut) out.push(`marking OSD@${id} as out`);
  const count = new Map<number, number>();
  const first = new Map<number, number>();
  const prim = new Map<number, number>();
  const size = new Map<number, number>();
  let maxSize = 0;
  const inc = (mp: Map<number, number>, k: number): void => void mp.set(k, (mp.get(k) ?? 0) + 1);
  for (const [id, pool] of [...m.pools].sort((a, b) => a[0] - b[0])) {
    if (o.pool !== undefined && o.pool !== -1 && id !== o.pool) continue;
    out.push(`pool ${id} pg_num ${pool.pgNum}`);
    for (let ps = 0; ps < pool.pgNum; ps++) {
      const r = pgToUpActing(m, id, ps);
      inc(size, r.acting.length);
      if (r.acting.length > maxSize) maxSize = r.acting.length;
      out.push(`${formatPgId({ pool: id, seed: ps })}\t${vec(r.acting)}\t${r.actingPrimary}`);
      for (const osd of r.acting) if (osd !== CRUSH_ITEM_NONE) inc(count, osd);
      if (r.acting.length) inc(first, r.acting[0]!);
      if (r.actingPrimary >= 0) inc(prim, r.actingPrimary);
    }
  }
  out.push('#osd\tcount\tfirst\tprimary\tc wt\twt');
  let total = 0;
  let nIn = 0;
  let minOsd = -1;
  let maxOsd = -1;
  const isIn = (i: number): boolean => osdExists(m, i) && m.osdWeight[i] !== OSD_OUT;
  for (let i = 0; i < m.maxOsd; i++) {
    if (!isIn(i)) continue;
    nIn++;
    const c = count.get(i) ?? 0;
    out.push(`osd.${i}\t${c}\t${first.get(i) ?? 0}\t${prim.get(i) ?? 0}\t${formatCppDouble(crushItemWeight(m, i))}\t${formatCppDouble(Math.fround(m.osdWeight[i]! / 0x10000))}`);
    total += c;
    if (c && (minOsd < 0 || c < (count.get(minOsd) ?? 0))) minOsd = i;
    if (c && (maxOsd < 0 || c > (count.get(maxOsd) ?? 0))) maxOsd = i;
  }
  const avg = nIn ? Math.floor(total / nIn) : 0;
  let dev = 0;
  for (let i = 0; i < m.maxOsd; i++) {
    if (!isIn(i)) continue;
    const d = avg - (count.get(i) ?? 0);
    dev += d * d;
  }
  dev = Math.sqrt(dev / nIn);
  const edev = Math.sqrt((total / nIn) * (1.0 - 1.0 / nIn));
  out.push(` in ${nIn}`);
  out.push(` avg ${avg} stddev ${formatCppDouble(dev)} (${formatCppDouble(dev / avg)}x) (expected ${formatCppDouble(edev)} ${formatCppDouble(edev / avg)}x))`);
  if (minOsd >= 0) out.push(` min osd.${minOsd} ${count.get(minOsd)}`);
  if (maxOsd >= 0) out.push(` max osd.${maxOsd} ${count.get(maxOsd)}`);
  for (let i = 0; i <= maxSize; i++) if (size.get(i)) out.push(`size ${i}\t${size.get(i)}`);
  return `${out.join('\n')}\n`;
}

export async function osdmapCommand(args: string[], out: (s: string) => void, err: (s: string) => void = () => {}): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest);
  const m = await load(o);
  if (sub === 'map-object') out(mapObject(m, o));
  else if (sub === 'test-map-pgs-dump') {
    err(`osdmaptool: osdmap file '${o.osdmap}'\n`); // osdmaptool names its input on stderr
    out(testMapPgsDump(m, o));
  } else throw new Error(`unknown osdmap subcommand: ${sub ?? '(none)'}`);
  return 0;
}
