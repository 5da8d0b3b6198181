/**
 * `apis/<api>/operations/<op>/operationInformation.json` → an operation, in ARM's operation
 * contract shape (reference §5.2 "Operation"). Azure/apiops itself derives operations from the
 * specification; other extractors write these files, and when present they are used instead.
 */
import type { Operation, OperationResponse, Representation, TemplateParameter } from '../../model/resources.js';
import { templateParameterNames } from '../openapi/url-template.js';
import type { JsonFields } from './json-fields.js';

/** Reads one operation contract; `name` is the operation's resource name. */
export function parseOperationContract(name: string, p: JsonFields): Operation {
  const displayName = p.requiredString('displayName', true);
  if (displayName.length > 300) p.fail('displayName', 'must be at most 300 characters');
  const method = p.requiredString('method', true).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) p.fail('method', `must be an HTTP method, found '${method}'`);
  const urlTemplate = p.requiredString('urlTemplate', true);
  if (!urlTemplate.startsWith('/')) p.fail('urlTemplate', `must start with '/', found '${urlTemplate}'`);
  if (urlTemplate.length > 1000) p.fail('urlTemplate', 'must be at most 1000 characters');
  const templateParameters = (p.objectArray('templateParameters') ?? []).map(parseParameter);
  // Azure refuses a template whose parameters are not described (save-time validation).
  for (const used of templateParameterNames(urlTemplate)) {
    if (!templateParameters.some((t) => t.name === used)) {
      p.fail('templateParameters', `must describe the URL template parameter '${used}'`);
    }
  }
  const operation: Operation = { name, displayName, method, urlTemplate, templateParameters };
  const description = p.string('description');
  if (description !== undefined) operation.description = description;
  const request = p.object('request');
  if (request) {
    operation.request = {
      description: request.string('description'),
      queryParameters: request.objectArray('queryParameters')?.map(parseParameter),
      headers: request.objectArray('headers')?.map(parseParameter),
      representations: request.objectArray('representations')?.map(parseRepresentation),
    };
  }
  const responses = p.objectArray('responses');
  if (responses) operation.responses = responses.map(parseResponse);
  return operation;
}

function parseParameter(p: JsonFields): TemplateParameter {
  const values = p.stringArray('values');
  return {
    name: p.requiredString('name', true),
    type: p.string('type'),
    required: p.boolean('required'),
    defaultValue: p.string('defaultValue'),
    values: values && values.length > 0 ? values : undefined,
    description: p.string('description'),
  };
}

function parseRepresentation(p: JsonFields): Representation {
  const r: Representation = { contentType: p.requiredString('contentType', true) };
  const schemaId = p.string('schemaId');
  const typeName = p.string('typeName');
  if (schemaId !== undefined) r.schemaId = schemaId;
  if (typeName !== undefined) r.typeName = typeName;
  // Not Azure's: the resolved schema `gatehouse export` writes for operations imported from OpenAPI (mock-response uses it).
  const schema = p.raw('schema');
  if (schema !== undefined && schema !== null) r.schema = schema;
  const examples = p.object('examples');
  if (examples) {
    r.examples = {};
    for (const key of examples.keys()) {
      const ex = examples.object(key);
      if (!ex) continue;
      r.examples[key] = { value: ex.raw('value'), summary: ex.string('summary'), description: ex.string('description') };
    }
  } else if (p.has('sample')) {
    // Older api-versions carry one `sample` string instead of named examples.
    r.examples = { default: { value: p.string('sample') } };
  }
  return r;
}

function parseResponse(p: JsonFields): OperationResponse {
  const statusCode = p.integer('statusCode') ?? p.fail('statusCode', 'is required');
  if (statusCode < 100 || statusCode > 599) p.fail('statusCode', `must be an HTTP status code, found ${statusCode}`);
  return {
    statusCode,
    description: p.string('description'),
    representations: p.objectArray('representations')?.map(parseRepresentation),
    headers: p.objectArray('headers')?.map(parseParameter),
  };
}
