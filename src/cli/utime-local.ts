// utime_t's operator<< (utime_t::localtime, src/include/utime.h) as the Ceph tools print a
// time: under ten years' worth of seconds it reads as a duration ("0.000000"), else as local
// time with microseconds and the zone offset (2026-12-02T03:19:23.360247+0000).

const TEN_YEARS_SEC = 60 * 60 * 24 * 365 * 10;

export function formatLocalUtime(sec: number, usec: number): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  if (sec < TEN_YEARS_SEC) return `${sec}.${p(usec, 6)}`;
  const d = new Date(sec * 1000);
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(usec, 6)}${zone}`;
}
