/** Reads `named values/<name>/namedValueInformation.json` (reference §4.3). */
import { join } from 'node:path';
import type { NamedValue } from '../../model/resources.js';
import type { FolderContext } from './folder-context.js';
import { listFolder } from './folder-files.js';
import { readInformationFile, resourceName } from './information-file.js';
import type { JsonFields } from './json-fields.js';
import { UniqueNames } from './unique-names.js';

// Azure's rule for named value display names (reference §4.3), which policies reference.
const displayNamePattern = /^[A-Za-z0-9-._]+$/;

/** Reads every named value folder. */
export async function readNamedValues(ctx: FolderContext, dir: string): Promise<NamedValue[]> {
  const out: NamedValue[] = [];
  const names = new UniqueNames('named value');
  // Policies reference named values by display name (reference §4.3), so those must be unique too.
  const displayNames = new UniqueNames('named value display name');
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const info = await readInformationFile(ctx, join(dir, folder, 'namedValueInformation.json'));
    const namedValue = namedValueFromProperties(ctx, resourceName(info, folder), info.properties);
    names.claim(namedValue.name, info.file);
    displayNames.claim(namedValue.displayName, info.file);
    out.push(namedValue);
  }
  return out;
}

/** A named value's ARM `properties` (value in plain text) → the model. */
export function namedValueFromProperties(ctx: FolderContext, name: string, p: JsonFields): NamedValue {
  const displayName = p.string('displayName') ?? name;
  if (!displayNamePattern.test(displayName) || displayName.length > 256) {
    p.fail('displayName', `must be 1-256 characters of letters, digits, '-', '.' and '_', found '${displayName}'`);
  }
  const secret = p.boolean('secret') ?? false;
  const keyVault = p.object('keyVault');
  let value = p.string('value');
  if (value !== undefined && value.length > 4096) p.fail('value', 'must be at most 4096 characters');
  if (value === undefined) {
    // The extractor never writes secret or Key Vault values; load them empty and say so
    // rather than refusing a real export (the value is set through the management API).
    if (keyVault) {
      ctx.log(`${p.file}: Key Vault named value '${displayName}' is not fetched; its value is empty until set`);
    } else if (secret) {
      ctx.log(`${p.file}: secret named value '${displayName}' has no value in the folder; its value is empty until set`);
    } else {
      p.fail('value', 'is required for a named value that is neither secret nor a Key Vault reference');
    }
    value = '';
  }
  return { name, displayName, value, secret: secret || keyVault !== undefined, tags: p.stringArray('tags') };
}
