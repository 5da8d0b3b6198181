/**
 * `validate-status-code`: checks the response's status code against the status codes the
 * operation declares (reference §3 "Validation", Microsoft's validate-status-code page), so a
 * backend's undeclared error (with its stack trace) does not leak. An undeclared code is an
 * error under `unspecified-status-code-action`, or under the `action` of a `status-code` child
 * naming it; a declared code is always allowed, whatever a child says.
 */
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { childElements } from '../pipeline/xml.js';
import { actionAttribute, errorsVariableAttribute, ValidationFindings, type ValidationAction } from './validation/validation-findings.js';

const statusCodeAttributes: Record<string, AttributeSpec> = {
  code: { type: 'integer', required: true, min: 100, max: 599 },
  action: actionAttribute(true),
};

export const validateStatusCode: PolicyModule = {
  name: 'validate-status-code',
  sections: ['outbound', 'on-error'],
  attributes: {
    'unspecified-status-code-action': actionAttribute(true),
    'errors-variable-name': errorsVariableAttribute,
  },
  compile(element, ctx) {
    const unspecified = ctx.string(element, 'unspecified-status-code-action')!;
    const errorsVariable = ctx.string(element, 'errors-variable-name')?.constant;
    const overrides = new Map<number, Value<string>>();
    for (const child of childElements(element)) {
      if (child.name !== 'status-code') ctx.fail(child, `The element '${child.name}' is not allowed in 'validate-status-code'; expected 'status-code'.`);
      checkChildAttributes(child, statusCodeAttributes, ctx);
      const code = ctx.integer(child, 'code', statusCodeAttributes.code)!.constant!;
      if (overrides.has(code)) ctx.fail(child, `The status code ${code} is listed more than once.`);
      overrides.set(code, ctx.string(child, 'action', statusCodeAttributes.action)!);
    }
    return (gw) => {
      const findings = new ValidationFindings('validate-status-code', gw, 'response', errorsVariable);
      const status = gw.response.statusCode;
      if (!gw.operation.responses?.some((r) => r.statusCode === status)) {
        const action = (overrides.get(status) ?? unspecified).get(gw) as ValidationAction;
        const text = `Response status code ${status} is not allowed.`;
        findings.report({ name: String(status), type: 'StatusCode', rule: 'Unspecified', details: text }, action);
      }
      findings.finish();
    };
  },
};
