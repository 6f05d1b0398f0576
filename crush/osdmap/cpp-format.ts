// How a C++ ostream prints a double by default (precision 6, like printf("%g")), including
// glibc's "-nan" for 0.0/0.0 — needed for byte-identical osdmaptool output.
export function formatCppDouble(x: number): string {
  if (Number.isNaN(x)) return '-nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let s = x.toPrecision(6);
  // toPrecision may round up into the next decade; re-derive the exponent from its output.
  const e = s.includes('e') ? Number(s.slice(s.indexOf('e') + 1)) : Math.floor(Math.log10(Math.abs(Number(s))));
  if (e < -4 || e >= 6) {
    const [digits, ex] = x.toExponential(5).split('e') as [string, string];
    const mant = digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits;
    const n = Number(ex);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  if (s.includes('e')) s = x.toFixed(Math.max(0, 5 - e));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}
