// bufferlist::hexdump (src/common/buffer.cc), the form `rados listomapvals`, `getomapval`,
// `getomapheader` and `notify` print values in: `hexdump -C` rows, and a `*` for a run of rows
// that each repeat one byte — Ceph's rule, not hexdump(1)'s "same as the row before".

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
// isupper/islower/isdigit/ispunct or ' ' in the C locale; a negative (signed) char is none.
const printable = (b: number): boolean => b >= 0x20 && b <= 0x7e;

function row(data: Uint8Array, o: number): string {
  let hex = '';
  let text = '';
  for (let i = 0; i < 16; i++) {
    if (i === 8) hex += ' ';
    const b = data[o + i];
    hex += b === undefined ? '   ' : ` ${hex2(b)}`;
    if (b !== undefined) text += printable(b) ? String.fromCharCode(b) : '.';
  }
  return `${hex8(o)} ${hex}  |${text}|`;
}

/** The dump with its closing length line; nothing at all for no bytes (as Ceph). */
export function cephHexdump(data: Uint8Array): string {
  if (data.length === 0) return '';
  const out: string[] = [];
  let last = data[0]!;
  let wasSame = false;
  let didStar = false;
  for (let o = 0; o < data.length; o += 16) {
    // The last row is always printed; another row is folded when it repeats the byte of a
    // row that already repeated it.
    if (o + 16 < data.length) {
      let same = true;
      for (let i = 0; i < 16; i++) {
        const c = data[o + i]!;
        if (c === last) continue;
        if (i === 0) {
          last = c;
          wasSame = false;
          didStar = false;
        } else same = false;
      }
      if (same && wasSame) {
        if (!didStar) out.push('*');
        didStar = true;
        continue;
      }
      wasSame = same;
      if (!same) didStar = false;
    }
    out.push(row(data, o));
  }
  return `${out.join('\n')}\n${hex8(data.length)}\n`;
}
