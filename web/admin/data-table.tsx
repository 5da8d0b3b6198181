/**
 * A table of items, one row each, with column headings and an optional caption; nothing when
 * there are no items (the page says so in its own words).
 */
import type { ComponentChildren, VNode } from 'preact';
import { ColumnHeadings } from './column-headings.js';

export function DataTable<T>({ headings, items, row, caption }: { headings: string[]; items: readonly T[]; row: (item: T) => VNode; caption?: ComponentChildren }) {
  if (items.length === 0) return null;
  return (
    <table>
      {caption ? <caption>{caption}</caption> : null}
      <ColumnHeadings names={headings} />
      <tbody>{items.map(row)}</tbody>
    </table>
  );
}
