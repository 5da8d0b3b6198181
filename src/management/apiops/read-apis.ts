/**
 * Reads `apis/<api>/` folders (revisions as sibling `<api>;rev=N` folders): the information
 * file, the API policy, and the operations with their policies.
 */
import { join } from 'node:path';
import type { Api, ApiVersionSet } from '../../model/resources.js';
import { checkApiRoutes, type PlacedApi } from './check-api-routes.js';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { readInformationFile } from './information-file.js';
import { readPolicyFile } from './policy-file.js';
import { readApiInformation, type ApiDraft } from './read-api-information.js';
import { readApiOperations, specificationFileNames } from './read-api-operations.js';
import { typeImpliedBySpecification } from './read-xml-specification-file.js';
import { resolveRevisions } from './resolve-revisions.js';
import { UniqueNames } from './unique-names.js';

const readFiles = ['apiInformation.json', 'policy.xml', ...specificationFileNames];

/** Reads every API folder and checks revisions, paths and version set references. */
export async function readApis(ctx: FolderContext, dir: string, versionSets: readonly ApiVersionSet[]): Promise<Api[]> {
  const read: Array<{ draft: ApiDraft; folder: string; files: string[] }> = [];
  const names = new UniqueNames('API');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const apiDir = join(dir, folder);
    const info = await readInformationFile(ctx, join(apiDir, 'apiInformation.json'));
    const draft = readApiInformation(ctx, info, folder);
    names.claim(draft.api.name, draft.file);
    const entries = await listFolder(ctx, apiDir);
    for (const f of entries.files) if (!readFiles.includes(f)) ctx.ignore(join(apiDir, f), 'file not read');
    for (const f of entries.folders) {
      if (f !== 'operations') ctx.ignore(join(apiDir, f), `folder not read (${f} are not part of Gatehouse's model)`);
    }
    read.push({ draft, folder, files: entries.files });
  }

  const current = resolveRevisions(read.map((r) => r.draft));
  const placed: PlacedApi[] = [];
  for (const { draft, folder, files } of read) {
    ctx.progress(placed.length, read.length);
    const apiDir = join(dir, folder);
    const api: Api = {
      ...draft.api,
      isCurrent: current.get(draft) ?? false,
      operations: await readApiOperations(ctx, apiDir, files, draft.requiredQueryParameters),
    };
    api.type ??= typeImpliedBySpecification(files);
    const policy = await readPolicyFile(ctx, join(apiDir, 'policy.xml'));
    if (policy) api.policy = policy;
    placed.push({ api, file: draft.file });
  }
  ctx.progress(placed.length, read.length);
  checkApiRoutes(placed, versionSets);
  return placed.map((p) => p.api);
}
