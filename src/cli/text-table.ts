/** Column alignment: text reads better left-aligned, numbers right-aligned. */
export type Align = 'left' | 'right';

/**
 * A plain-text table: a header row and the rows, each column as wide as its widest cell, two spaces
 * between columns, no trailing spaces. `align` gives each column's alignment (default left).
 */
export function formatTable(
  header: readonly string[],
  rows: readonly string[][],
  align: Align[] = [],
): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => (row[col] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((width, col) => {
        const cell = cells[col] ?? '';
        return align[col] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
