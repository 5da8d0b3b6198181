/** A stored version set's properties as the gateway's model (reference §5.2 "Version set"); read by store-config/service-config-from-entities.ts. */
import type { ApiVersionSet } from '../../model/resources.js';
import type { JsonFields } from './json-fields.js';

/** A version set's ARM `properties` → the model. */
export function versionSetFromProperties(name: string, p: JsonFields): ApiVersionSet {
  const versioningScheme = p.enumValue('versioningScheme', ['Segment', 'Query', 'Header'] as const) ?? p.fail('versioningScheme', 'is required');
  const set: ApiVersionSet = {
    name,
    displayName: p.requiredString('displayName', true),
    versioningScheme,
    versionQueryName: p.string('versionQueryName'),
    versionHeaderName: p.string('versionHeaderName'),
    description: p.string('description'),
  };
  // The gateway cannot find the version without its parameter name (reference §1.2).
  if (versioningScheme === 'Query' && !set.versionQueryName) p.fail('versionQueryName', 'is required when versioningScheme is Query');
  if (versioningScheme === 'Header' && !set.versionHeaderName) p.fail('versionHeaderName', 'is required when versioningScheme is Header');
  return set;
}
