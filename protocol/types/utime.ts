import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** utime_t (src/include/utime.h): le32 seconds, le32 nanoseconds. */
export interface UTime {
  /** Seconds since the Unix epoch (unsigned 32-bit). */
  sec: number;
  /** Nanoseconds within the second (0 to 999,999,999). */
  nsec: number;
}

/** Decodes a utime_t. */
export function decodeUtime(r: Reader, field = 'utime_t'): UTime {
  const sec = r.u32(field);
  const nsec = r.u32(field);
  return { sec, nsec };
}

/** Encodes a utime_t. */
export function encodeUtime(w: Writer, t: UTime): void {
  w.u32(t.sec).u32(t.nsec);
}

/** The utime_t as a Date (millisecond precision; the rest of nsec is dropped). */
export function utimeToDate(t: UTime): Date {
  return new Date(t.sec * 1000 + Math.floor(t.nsec / 1e6));
}

/** As Ceph prints a utime_t in UTC (`utime_t::localtime` with TZ=UTC): 2026-11-24T22:37:34.772875+0000. */
export function formatUtime(t: UTime): string {
  const d = new Date(t.sec * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}` +
    `T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}` +
    `.${p(Math.floor(t.nsec / 1000), 6)}+0000`
  );
}
