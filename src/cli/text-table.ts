// Ceph's TextTable (src/common/TextTable.cc), as `rbd snap ls` and other tools print tables: each
// column as wide as its widest cell, headings and cells aligned per column, two spaces between
// columns, every cell padded (the last column too).

export type Align = 'left' | 'right';

export interface Column {
  heading: string;
  /** How the heading is aligned in its column. */
  headingAlign: Align;
  /** How the cells are aligned. */
  align: Align;
}

const pad = (s: string, width: number, align: Align): string => (align === 'left' ? s.padEnd(width) : s.padStart(width));

export function formatTextTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], align: (c: Column) => Align): string => `${columns.map((c, i) => pad(cells[i] ?? '', widths[i]!, align(c))).join('  ')}\n`;
  return (
    line(
      columns.map((c) => c.heading),
      (c) => c.headingAlign,
    ) + rows.map((r) => line(r, (c) => c.align)).join('')
  );
}
