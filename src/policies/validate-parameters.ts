/**
 * `validate-parameters`: checks the request's path, query and header parameters against the
 * operation's definitions (reference §3 "Validation", Microsoft's validate-parameters page):
 * a declared parameter must have one value that parses as its type and is among its allowed
 * values (`specified-parameter-action`); a parameter the operation does not declare is an error
 * of its own (`unspecified-parameter-action`; path parameters are all declared by the URL
 * template). `headers`, `query` and `path` override the actions for their group, and their
 * `parameter` children for one name. Missing required parameters are not an error: Azure's
 * list of validation errors has none for them.
 */
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';
import { checkNameGroup, groupPairs, readOverrides, type NameGroupActions } from './validation/named-value-groups.js';
import { NamedOverrides } from './validation/parameter-checks.js';
import { actionAttribute, errorsVariableAttribute, ValidationFindings } from './validation/validation-findings.js';

const groupAttributes: Record<'headers' | 'query' | 'path', Record<string, AttributeSpec>> = {
  headers: { 'specified-parameter-action': actionAttribute(false), 'unspecified-parameter-action': actionAttribute(false) },
  query: { 'specified-parameter-action': actionAttribute(false), 'unspecified-parameter-action': actionAttribute(false) },
  path: { 'specified-parameter-action': actionAttribute(false) },
};

export const validateParameters: PolicyModule = {
  name: 'validate-parameters',
  sections: ['inbound'],
  oncePerSection: true,
  attributes: {
    'specified-parameter-action': actionAttribute(true),
    'unspecified-parameter-action': actionAttribute(true),
    'errors-variable-name': errorsVariableAttribute,
  },
  compile(element, ctx) {
    const parent = {
      specified: ctx.string(element, 'specified-parameter-action')!,
      unspecified: ctx.string(element, 'unspecified-parameter-action')!,
    };
    const errorsVariable = ctx.string(element, 'errors-variable-name')?.constant;
    const groups: Record<'headers' | 'query' | 'path', NameGroupActions> = {
      headers: { overrides: new NamedOverrides(true) },
      query: { overrides: new NamedOverrides(false) },
      path: { overrides: new NamedOverrides(false) },
    };
    const seen = new Set<string>();
    for (const child of childElements(element)) {
      if (child.name !== 'headers' && child.name !== 'query' && child.name !== 'path') {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'validate-parameters'; expected 'headers', 'query' or 'path'.`);
      }
      const group = child.name as 'headers' | 'query' | 'path';
      if (seen.has(group)) ctx.fail(child, `The '${group}' element may appear only once.`);
      seen.add(group);
      const schema = groupAttributes[group];
      checkChildAttributes(child, schema, ctx);
      groups[group] = {
        specified: ctx.string(child, 'specified-parameter-action', schema['specified-parameter-action']),
        unspecified: schema['unspecified-parameter-action'] ? ctx.string(child, 'unspecified-parameter-action', schema['unspecified-parameter-action']) : undefined,
        overrides: readOverrides(child, 'parameter', group === 'headers', ctx),
      };
    }
    return (gw) => {
      const findings = new ValidationFindings('validate-parameters', gw, 'request', errorsVariable);
      const operation = gw.operation;
      const path = Object.entries(gw.request.matchedParameters).map(([name, value]): [string, string[]] => [name, [value]]);
      checkNameGroup(gw, findings, { kind: 'PathParameter', definitions: operation.templateParameters, present: path, caseless: false }, groups.path, parent);
      checkNameGroup(gw, findings, { kind: 'QueryParameter', definitions: operation.request?.queryParameters, present: groupPairs(gw.request.originalUrl.query), caseless: false }, groups.query, parent);
      checkNameGroup(gw, findings, { kind: 'RequestHeader', definitions: operation.request?.headers, present: gw.request.headers, caseless: true }, groups.headers, parent);
      findings.finish();
    };
  },
};
