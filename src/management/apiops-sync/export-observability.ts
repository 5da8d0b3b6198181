/**
 * Where an export writes loggers, diagnostics, tags and tag links, in the layout
 * the folder import reads (read-observability-folders.ts): one folder per resource with its
 * information file; a tag link's file carries no properties, its folder names the tag.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { relative } from './export-store-to-folder.js';
import { collectionFolders, informationFiles } from './folder-paths.js';

/** The stored kinds this module writes (and an import counts and replaces). */
export const observabilityKinds = ['logger', 'diagnostic', 'apiDiagnostic', 'tag', 'apiTag', 'productTag', 'operationTag'];

const name = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

/** The information file of `e` (path relative to the export folder, properties), or undefined for another kind. */
export function observabilityFile(e: StoredEntity): { path: string; properties: Record<string, unknown> } | undefined {
  const body: Record<string, unknown> = { ...e.body };
  switch (e.kind) {
    case 'logger':
      return { path: `${collectionFolders.loggers}/${name(e.id)}/${informationFiles.logger}`, properties: body };
    case 'diagnostic':
    case 'apiDiagnostic':
      // Service-relative, as every reference an export writes, so the folder imports into any service.
      body.loggerId = relative(body.loggerId);
      return { path: `${e.id}/${informationFiles.diagnostic}`, properties: body };
    case 'tag':
      return { path: `${e.id}/${informationFiles.tag}`, properties: body };
    case 'apiTag':
      return { path: `${e.id}/${informationFiles.apiTag}`, properties: {} };
    case 'productTag':
      return { path: `${e.id}/${informationFiles.productTag}`, properties: {} };
    case 'operationTag':
      return { path: `${e.id}/${informationFiles.operationTag}`, properties: {} };
    default:
      return undefined;
  }
}
