/**
 * validate-graphql-request's `authorize` rules, applied to every field a GraphQL document
 * selects: a rule's `path` is `/Type/field`, `/Type/*` (any field of the type), `/field` (a
 * field of a root operation type) or `/__*` (the introspection system: any field whose name
 * starts with `__`). The first rule that matches and whose action is not `ignore` decides:
 * `allow` passes the field, `remove` takes it out of the request (a field error), `reject`
 * fails the whole request. Selections left empty by a removal are removed in turn.
 */
import { BREAK, Kind, TypeInfo, visit, visitWithTypeInfo, type ASTNode, type DocumentNode, type FieldNode, type GraphQLSchema } from 'graphql';

export type FieldAction = 'allow' | 'remove' | 'reject' | 'ignore';

/** A compiled rule path. */
export interface RulePath {
  text: string;
  matches(parentType: string, field: string, isRootType: boolean): boolean;
}

/** Reads a rule's `path`; undefined when it has none of the four forms. */
export function parseRulePath(text: string): RulePath | undefined {
  if (text === '/__*') return { text, matches: (_p, field) => field.startsWith('__') };
  const parts = /^\/([_A-Za-z][_0-9A-Za-z]*)(?:\/([_A-Za-z][_0-9A-Za-z]*|\*))?$/.exec(text);
  if (!parts) return undefined;
  const [, first, second] = parts;
  if (second === undefined) return { text, matches: (_p, field, isRoot) => isRoot && field === first };
  if (second === '*') return { text, matches: (parent) => parent === first };
  return { text, matches: (parent, field) => parent === first && field === second };
}

/** One field the rules removed or rejected. */
export interface FieldDecision {
  action: 'remove' | 'reject';
  parentType: string;
  field: string;
  line: number;
  column: number;
}

export interface AuthorizationOutcome {
  /** The document with removed fields taken out (the same object when nothing was removed). */
  document: DocumentNode;
  removed: FieldDecision[];
  rejected?: FieldDecision;
  /** True when a removal left an operation with nothing to select. */
  emptied: boolean;
}

/** Applies the rules to `document`; `actionOf(i)` is rule i's action for this request. */
export function authorizeFields(schema: GraphQLSchema, document: DocumentNode, rules: readonly RulePath[], actionOf: (index: number) => FieldAction): AuthorizationOutcome {
  const typeInfo = new TypeInfo(schema);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name].filter((n): n is string => n !== undefined));
  const removed: FieldDecision[] = [];
  let rejected: FieldDecision | undefined;
  const edited = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const parentType = typeInfo.getParentType()?.name ?? '';
        const field = node.name.value;
        for (let i = 0; i < rules.length; i++) {
          if (!rules[i]!.matches(parentType, field, roots.has(parentType))) continue;
          const action = actionOf(i);
          if (action === 'ignore') continue;
          if (action === 'allow') return undefined;
          const decision: FieldDecision = { action, parentType, field, line: node.loc?.startToken.line ?? 0, column: node.loc?.startToken.column ?? 0 };
          if (action === 'reject') {
            rejected = decision;
            return BREAK;
          }
          removed.push(decision);
          return null;
        }
        return undefined;
      },
    }),
  );
  if (rejected) return { document, removed, rejected, emptied: false };
  if (removed.length === 0) return { document, removed, emptied: false };
  const pruned = pruneEmptySelections(edited);
  const emptied = pruned.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.selectionSet.selections.length === 0);
  return { document: pruned, removed, emptied };
}

/** Removes fields and fragments whose selections became empty, and fragments no longer spread, until none is left. */
function pruneEmptySelections(document: DocumentNode): DocumentNode {
  let current = document;
  for (;;) {
    const emptyFragments = new Set(
      current.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.selectionSet.selections.length === 0).map((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? d.name.value : '')),
    );
    let changed = false;
    const drop = (): null => {
      changed = true;
      return null;
    };
    const next: DocumentNode = visit(current, {
      leave(node: ASTNode) {
        if ((node.kind === Kind.FIELD || node.kind === Kind.INLINE_FRAGMENT) && node.selectionSet && node.selectionSet.selections.length === 0) return drop();
        if (node.kind === Kind.FRAGMENT_SPREAD && emptyFragments.has(node.name.value)) return drop();
        if (node.kind === Kind.FRAGMENT_DEFINITION && emptyFragments.has(node.name.value)) return drop();
        return undefined;
      },
    });
    if (!changed) return removeUnusedFragments(next);
    current = next;
  }
}

/** Drops fragment definitions nothing spreads any more (again, as a dropped one may have spread others). */
function removeUnusedFragments(document: DocumentNode): DocumentNode {
  let current = document;
  for (;;) {
    const spread = new Set<string>();
    visit(current, {
      FragmentSpread(node) {
        spread.add(node.name.value);
      },
    });
    const definitions = current.definitions.filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION || spread.has(d.name.value));
    if (definitions.length === current.definitions.length) return current;
    current = { ...current, definitions };
  }
}
