/**
 * Swagger 2.0 bodies and responses → the model's representations. Media types come from the
 * operation's `consumes`/`produces`, else the document's, else `application/json`.
 */
import type { OperationResponse, Representation } from '../../model/resources.js';
import { asObject, asStringArray, asText, type JsonObject } from './json-object.js';
import { headerParameters } from './parameters.js';

const formTypes = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** The request: the `body` parameter's schema, or one object schema built from `formData` parameters. */
export function swagger2Request(
  document: JsonObject,
  operation: JsonObject,
  parameters: JsonObject[],
): { description?: string; representations?: Representation[] } {
  const consumes = asStringArray(operation.consumes) ?? asStringArray(document.consumes) ?? [];
  const body = parameters.find((p) => p.in === 'body');
  if (body) {
    const types = consumes.filter((t) => !formTypes.includes(t));
    const representations = (types.length > 0 ? types : ['application/json']).map((contentType): Representation => {
      const r: Representation = { contentType };
      if (body.schema !== undefined) r.schema = body.schema;
      return r;
    });
    return { description: asText(body.description), representations };
  }
  const form = parameters.filter((p) => p.in === 'formData');
  if (form.length === 0) return {};
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const p of form) {
    const { name, in: _in, required: isRequired, ...rest } = p;
    properties[String(name)] = rest;
    if (isRequired === true) required.push(String(name));
  }
  const schema: JsonObject = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  const declared = consumes.filter((t) => formTypes.includes(t));
  const hasFile = form.some((p) => p.type === 'file');
  const types = declared.length > 0 ? declared : [hasFile ? 'multipart/form-data' : 'application/x-www-form-urlencoded'];
  return { representations: types.map((contentType) => ({ contentType, schema })) };
}

/** The responses with a numeric status code; `examples` are keyed by media type in Swagger 2. */
export function swagger2Responses(document: JsonObject, operation: JsonObject): OperationResponse[] {
  const produces = asStringArray(operation.produces) ?? asStringArray(document.produces) ?? [];
  const out: OperationResponse[] = [];
  for (const [code, value] of Object.entries(asObject(operation.responses) ?? {})) {
    if (!/^\d{3}$/.test(code)) continue;
    const response = asObject(value) ?? {};
    const r: OperationResponse = { statusCode: Number(code) };
    const description = asText(response.description);
    if (description !== undefined) r.description = description;
    const examples = asObject(response.examples) ?? {};
    if (response.schema !== undefined || Object.keys(examples).length > 0) {
      const types = [...new Set([...(produces.length > 0 ? produces : ['application/json']), ...Object.keys(examples)])];
      r.representations = types.map((contentType) => {
        const rep: Representation = { contentType };
        if (contentType in examples) rep.examples = { default: { value: examples[contentType] } };
        if (response.schema !== undefined) rep.schema = response.schema;
        return rep;
      });
    }
    const headers = headerParameters(response.headers);
    if (headers) r.headers = headers;
    out.push(r);
  }
  return out;
}
