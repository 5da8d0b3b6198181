/**
 * `check-header`: requires a request header, optionally with one of a list of values; otherwise
 * ends the request with the configured status and message (reference §3 Access / auth; LastError
 * texts from §2.4).
 */
import { PolicyRuntimeError } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { childElements } from '../pipeline/xml.js';

export const checkHeader: PolicyModule = {
  name: 'check-header',
  sections: ['inbound'],
  attributes: {
    name: { type: 'string', required: true, expression: true },
    'failed-check-httpcode': { type: 'integer', required: true, expression: true, min: 100, max: 599 },
    'failed-check-error-message': { type: 'string', required: true, expression: true },
    'ignore-case': { type: 'boolean', required: true, expression: true },
  },
  compile(element, ctx) {
    const name = ctx.string(element, 'name')!;
    const status = ctx.integer(element, 'failed-check-httpcode')!;
    const errorMessage = ctx.string(element, 'failed-check-error-message')!;
    const ignoreCase = ctx.boolean(element, 'ignore-case')!;
    const allowed: Value<string>[] = [];
    for (const child of childElements(element)) {
      if (child.name !== 'value') ctx.fail(child, `The element '${child.name}' is not allowed in 'check-header'; expected 'value'.`);
      if (child.attributes.length > 0) ctx.fail(child.attributes[0]!, `The '${child.attributes[0]!.name}' attribute is not declared.`);
      allowed.push(ctx.text(child));
    }

    return (gw) => {
      const headerName = name.get(gw);
      const fail = (reason: string, message: string): never => {
        throw new PolicyRuntimeError('check-header', reason, message, status.get(gw), errorMessage.get(gw));
      };
      if (!gw.request.headers.has(headerName)) {
        fail('HeaderNotFound', `Header ${headerName} was not found in the request. Access denied.`);
      }
      // No <value> children: the header only has to be present.
      if (allowed.length === 0) {
        if (gw.requestTrace) gw.traceStep('check-header', { message: `Header ${headerName} is present.` });
        return;
      }
      const fold = ignoreCase.get(gw) ? (s: string) => s.toLowerCase() : (s: string) => s;
      // Each value line the caller sent is a candidate, and so is the joined value APIM exposes.
      const sent = gw.request.headers.getAll(headerName);
      const joined = gw.request.headers.get(headerName) ?? '';
      const candidates = new Set([...sent, joined].map(fold));
      if (allowed.some((v) => candidates.has(fold(v.get(gw))))) {
        if (gw.requestTrace) gw.traceStep('check-header', { message: `Header ${headerName} has an allowed value.` });
        return;
      }
      fail('HeaderValueNotAllowed', `Header ${headerName} value of ${joined} is not allowed. Access denied.`);
    };
  },
};
