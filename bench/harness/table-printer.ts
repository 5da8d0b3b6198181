/** Renders the run as Markdown: the targets table (target, measured, met?), then each case's detail tables. */
import type { DetailTable, Figure } from './types.js';

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** A Markdown table from a header and rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

/** The measured cell of a figure: value, unit and per-round range. */
export function formatMeasured(figure: Figure): string {
  if (figure.measured === null || !Number.isFinite(figure.measured)) return '–';
  const digits = figure.unit === 'ms' ? 3 : 2;
  const unit = figure.unit ? ` ${figure.unit}` : '';
  const spread = figure.range ? ` (${figure.range[0].toFixed(digits)}–${figure.range[1].toFixed(digits)})` : '';
  return `${figure.measured.toFixed(digits)}${unit}${spread}`;
}

/** The targets table. */
export function figuresTable(figures: readonly Figure[]): string {
  return markdownTable(
    ['figure', 'target', 'measured', 'met?', 'note'],
    figures.map((f) => [f.name, f.target, formatMeasured(f), f.met === null ? '–' : f.met ? 'yes' : 'no', f.note ?? '']),
  );
}

/** The whole report: title, targets table, detail tables and notes. */
export function renderReport(title: string, preamble: readonly string[], figures: readonly Figure[], tables: readonly DetailTable[], notes: readonly string[]): string {
  const parts = [`## ${title}`, '', ...preamble, '', '### Targets (ratios of medians from this run)', '', figuresTable(figures)];
  for (const table of tables) {
    parts.push('', `### ${table.title}`, '', markdownTable(table.header, table.rows));
    if (table.notes?.length) parts.push('', ...table.notes.map((n) => `- ${n}`));
  }
  if (notes.length > 0) parts.push('', '### Notes', '', ...notes.map((n) => `- ${n}`));
  return parts.join('\n') + '\n';
}
