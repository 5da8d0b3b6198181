/** Reads `policy fragments/<name>/policyFragmentInformation.json` and its `policy.xml`. */
import { join } from 'node:path';
import type { PolicyFragment } from '../../model/resources.js';
import { ConfigFolderError } from './config-folder-error.js';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { readOptionalInformationFile, resourceName } from './information-file.js';
import { readPolicyFile } from './policy-file.js';
import { UniqueNames } from './unique-names.js';

/** Reads every policy fragment folder; the fragment's XML root must be `<fragment>`. */
export async function readPolicyFragments(ctx: FolderContext, dir: string): Promise<PolicyFragment[]> {
  const out: PolicyFragment[] = [];
  const names = new UniqueNames('policy fragment');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const base = join(dir, folder);
    // The information file only carries a description; a fragment without one is still whole.
    const info = await readOptionalInformationFile(ctx, join(base, 'policyFragmentInformation.json'));
    const policy = await readPolicyFile(ctx, join(base, 'policy.xml'), 'fragment');
    if (!policy) throw new ConfigFolderError(ctx.rel(join(base, 'policy.xml')), 'file is missing (a policy fragment needs its XML)');
    const name = info ? resourceName(info, folder) : folder;
    names.claim(name, policy.source);
    out.push({
      name,
      description: info?.properties.string('description'),
      policy,
    });
  }
  return out;
}
