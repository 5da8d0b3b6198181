/**
 * A bound on one cost of GraphQL validation: the reference implementation compares every pair of
 * fields that share a response name in a selection set (OverlappingFieldsCanBeMerged), so a
 * query repeating one field a thousand times keeps the gateway busy for a second. Gatehouse
 * refuses a selection set that repeats a response name more than a fixed number of times
 * before validating.
 */
import { Kind, visit, type DocumentNode, type FieldNode } from 'graphql';

/** Most times one response name (alias or field name) may appear directly in one selection set. */
export const maxRepeatsOfOneField = 64;

/** The first field repeated more than the bound, or undefined. */
export function overRepeatedField(document: DocumentNode): FieldNode | undefined {
  let found: FieldNode | undefined;
  visit(document, {
    SelectionSet(node) {
      const counts = new Map<string, number>();
      for (const selection of node.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        if (count > maxRepeatsOfOneField) {
          found = selection;
          return false;
        }
      }
      return undefined;
    },
  });
  return found;
}
