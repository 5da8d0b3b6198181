/**
 * Decides which revision of each API is current (reference §1.2 step 4, §5.2 "Revision"). The
 * extractor writes the current revision as `apis/<api>` with `isCurrent: true` and the others as
 * `apis/<api>;rev=N`. Rules: a lone revision is current; otherwise the one marked
 * `isCurrent: true`; when none is marked, the folder without `;rev=` (Azure's name without a
 * revision always denotes the current one).
 */
import { apiBaseName } from '../../model/resources.js';
import type { ApiDraft } from './read-api-information.js';
import { ConfigFolderError } from './config-folder-error.js';

/** Returns, for each draft, whether it is the current revision; throws on conflicts. */
export function resolveRevisions(drafts: readonly ApiDraft[]): Map<ApiDraft, boolean> {
  const groups = new Map<string, ApiDraft[]>();
  for (const d of drafts) {
    const base = apiBaseName(d.api.name);
    groups.set(base, [...(groups.get(base) ?? []), d]);
  }
  const out = new Map<ApiDraft, boolean>();
  for (const [base, group] of groups) {
    const revisions = new Map<string, ApiDraft>();
    for (const d of group) {
      const other = revisions.get(d.api.apiRevision);
      if (other) {
        throw new ConfigFolderError(d.file, `revision ${d.api.apiRevision} of API '${base}' is also defined by ${other.file}`);
      }
      revisions.set(d.api.apiRevision, d);
    }
    let current: ApiDraft | undefined;
    if (group.length === 1) {
      current = group[0];
    } else {
      const marked = group.filter((d) => d.declaredCurrent === true);
      if (marked.length > 1) {
        throw new ConfigFolderError(marked[1]!.file, `API '${base}' has more than one current revision (also ${marked[0]!.file}); mark one isCurrent: true`);
      }
      current = marked[0] ?? group.find((d) => !d.revisionSuffix);
      if (!current) {
        throw new ConfigFolderError(group[0]!.file, `API '${base}' has no current revision; mark one isCurrent: true`);
      }
    }
    for (const d of group) out.set(d, d === current);
  }
  return out;
}
