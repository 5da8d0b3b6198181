/**
 * Turns a dereferenced document with reference cycles into a tree that JSON can carry: a
 * schema that contains itself is cut at the repetition and replaced by an empty schema
 * (Azure does not import recursive schemas either, reference: API import restrictions).
 * Shared sub-trees that are not part of a cycle stay shared so large specs do not blow up.
 */

/** The placeholder that replaces a recursive reference. */
export const recursionPlaceholder = (): Record<string, unknown> => ({ description: 'recursive schema reference' });

/** Returns a copy of `value` without reference cycles. */
export function breakCycles(value: unknown): unknown {
  const onPath = new Map<object, number>();
  const done = new Map<object, unknown>();

  // Returns the copy and the shallowest path depth a cut inside it pointed at (Infinity if none).
  const visit = (node: unknown, depth: number): [unknown, number] => {
    if (typeof node !== 'object' || node === null) return [node, Infinity];
    const ancestor = onPath.get(node);
    if (ancestor !== undefined) return [recursionPlaceholder(), ancestor];
    const finished = done.get(node);
    if (finished !== undefined) return [finished, Infinity];
    onPath.set(node, depth);
    let lowest = Infinity;
    let copy: unknown;
    if (Array.isArray(node)) {
      copy = node.map((item) => {
        const [c, low] = visit(item, depth + 1);
        lowest = Math.min(lowest, low);
        return c;
      });
    } else {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const [c, low] = visit(v, depth + 1);
        lowest = Math.min(lowest, low);
        out[k] = c;
      }
      copy = out;
    }
    onPath.delete(node);
    // A copy whose cuts point only at itself (or nowhere) is correct wherever the node recurs.
    if (lowest >= depth) done.set(node, copy);
    return [copy, lowest >= depth ? Infinity : lowest];
  };
  return visit(value, 0)[0];
}
