/**
 * `validate-graphql-request`: checks a GraphQL request against the GraphQL API's schema and
 * authorizes the fields it selects (Microsoft's validate-graphql-request page): the request's
 * size (`max-size`), its syntax and its validity against the schema (the `graphql` reference
 * implementation), its depth (`max-depth`, default 6), then the `authorize` rules
 * (graphql/field-authorization.ts). A failure is a request error: the request does not reach
 * the backend, and the caller gets `{ "errors": [ … ] }` with no `data`. A removed field is a
 * field error: the field leaves the query and the request goes on. Every error is added to the
 * `GraphQLErrors` variable and to `error-variable-name`.
 */
import { STATUS_CODES } from 'node:http';
import { buildASTSchema, GraphQLError, Kind, parse, print, validate, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { JArray, JObject, JValue } from '../expressions/runtime/json.js';
import { graphqlSchemaContentType } from '../model/api-type.js';
import type { Api } from '../model/resources.js';
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import { HeaderMap } from '../pipeline/header-map.js';
import { MessageBody } from '../pipeline/message-body.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { childElements } from '../pipeline/xml.js';
import { authorizeFields, parseRulePath, type FieldAction, type RulePath } from './graphql/field-authorization.js';
import { readGraphqlRequest, writeGraphqlQuery } from './graphql/graphql-request.js';
import { operationDepth } from './graphql/query-depth.js';
import { maxRepeatsOfOneField, overRepeatedField } from './graphql/repeated-fields.js';

/** Azure's limit on max-size. */
const maxSizeLimit = 102_400;
/** Most tokens a query may have: parsing and validation (some of its rules are quadratic) stay bounded whatever max-size allows. */
const maxTokens = 5_000;
const fieldActions: readonly FieldAction[] = ['allow', 'remove', 'reject', 'ignore'];
const ruleAttributes: Record<string, AttributeSpec> = {
  path: { type: 'string', required: true },
  action: { type: 'enum', values: fieldActions, default: 'allow', expression: true },
};

/** One GraphQL error as the caller and the variables see it. */
interface GraphqlErrorEntry {
  message: string;
  code: string;
  line?: number;
  column?: number;
}

export const validateGraphqlRequest: PolicyModule = {
  name: 'validate-graphql-request',
  sections: ['inbound'],
  attributes: {
    'error-variable-name': { type: 'string' },
    'max-size': { type: 'integer', required: true, min: 0, max: maxSizeLimit, expression: true },
    'max-depth': { type: 'integer', default: 6, min: 1, expression: true },
  },
  compile(element, ctx) {
    const errorVariable = ctx.string(element, 'error-variable-name')?.constant;
    const maxSize = ctx.integer(element, 'max-size')!;
    const maxDepth = ctx.integer(element, 'max-depth')!;
    const rules: Array<{ path: RulePath; action: Value<string> }> = [];
    let sawAuthorize = false;
    for (const child of childElements(element)) {
      if (child.name !== 'authorize') ctx.fail(child, `The element '${child.name}' is not allowed in 'validate-graphql-request'; expected 'authorize'.`);
      if (sawAuthorize) ctx.fail(child, "The 'authorize' element may appear only once.");
      sawAuthorize = true;
      checkChildAttributes(child, {}, ctx);
      for (const rule of childElements(child)) {
        if (rule.name !== 'rule') ctx.fail(rule, `The element '${rule.name}' is not allowed in 'authorize'; expected 'rule'.`);
        checkChildAttributes(rule, ruleAttributes, ctx);
        const pathText = ctx.string(rule, 'path', ruleAttributes.path)!.constant!;
        const path = parseRulePath(pathText) ?? ctx.fail(rule, `The rule path '${pathText}' must be '/Type/field', '/Type/*', '/field' or '/__*'.`);
        rules.push({ path, action: ctx.string(rule, 'action', ruleAttributes.action)! });
      }
    }

    return async (gw) => {
      const errors: GraphqlErrorEntry[] = [];
      const fail = (entries: GraphqlErrorEntry[]): void => {
        errors.push(...entries);
        record(gw, errors, errorVariable);
        answerWithErrors(gw, entries);
      };
      const limit = maxSize.get(gw);
      const isGet = gw.request.method.toUpperCase() === 'GET';
      if (!isGet) await bufferWithinLimit(gw, gw.request.body, 'request', 'validate-graphql-request');
      const request = readGraphqlRequest(gw);
      const size = isGet ? Buffer.byteLength(request.query ?? '') : (gw.request.body.bufferedContent?.length ?? 0);
      if (size > limit) return fail([{ message: `The request is ${size} bytes long and it exceeds the limit of ${limit} bytes.`, code: 'REQUEST_TOO_LARGE' }]);
      if (request.query === undefined) return fail([{ message: 'The request has no GraphQL query.', code: 'GRAPHQL_PARSE_FAILED' }]);

      let document: DocumentNode;
      try {
        document = parse(request.query, { maxTokens });
      } catch (err) {
        return fail([graphqlEntry(err, 'GRAPHQL_PARSE_FAILED')]);
      }
      const schema = graphqlSchemaOf(gw.api);
      if (!schema) throw new PolicyRuntimeError('validate-graphql-request', 'PolicyExecutionFailure', `The API '${gw.api.name}' has no GraphQL schema to validate against.`);
      const repeated = overRepeatedField(document);
      if (repeated) {
        const where = repeated.loc?.startToken;
        const key = repeated.alias?.value ?? repeated.name.value;
        return fail([{ message: `The field '${key}' is selected more than ${maxRepeatsOfOneField} times in one selection set.`, code: 'GRAPHQL_VALIDATION_FAILED', line: where?.line, column: where?.column }]);
      }
      const invalid = validate(schema, document, undefined, { maxErrors: 20 });
      if (invalid.length > 0) return fail(invalid.map((e) => graphqlEntry(e, 'GRAPHQL_VALIDATION_FAILED')));

      const depthLimit = maxDepth.get(gw);
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      for (const d of document.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        const depth = operationDepth(d, fragments);
        if (depth > depthLimit) {
          const where = d.loc?.startToken;
          return fail([{ message: `The query has a depth of ${depth} and it exceeds the maximum depth of ${depthLimit}.`, code: 'QUERY_TOO_DEEP', line: where?.line, column: where?.column }]);
        }
      }

      if (rules.length > 0) {
        const decided = new Map<number, FieldAction>();
        const actionOf = (i: number): FieldAction => {
          let action = decided.get(i);
          if (action === undefined) {
            const given = rules[i]!.action.get(gw).toLowerCase();
            // An expression may compute any text: one that is not an action fails closed.
            action = (fieldActions as readonly string[]).includes(given) ? (given as FieldAction) : 'reject';
            decided.set(i, action);
          }
          return action;
        };
        const outcome = authorizeFields(schema, document, rules.map((r) => r.path), actionOf);
        if (outcome.rejected) {
          const r = outcome.rejected;
          return fail([{ message: `Access to the field '${r.parentType}.${r.field}' is not allowed.`, code: 'FIELD_REJECTED', line: r.line, column: r.column }]);
        }
        for (const r of outcome.removed) errors.push({ message: `The field '${r.parentType}.${r.field}' was removed from the request.`, code: 'FIELD_REMOVED', line: r.line, column: r.column });
        if (outcome.emptied) return fail([{ message: 'Every field the operation selects was removed from the request.', code: 'FIELD_REMOVED' }]);
        if (outcome.removed.length > 0) writeGraphqlQuery(gw, request, print(outcome.document));
      }
      record(gw, errors, errorVariable);
      if (gw.requestTrace) gw.traceStep('validate-graphql-request', { valid: true, fieldErrors: errors.map((e) => e.message) });
    };
  },
};

const schemas = new WeakMap<Api, GraphQLSchema | null>();

/** The API's GraphQL schema, built once per snapshot; null when it has none (or it does not build). */
function graphqlSchemaOf(api: Api): GraphQLSchema | null {
  let schema = schemas.get(api);
  if (schema !== undefined) return schema;
  schema = null;
  const stored = api.schemas?.find((s) => s.contentType.toLowerCase() === graphqlSchemaContentType);
  if (stored && typeof stored.document.value === 'string') {
    try {
      schema = buildASTSchema(parse(stored.document.value));
    } catch {
      schema = null;
    }
  }
  schemas.set(api, schema);
  return schema;
}

function graphqlEntry(err: unknown, code: string): GraphqlErrorEntry {
  const location = err instanceof GraphQLError ? err.locations?.[0] : undefined;
  return { message: (err as Error).message, code, line: location?.line, column: location?.column };
}

/** The entries as the GraphQL response's `errors` list. */
function errorList(entries: readonly GraphqlErrorEntry[]): object[] {
  return entries.map((e) => ({
    message: e.message,
    ...(e.line !== undefined && e.column !== undefined ? { locations: [{ line: e.line, column: e.column }] } : {}),
    extensions: { code: e.code },
  }));
}

/** Ends the request with `{ "errors": [...] }` and no `data` (a request error). */
function answerWithErrors(gw: GatewayContext, entries: readonly GraphqlErrorEntry[]): void {
  const headers = new HeaderMap();
  headers.set('Content-Type', 'application/json; charset=utf-8');
  gw.response.body.discard();
  gw.response = { statusCode: 400, statusReason: STATUS_CODES[400] ?? '', headers, body: new MessageBody(JSON.stringify({ errors: errorList(entries) })) };
  gw.responded = true;
  if (gw.requestTrace) gw.traceStep('validate-graphql-request', { rejected: entries.map((e) => e.message) });
}

/** Sets `GraphQLErrors` and the error variable to the errors as a JArray. */
function record(gw: GatewayContext, entries: readonly GraphqlErrorEntry[], errorVariable: string | undefined): void {
  const list = new JArray();
  for (const e of entries) {
    const item = new JObject();
    item.set('message', new JValue(e.message, 'String'));
    const extensions = new JObject();
    extensions.set('code', new JValue(e.code, 'String'));
    item.set('extensions', extensions);
    list.push(item);
  }
  gw.variables.set('GraphQLErrors', list);
  if (errorVariable !== undefined) gw.variables.set(errorVariable, list);
  if (entries.length > 0) gw.services.logger.warn({ requestId: gw.requestId, policy: 'validate-graphql-request', errors: entries.map((e) => e.message) }, 'validate-graphql-request found errors');
}
