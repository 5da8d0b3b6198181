/**
 * Removes properties whose value is `undefined` from the loaded model, so a loaded resource has
 * exactly the keys its file gave (what the management API returns and what tests compare).
 */

/** Deletes undefined-valued keys of every plain object in the tree, in place. */
export function dropUndefined<T>(value: T): T {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) delete record[key];
      else visit(record[key]);
    }
  };
  visit(value);
  return value;
}
