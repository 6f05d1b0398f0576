// Trace file records come from a file, so from anywhere: each is checked against the shapes of
// trace-records.ts before the decoder trusts its types, and a record that does not fit is named
// (its index, the field, what it holds) by a TraceFormatError.
import { TraceFormatError } from './trace-format-error.ts';
import type { TraceFrame, TraceHeader } from './trace-records.ts';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
function shown(x: unknown): string {
  if (x === undefined) return 'missing';
  if (x === null) return 'null';
  if (x instanceof Uint8Array) return `${x.length} bytes`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return `string ${x.slice(0, 40)}`;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return `${typeof x} ${x}`;
  return typeof x;
}

/** The header record (the file's first), checked: format, version 1, start time, entity, secrets. */
export function checkTraceHeader(r: unknown): TraceHeader {
  if (!isObject(r) || r['format'] !== 'rados-ts-trace') throw new TraceFormatError('rados-ts trace file without its header record');
  if (r['version'] !== 1) throw new TraceFormatError(`rados-ts trace version ${String(r['version'])} (this reader knows 1)`);
  const bad = (field: string): never => {
    throw new TraceFormatError(`rados-ts trace header: ${field} is ${shown(r[field])}`);
  };
  if (typeof r['startedMs'] !== 'number' || !Number.isFinite(r['startedMs'])) bad('startedMs');
  if (typeof r['entity'] !== 'string') bad('entity');
  if (typeof r['secrets'] !== 'boolean') bad('secrets');
  return r as unknown as TraceHeader;
}

/** Frame record `index` (from 1, the header being 0), checked field by field. */
export function checkTraceFrame(r: unknown, index: number): TraceFrame {
  if (!isObject(r)) throw new TraceFormatError(`rados-ts trace record ${index}: ${shown(r)}, not a frame record`);
  const bad = (field: string, want: string): never => {
    throw new TraceFormatError(`rados-ts trace record ${index}: ${field} is ${shown(r[field])}, not ${want}`);
  };
  const t = r['t'];
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) bad('t', 'a time in nanoseconds');
  if (!isCount(r['c'])) bad('c', 'a connection number');
  if (r['d'] !== 'tx' && r['d'] !== 'rx') bad('d', "'tx' or 'rx'");
  if (typeof r['p'] !== 'string') bad('p', 'a peer address');
  if (r['m'] !== 'crc' && r['m'] !== 'secure') bad('m', "'crc' or 'secure'");
  if (!isCount(r['g']) || r['g'] > 255) bad('g', 'a frame tag');
  const s = r['s'];
  if (!Array.isArray(s) || !s.every((x) => x instanceof Uint8Array)) bad('s', 'a list of segments');
  const left = r['r'];
  if (left !== undefined && (!Array.isArray(left) || !left.every(isCount))) bad('r', 'a list of segment lengths');
  return r as unknown as TraceFrame;
}
