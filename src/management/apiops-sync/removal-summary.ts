/**
 * What a replace import is about to remove, said before it happens: a count per kind and the
 * first names of each. A replace that would remove more resources than the folder holds is
 * most likely pointed at the wrong folder (or a partial one), so it is refused unless forced.
 */
import type { StoredEntity } from '../../core/entity-store.js';

/** How many names of each kind the summary shows. */
const NAMES_SHOWN = 5;

/** The replace was refused: it would remove more than the folder holds. The message lists what. */
export class RemovalRefusedError extends Error {
  constructor(readonly summary: string) {
    super(`${summary}\nNothing was changed. Check the folder; to remove them anyway, run the import again with --force.`);
    this.name = 'RemovalRefusedError';
  }
}

/** One line per kind (`  3 api: echo, orders, …`) under a headline with the totals. */
export function removalSummary(removed: readonly StoredEntity[], folderSize: number): string {
  const byKind = new Map<string, string[]>();
  for (const e of removed) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.id]);
  const lines = [...byKind].map(([kind, ids]) => {
    const more = ids.length > NAMES_SHOWN ? `, … (${ids.length - NAMES_SHOWN} more)` : '';
    return `  ${ids.length} ${kind}: ${ids.slice(0, NAMES_SHOWN).join(', ')}${more}`;
  });
  return [`replace would remove ${removed.length} stored resources, more than the ${folderSize} the folder holds:`, ...lines].join('\n');
}
