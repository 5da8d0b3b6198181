/**
 * `validate-headers`: checks the response's headers against the headers the operation declares
 * for the response's status code (reference §3 "Validation", Microsoft's validate-headers page):
 * a declared header must have one value that parses as its type and is among its allowed values
 * (`specified-header-action`); any other header is an error of its own
 * (`unspecified-header-action`); `header` children override the action for one name. A status
 * code the operation does not declare declares no headers.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { checkNameGroup, readOverrides } from './validation/named-value-groups.js';
import { actionAttribute, errorsVariableAttribute, ValidationFindings } from './validation/validation-findings.js';

export const validateHeaders: PolicyModule = {
  name: 'validate-headers',
  sections: ['outbound', 'on-error'],
  attributes: {
    'specified-header-action': actionAttribute(true),
    'unspecified-header-action': actionAttribute(true),
    'errors-variable-name': errorsVariableAttribute,
  },
  compile(element, ctx) {
    const parent = { specified: ctx.string(element, 'specified-header-action')!, unspecified: ctx.string(element, 'unspecified-header-action')! };
    const errorsVariable = ctx.string(element, 'errors-variable-name')?.constant;
    const overrides = readOverrides(element, 'header', true, ctx);
    return (gw) => {
      const findings = new ValidationFindings('validate-headers', gw, 'response', errorsVariable);
      const declared = gw.operation.responses?.find((r) => r.statusCode === gw.response.statusCode)?.headers;
      checkNameGroup(gw, findings, { kind: 'ResponseHeader', definitions: declared, present: gw.response.headers, caseless: true }, { overrides }, parent);
      findings.finish();
    };
  },
};
