/**
 * Checks that the current APIs can be told apart by the gateway (reference §1.2): an API path
 * belongs to one unversioned API or to one version set, and within a version set each version
 * appears once. Version set references must exist.
 */
import type { Api, ApiVersionSet } from '../../model/resources.js';
import { ConfigFolderError } from './config-folder-error.js';

export interface PlacedApi {
  api: Api;
  file: string;
}

/** Throws ConfigFolderError for duplicate paths, duplicate versions or unknown version sets. */
export function checkApiRoutes(apis: readonly PlacedApi[], versionSets: readonly ApiVersionSet[]): void {
  const setNames = new Set(versionSets.map((v) => v.name));
  for (const { api, file } of apis) {
    if (api.apiVersionSetId !== undefined && !setNames.has(api.apiVersionSetId)) {
      throw new ConfigFolderError(file, `property 'properties.apiVersionSetId' names version set '${api.apiVersionSetId}', which has no folder under 'version sets/'`);
    }
  }
  const byPath = new Map<string, PlacedApi[]>();
  for (const placed of apis) {
    if (!placed.api.isCurrent) continue;
    const key = placed.api.path.toLowerCase();
    byPath.set(key, [...(byPath.get(key) ?? []), placed]);
  }
  for (const group of byPath.values()) {
    const first = group[0]!;
    for (const other of group.slice(1)) {
      const a = first.api;
      const b = other.api;
      const describe = `path '${b.path}' is already used by API '${a.name}' (${first.file})`;
      if (a.apiVersionSetId === undefined || a.apiVersionSetId !== b.apiVersionSetId) throw new ConfigFolderError(other.file, describe);
    }
    const versions = new Map<string, PlacedApi>();
    for (const placed of group) {
      const v = (placed.api.apiVersion ?? '').toLowerCase();
      const prior = versions.get(v);
      if (prior) {
        throw new ConfigFolderError(
          placed.file,
          `version '${placed.api.apiVersion ?? ''}' of path '${placed.api.path}' in version set '${placed.api.apiVersionSetId}' is already used by API '${prior.api.name}' (${prior.file})`,
        );
      }
      versions.set(v, placed);
    }
  }
}
