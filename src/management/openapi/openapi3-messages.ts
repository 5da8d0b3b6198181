/** OpenAPI 3 request bodies and responses → the model's representations and responses. */
import type { OperationResponse, Representation } from '../../model/resources.js';
import { asObject, asText, type JsonObject } from './json-object.js';
import { headerParameters } from './parameters.js';

/** The representations of a `content` map, with examples and the schema kept for mocking. */
export function contentRepresentations(content: unknown): Representation[] | undefined {
  const map = asObject(content);
  if (!map) return undefined;
  const out: Representation[] = [];
  for (const [contentType, mediaValue] of Object.entries(map)) {
    const media = asObject(mediaValue) ?? {};
    const r: Representation = { contentType };
    const examples = mediaExamples(media);
    if (examples) r.examples = examples;
    if (media.schema !== undefined) r.schema = media.schema;
    out.push(r);
  }
  return out.length > 0 ? out : undefined;
}

/** `examples` (named) win over the single `example`, which becomes the `default` example. */
function mediaExamples(media: JsonObject): Representation['examples'] {
  const named = asObject(media.examples);
  if (named) {
    const out: NonNullable<Representation['examples']> = {};
    for (const [name, exValue] of Object.entries(named)) {
      const ex = asObject(exValue);
      // An Example Object without `value` points elsewhere (externalValue); nothing to serve.
      if (!ex || !('value' in ex)) continue;
      out[name] = { value: ex.value };
      const summary = asText(ex.summary);
      const description = asText(ex.description);
      if (summary !== undefined) out[name].summary = summary;
      if (description !== undefined) out[name].description = description;
    }
    if (Object.keys(out).length > 0) return out;
  }
  if ('example' in media) return { default: { value: media.example } };
  return undefined;
}

/** The request body: description and representations. */
export function openApi3RequestBody(operation: JsonObject): { description?: string; representations?: Representation[] } {
  const body = asObject(operation.requestBody);
  if (!body) return {};
  return { description: asText(body.description), representations: contentRepresentations(body.content) };
}

/** The responses with a numeric status code (`default` and `2XX` ranges have no APIM equivalent). */
export function openApi3Responses(operation: JsonObject): OperationResponse[] {
  const out: OperationResponse[] = [];
  for (const [code, value] of Object.entries(asObject(operation.responses) ?? {})) {
    if (!/^\d{3}$/.test(code)) continue;
    const response = asObject(value) ?? {};
    const r: OperationResponse = { statusCode: Number(code) };
    const description = asText(response.description);
    if (description !== undefined) r.description = description;
    const representations = contentRepresentations(response.content);
    if (representations) r.representations = representations;
    const headers = headerParameters(response.headers);
    if (headers) r.headers = headers;
    out.push(r);
  }
  return out;
}
