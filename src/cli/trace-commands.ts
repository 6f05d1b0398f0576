// `rados-ts trace decode FILE`: a pcap/pcapng capture, or a trace file our client recorded
// (`Rados.connect({ trace })`), read as Ceph traffic, one line per frame (time, sender → receiver,
// what Ceph would print for it), or JSON lines; unreadable stretches (secure mode without a key,
// bytes the capture lost) are listed, never skipped silently. Colour only on a terminal.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { type CaptureTrace, decodeCapture, type TraceEvent } from '../../protocol/trace/decode-capture.ts';
import { decodeTraceRecords } from '../../protocol/trace/decode-trace-records.ts';
import { isTraceFile } from '../../protocol/trace/trace-records.ts';
import { readTraceFile } from '../trace/trace-file.ts';
import { matchesFilter, type TraceFilter } from '../../protocol/trace/trace-filter.ts';
import { traceStats } from '../../protocol/trace/trace-stats.ts';

const USAGE = `usage: rados-ts trace decode FILE [-k|--keyring KEYRING] [--format plain|json] [-v|--verbose] [--stats]
         [--peer IP[:PORT]|:PORT,...] [--type MOSDOp|HELLO|...,...] [--object NAME,...] [--pool ID,...] [--color auto|always|never]
FILE: a pcap or pcapng capture (tcpdump, dumpcap, tshark) or a rados-ts trace (Rados.connect({ trace }), RADOS_TS_TRACE)`;

/** ANSI SGR colours for the plain format; identity functions when colour is off. */
interface Paint {
  type(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}

const NO_PAINT: Paint = { type: (s) => s, bad: (s) => s, dim: (s) => s };
const sgr =
  (code: string) =>
  (s: string): string =>
    `\x1b[${code}m${s}\x1b[0m`;
const ANSI: Paint = { type: sgr('36'), bad: sgr('31'), dim: sgr('2') };

/** --color: auto means a terminal on stdout and no NO_COLOR in the environment (no-color.org). */
function paintFor(choice: string | undefined): Paint {
  if (choice === 'always') return ANSI;
  if (choice === 'never') return NO_PAINT;
  if (choice !== undefined && choice !== 'auto') throw new RangeError(`--color takes auto, always or never, not '${choice}'`);
  return process.stdout.isTTY && !process.env['NO_COLOR'] ? ANSI : NO_PAINT;
}

/** Comma-separated option values, across repeats. */
function list(v: string[] | undefined): string[] | undefined {
  return v?.flatMap((x) => x.split(',')).filter(Boolean);
}

function filterOf(values: { peer?: string[]; type?: string[]; object?: string[]; pool?: string[] }): TraceFilter {
  const f: TraceFilter = {};
  const peer = list(values.peer);
  const type = list(values.type);
  const object = list(values.object);
  const pool = list(values.pool);
  if (peer) f.peer = peer;
  if (type) f.type = type;
  if (object) f.object = object;
  if (pool) {
    f.pool = pool.map((p) => {
      if (!/^\d+$/.test(p)) throw new RangeError(`--pool takes pool ids, not '${p}'`);
      return Number(p);
    });
  }
  return f;
}

function statsLines(t: CaptureTrace): string[] {
  const ms = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(3));
  return traceStats(t).map((s) => {
    const types = Object.entries(s.messages)
      .map(([k, n]) => `${k}×${n}`)
      .join(' ');
    return `#${s.session} ${s.client} → ${s.server} ${s.mode}: frames ${s.frames.toServer}/${s.frames.toClient}, bytes ${s.bytes.toServer}/${s.bytes.toClient}, latency n=${s.latency.count} p50 ${ms(s.latency.p50Ms)} ms p99 ${ms(s.latency.p99Ms)} ms, errors ${s.errors.negativeResults} results/${s.errors.badFrames} frames/${s.errors.unreadableBytes} bytes unread; ${types}`;
  });
}
import { nodeCryptoProvider } from '../crypto/node-crypto-provider.ts';

/** Seconds since the first packet, to the microsecond. */
function relTime(ns: bigint, t0: bigint): string {
  const us = (ns - t0) / 1000n;
  return `${us / 1_000_000n}.${String(us % 1_000_000n).padStart(6, '0')}`;
}

function ms(ns: bigint): string {
  return `${(Number(ns) / 1e6).toFixed(3)} ms`;
}

/** JSON.stringify with bigints as decimal strings. */
function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
}

function plainLine(e: TraceEvent, t0: bigint, verbose: boolean, paint: Paint): string {
  const type = e.message ? e.message.type : e.tag;
  const failed = e.crc !== 'ok' || e.error !== undefined || (typeof e.fields['result'] === 'number' && e.fields['result'] < 0);
  const flags = [e.crc !== 'ok' ? paint.bad(`${e.decrypted ? 'gcm' : 'crc'} ${e.crc}`) : '', e.latencyNs !== undefined ? ms(e.latencyNs) : ''].filter(Boolean).join(', ');
  // Handshake frames describe themselves from their tag on; messages get their class name first.
  const rest = e.line.startsWith(`${type} `) || e.line === type ? e.line.slice(type.length) : ` ${e.line}`;
  const what = `${paint.type(type)}${failed ? paint.bad(rest) : rest}`;
  const head = `${paint.dim(relTime(e.timeNs, t0))} #${e.session} ${e.from} → ${e.to} ${what}${flags ? ` (${flags})` : ''}`;
  return verbose ? `${head}\n    ${paint.dim(json({ offset: e.offset, length: e.length, ...e.fields }))}` : head;
}

function summary(t: CaptureTrace): string[] {
  const lines =
    t.format === 'rados-ts-trace'
      ? [`rados-ts trace of ${t.sessions[0]?.client ?? '(no frames)'}: ${t.packets} frame records, ${t.sessions.length} connections`]
      : [`${t.format}: ${t.packets} packets, ${t.sessions.length} msgr2 sessions, ${t.events.length} frames, ${t.otherConnections} other TCP connections`];
  if (t.secure.length > 0) {
    const open = t.secure.filter((s) => s.decrypted);
    lines.push(`secure sessions: ${open.length} of ${t.secure.length} decrypted (${open.reduce((n, s) => n + s.frames, 0)} frames)`);
    for (const s of t.secure) if (!s.decrypted) lines.push(`#${s.session} ${s.service} session of ${s.entity}: not decrypted: ${s.reason ?? ''}`);
  }
  for (const s of t.spans) lines.push(`#${s.session} ${s.dir} bytes ${s.offset}..${s.offset + s.length} (${s.length}): ${s.reason}`);
  if (t.truncated) lines.push(`capture cut short at byte ${t.truncated.atOffset}: ${t.truncated.reason}`);
  return lines;
}

/** The `trace` command. */
export async function traceCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keyring: { type: 'string', short: 'k' },
      format: { type: 'string', default: 'plain' },
      verbose: { type: 'boolean', short: 'v', default: false },
      stats: { type: 'boolean', default: false },
      peer: { type: 'string', multiple: true },
      type: { type: 'string', multiple: true },
      object: { type: 'string', multiple: true },
      pool: { type: 'string', multiple: true },
      color: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  const [verb, file, ...extra] = positionals;
  if (verb !== 'decode' || file === undefined || extra.length > 0) {
    err(`rados-ts trace: ${verb === 'decode' ? 'one capture or trace file expected' : `unknown subcommand '${verb ?? ''}'`}\n${USAGE}\n`);
    return 2;
  }
  if (values.format !== 'plain' && values.format !== 'json') {
    err(`rados-ts trace: unknown format '${values.format}' (plain or json)\n`);
    return 2;
  }
  const filter = filterOf(values);
  const paint = paintFor(values.color);
  let keyring: ReturnType<typeof parseKeyring> | undefined;
  if (values.keyring !== undefined) {
    try {
      keyring = parseKeyring(await readFile(values.keyring, 'utf8'));
    } catch (e) {
      err(`rados-ts trace: keyring ${values.keyring}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const bytes = new Uint8Array(await readFile(file));
  // A trace holds frames as our client saw them, decrypted already: no key needed. For captures,
  // node:crypto: about 1.6 times faster than Web Crypto here (per-frame GCM calls dominate).
  const trace = isTraceFile(bytes) ? decodeTraceRecords(await readTraceFile(bytes)) : await decodeCapture(bytes, keyring ? { keyring, crypto: nodeCryptoProvider } : {});
  const t0 = trace.events[0]?.timeNs ?? 0n;
  const shown = trace.events.filter((e) => matchesFilter(e, filter));
  if (values.stats) {
    if (values.format === 'json') for (const s of traceStats(trace)) out(`${json(s)}\n`);
    else for (const l of statsLines(trace)) out(`${l}\n`);
  } else if (values.format === 'json') {
    for (const e of shown) {
      out(
        `${json({ time: relTime(e.timeNs, t0), session: e.session, from: e.from, to: e.to, tag: e.tag, type: e.message?.type, line: e.line, crc: e.crc, decrypted: e.decrypted, latencyMs: e.latencyNs !== undefined ? Number(e.latencyNs) / 1e6 : undefined, offset: e.offset, length: e.length, fields: e.fields })}\n`,
      );
    }
    for (const s of trace.spans) out(`${json({ session: s.session, dir: s.dir, unreadable: s.kind, offset: s.offset, length: s.length, reason: s.reason })}\n`);
  } else {
    for (const e of shown) out(`${plainLine(e, t0, values.verbose, paint)}\n`);
  }
  if (values.format !== 'json') for (const l of summary(trace)) err(`${l}\n`);
  return trace.truncated || trace.spans.some((s) => s.kind === 'lost' || s.kind === 'not-a-frame') ? 1 : 0;
}
