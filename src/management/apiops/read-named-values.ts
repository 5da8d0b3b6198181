/** A stored named value's properties as the gateway's model (reference §4.3); read by store-config/service-config-from-entities.ts. */
import type { NamedValue } from '../../model/resources.js';
import type { FolderContext } from './folder-context.js';
import type { JsonFields } from './json-fields.js';

// Azure's rule for named value display names (reference §4.3), which policies reference.
const displayNamePattern = /^[A-Za-z0-9-._]+$/;

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
