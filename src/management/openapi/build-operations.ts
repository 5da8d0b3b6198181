/**
 * Builds the model's operations from a dereferenced specification, following Azure's OpenAPI
 * import: one operation per path and method, `urlTemplate` = the path (plus required query
 * parameters as `?a={a}` when the API asks for `translateRequiredQueryParameters: template`,
 * reference §1.3), names from operationId (operation-name.ts), display name from `summary`.
 * Servers, host and basePath are not read: the API's path and serviceUrl come from the API.
 */
import type { Operation, TemplateParameter } from '../../model/resources.js';
import { operationRouteKey } from '../../model/operation-route-key.js';
import { asObject, asText, type JsonObject } from './json-object.js';
import { OpenApiError } from './openapi-error.js';
import { openApi3RequestBody, openApi3Responses } from './openapi3-messages.js';
import { generatedOperationName, normalizeOperationName, OperationNames } from './operation-name.js';
import { mergeParameters, toTemplateParameter } from './parameters.js';
import { swagger2Request, swagger2Responses } from './swagger2-messages.js';
import { templateParameterNames, withQueryTemplate } from './url-template.js';

/** How required query parameters are imported (Azure's `translateRequiredQueryParameters`). */
export type RequiredQueryParameters = 'template' | 'query';

export interface BuildOptions {
  requiredQueryParameters: RequiredQueryParameters;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const maxDisplayName = 300;

/** The operations of a dereferenced document; throws OpenApiError. */
export function buildOperations(version: 2 | 3, document: JsonObject, options: BuildOptions): Operation[] {
  const names = new OperationNames();
  const seen = new Map<string, string>();
  const out: Operation[] = [];
  // Azure reads `x-ms-paths` beside `paths` (for operations told apart by query strings).
  const pathEntries = [...Object.entries(asObject(document.paths) ?? {}), ...Object.entries(asObject(document['x-ms-paths']) ?? {})];
  for (const [path, itemValue] of pathEntries) {
    const item = asObject(itemValue);
    if (!item) continue;
    if (!path.startsWith('/')) throw new OpenApiError(`path '${path}' must start with '/'`);
    for (const method of methods) {
      const op = asObject(item[method]);
      if (!op) continue;
      const operation = buildOne(version, document, path, method.toUpperCase(), item, op, options);
      const key = operationRouteKey(operation.method, operation.urlTemplate);
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new OpenApiError(`Operation with the same method and URL template already exists: ${operation.method}, ${operation.urlTemplate} (also ${previous})`);
      }
      seen.set(key, operation.urlTemplate);
      const operationId = asText(op.operationId);
      const base = (operationId !== undefined ? normalizeOperationName(operationId) : '') || generatedOperationName(operation.method, operation.urlTemplate);
      operation.name = names.take(base);
      out.push(operation);
    }
  }
  return out;
}

function buildOne(
  version: 2 | 3,
  document: JsonObject,
  path: string,
  method: string,
  item: JsonObject,
  op: JsonObject,
  options: BuildOptions,
): Operation {
  const parameters = mergeParameters(item.parameters, op.parameters);
  const inPath = new Set(templateParameterNames(path));
  const query = parameters.filter((p) => p.in === 'query');
  const templateQuery =
    options.requiredQueryParameters === 'template' ? query.filter((p) => p.required === true && !inPath.has(String(p.name))) : [];
  const urlTemplate = withQueryTemplate(path, templateQuery.map((p) => String(p.name)));

  const declared = new Map<string, JsonObject>();
  for (const p of [...parameters.filter((p) => p.in === 'path'), ...templateQuery]) declared.set(String(p.name), p);
  // Every `{name}` in the template is described; an undeclared one is a required string.
  const templateParameters: TemplateParameter[] = templateParameterNames(urlTemplate).map((name) => {
    const p = declared.get(name);
    return p ? { ...toTemplateParameter(p), required: true } : { name, type: 'string', required: true };
  });

  const operationId = asText(op.operationId);
  const summary = asText(op.summary)?.trim();
  const displayName = (summary ?? operationId ?? `${method[0]}${method.slice(1).toLowerCase()} - ${urlTemplate}`).slice(0, maxDisplayName);

  const queryParameters = query.filter((p) => !templateQuery.includes(p)).map(toTemplateParameter);
  const headers = parameters.filter((p) => p.in === 'header').map(toTemplateParameter);
  const body = version === 3 ? openApi3RequestBody(op) : swagger2Request(document, op, parameters);
  const request: NonNullable<Operation['request']> = {};
  if (body.description !== undefined) request.description = body.description;
  if (queryParameters.length > 0) request.queryParameters = queryParameters;
  if (headers.length > 0) request.headers = headers;
  if (body.representations) request.representations = body.representations;

  const operation: Operation = { name: '', displayName, method, urlTemplate, templateParameters };
  const description = asText(op.description);
  if (description !== undefined) operation.description = description;
  if (Object.keys(request).length > 0) operation.request = request;
  operation.responses = version === 3 ? openApi3Responses(op) : swagger2Responses(document, op);
  return operation;
}
