// The benchmark's one table: figure | ours | baseline | ratio | target | met?

export interface Row {
  figure: string;
  ours: number | string;
  baseline?: number | string;
  /** Computed as ours / baseline when both are numbers and this is not given; '' for none. */
  ratio?: number | string;
  target?: string;
  /** undefined: an informative row with no target. */
  met?: boolean | string;
}

const cell = (value: number | string | undefined): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
};

function ratioOf(row: Row): string {
  if (row.ratio !== undefined) return typeof row.ratio === 'number' ? row.ratio.toFixed(2) : row.ratio;
  return typeof row.ours === 'number' && typeof row.baseline === 'number' && row.baseline !== 0
    ? (row.ours / row.baseline).toFixed(2)
    : '';
}

/** The rows as aligned text, one line each, with a header. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['figure', 'ours', 'baseline', 'ratio', 'target', 'met?'];
  const body = rows.map((r) => [
    r.figure,
    cell(r.ours),
    cell(r.baseline),
    ratioOf(r),
    r.target ?? '',
    r.met === undefined ? '' : typeof r.met === 'string' ? r.met : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

export const kB = (bytes: number): number => bytes / 1024;
export const MB = (bytes: number): number => bytes / 1024 / 1024;
