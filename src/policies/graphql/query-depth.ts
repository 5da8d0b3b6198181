/**
 * The depth of a GraphQL operation: a field at the root is depth 1, each nested selection adds
 * one; fragments count where they are spread. Each fragment's own depth is worked out once, so
 * fragments spreading each other many times cannot make this slow; a fragment that spreads
 * itself (the schema validation's error) counts as empty where it recurs.
 */
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The deepest field of `operation`, fragments expanded. */
export function operationDepth(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): number {
  const known = new Map<string, number>();
  const expanding = new Set<string>();
  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet));
      else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(selection.selectionSet));
      else deepest = Math.max(deepest, fragmentDepth(selection.name.value));
    }
    return deepest;
  };
  const fragmentDepth = (name: string): number => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const fragment = fragments.get(name);
    if (!fragment || expanding.has(name)) return 0;
    expanding.add(name);
    const depth = depthOf(fragment.selectionSet);
    expanding.delete(name);
    known.set(name, depth);
    return depth;
  };
  return depthOf(operation.selectionSet);
}
