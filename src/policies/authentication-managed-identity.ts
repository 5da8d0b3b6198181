/**
 * `authentication-managed-identity`: gets an access token for `resource` from the gateway's
 * managed identity (system-assigned, or the user-assigned one `client-id` names) and sets it on
 * the backend request as `Authorization: Bearer <token>`; with `output-token-variable-name` the
 * token goes into that variable instead and the header is left alone, as Microsoft's example
 * "use managed identity and set header manually" relies on. Failing to get a token fails the
 * policy (500, LastError source `authentication-managed-identity`) unless `ignore-error` is true.
 * Also send-request's child of the same name (outbound-request.ts), which sets the header of the
 * request send-request builds.
 */
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { HeaderMap } from '../pipeline/header-map.js';
import { ManagedIdentityError, managedIdentityNotEnabledMessage } from '../pipeline/managed-identity.js';
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import { childElements, type XmlElement } from '../pipeline/xml.js';

const policyName = 'authentication-managed-identity';

/** Microsoft's attribute table: only `resource` takes expressions. */
export const managedIdentityAttributes: Readonly<Record<string, AttributeSpec>> = {
  resource: { type: 'string', required: true, expression: true },
  'client-id': { type: 'string' },
  'output-token-variable-name': { type: 'string' },
  'ignore-error': { type: 'boolean', default: false },
};

/** Runs the element against `headers` (the backend request's, or the one send-request builds). */
export type ManagedIdentityStep = (gw: GatewayContext, headers: HeaderMap) => Promise<void>;

/** Compiles an authentication-managed-identity element whose attributes the caller has checked. */
export function compileManagedIdentity(element: XmlElement, ctx: PolicyCompileContext): ManagedIdentityStep {
  if (childElements(element).length > 0) ctx.fail(element, `The '${policyName}' element takes no children.`);
  const resource = ctx.string(element, 'resource', managedIdentityAttributes.resource)!;
  if (resource.isConstant && resource.constant!.trim() === '') ctx.fail(element, "The 'resource' attribute must not be empty.");
  const clientId = ctx.string(element, 'client-id', managedIdentityAttributes['client-id'])?.constant?.trim();
  if (clientId === '') ctx.fail(element, "The 'client-id' attribute must not be empty.");
  const variable = ctx.string(element, 'output-token-variable-name', managedIdentityAttributes['output-token-variable-name'])?.constant;
  if (variable !== undefined && variable.trim() === '') ctx.fail(element, "The 'output-token-variable-name' attribute must not be empty.");
  const ignoreError = ctx.boolean(element, 'ignore-error', managedIdentityAttributes['ignore-error'])!.constant!;
  return async (gw, headers) => {
    const target = resource.get(gw).trim();
    let token: string;
    try {
      if (target === '') throw new ManagedIdentityError('TokenAcquisitionFailed', "The 'resource' attribute evaluated to an empty string.");
      const tokens = gw.services.managedIdentity;
      if (!tokens) throw new ManagedIdentityError('ManagedIdentityNotEnabled', managedIdentityNotEnabledMessage);
      token = await tokens.token(target, clientId);
    } catch (err) {
      if (!(err instanceof ManagedIdentityError)) throw err;
      if (gw.requestTrace) gw.traceStep(policyName, { resource: target, clientId: clientId ?? null, error: err.message, ignored: ignoreError });
      if (ignoreError) return;
      throw new PolicyRuntimeError(policyName, err.reason, err.message);
    }
    if (variable !== undefined) gw.variables.set(variable, token);
    else headers.set('Authorization', `Bearer ${token}`);
    // The token itself never goes into the trace.
    if (gw.requestTrace) gw.traceStep(policyName, { resource: target, clientId: clientId ?? null, ...(variable !== undefined ? { variable } : { header: 'Authorization' }) });
  };
}

export const authenticationManagedIdentity: PolicyModule = {
  name: policyName,
  sections: ['inbound'],
  attributes: managedIdentityAttributes,
  compile(element, ctx) {
    const step = compileManagedIdentity(element, ctx);
    return (gw) => step(gw, gw.request.headers);
  },
};
