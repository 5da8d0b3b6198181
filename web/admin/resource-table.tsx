/**
 * A resource list as a table: a caption with the count, a header cell per column, a row per
 * item; or a sentence when there is nothing (and nothing while the list has not loaded).
 */
import type { ComponentChildren } from 'preact';
import { ColumnHeadings } from './column-headings.js';
import { counted } from './counted.js';

export function ResourceTable<T>(props: {
  items: T[] | undefined;
  /** The singular noun of the caption ("product"). */
  noun: string;
  /** Added to the caption ("submitted only"). */
  captionSuffix?: string;
  /** What the page says when there are none. */
  empty: string;
  headings: string[];
  class?: string;
  /** One `<tr>` with its key. */
  row: (item: T) => ComponentChildren;
}) {
  if (props.items === undefined) return null;
  if (props.items.length === 0) return <p>{props.empty}</p>;
  return (
    <table class={props.class}>
      <caption>
        {counted(props.items.length, props.noun)}
        {props.captionSuffix ? `, ${props.captionSuffix}` : ''}
      </caption>
      <ColumnHeadings names={props.headings} />
      <tbody>{props.items.map(props.row)}</tbody>
    </table>
  );
}
