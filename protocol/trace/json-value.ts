// Decoded values made safe for JSON (the trace's --json output and its filters): JSON.stringify
// would throw on a bigint, print a Uint8Array index by index and a Map as {}.

/** A value JSON.stringify prints faithfully. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Bytes up to this many are shown in hex; longer ones by their length only. */
export const JSON_HEX_MAX = 32;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * `v` as JSON: a bigint becomes its decimal string; bytes become `{ bytes: length }` with
 * `hex` added when at most {@link JSON_HEX_MAX} long (an object, so bytes are never mistaken
 * for a string); a Map with string keys an object, any other Map a list of [key, value] pairs;
 * undefined fields are left out (undefined alone, a function or a symbol is null); a non-finite
 * number its string.
 */
export function toJsonValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return v.length <= JSON_HEX_MAX ? { bytes: v.length, hex: hex(v) } : { bytes: v.length };
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof Map) {
    const entries = [...(v as Map<unknown, unknown>)];
    if (entries.every(([k]) => typeof k === 'string')) return Object.fromEntries(entries.map(([k, x]) => [k as string, toJsonValue(x)]));
    return entries.map(([k, x]) => [toJsonValue(k), toJsonValue(x)]);
  }
  if (typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x);
    return out;
  }
  return null; // a function or symbol: nothing JSON can hold
}
