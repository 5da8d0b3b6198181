/**
 * Operation representations as older api-versions wrote them: one `sample` string (the
 * RepresentationContract of 2019-12-01 and before) where 2024-05-01 has named `examples`.
 * Extracts made with an older api-version carry `sample`; it becomes the `default` example, which
 * is what the newer contract shows for it and what mock-response answers with.
 */
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import { isRecord } from '../apiops/json-fields.js';

/** The representation with `sample` moved to `examples.default`; a sample contradicting `examples.default` is refused naming `file`. */
function withDefaultExample(representation: unknown, at: string, file: string): unknown {
  if (!isRecord(representation) || !('sample' in representation)) return representation;
  const { sample, ...rest } = representation;
  if (sample === null || sample === undefined) return rest;
  // The operation reader (parse-operation-contract.ts) has refused a sample that is not a string.
  const examples = rest.examples ?? {};
  if (!isRecord(examples)) return rest; // the operation schema refuses such `examples` with its own message
  const given = examples.default;
  if (given !== undefined && !(isRecord(given) && given.value === sample)) {
    throw new ConfigFolderError(file, `property 'properties.${at}.sample' differs from its 'examples.default' (older and newer forms of one example); keep one`);
  }
  return { ...rest, examples: { ...examples, default: { ...(isRecord(given) ? given : {}), value: sample } } };
}

/** Maps each representation of `list` (a request's or a response's). */
function mapRepresentations(owner: unknown, at: string, file: string): unknown {
  if (!isRecord(owner) || !Array.isArray(owner.representations)) return owner;
  return { ...owner, representations: owner.representations.map((r, i) => withDefaultExample(r, `${at}.representations[${i}]`, file)) };
}

/** An operation's `properties` from `file` with every representation's `sample` as its default example. */
export function operationWithDefaultExamples(properties: Record<string, unknown>, file: string): Record<string, unknown> {
  const out = { ...properties };
  if (properties.request !== undefined) out.request = mapRepresentations(properties.request, 'request', file);
  if (Array.isArray(properties.responses)) out.responses = properties.responses.map((r, i) => mapRepresentations(r, `responses[${i}]`, file));
  return out;
}
