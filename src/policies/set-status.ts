/**
 * `set-status`: sets the status code and reason phrase of the response to the caller (reference
 * §3 "Transformation / routing"; all sections). The reference lists `reason` as required, but
 * Azure's own snippets omit it and run; without it the standard phrase for the code is used.
 */
import { STATUS_CODES } from 'node:http';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';

export const setStatus: PolicyModule = {
  name: 'set-status',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    code: { type: 'integer', required: true, min: 100, max: 599, expression: true },
    reason: { type: 'string', expression: true },
  },
  compile(element, ctx) {
    const child = childElements(element)[0];
    if (child) ctx.fail(child, "The 'set-status' element takes no child elements.");
    const code = ctx.integer(element, 'code')!;
    const reason = ctx.string(element, 'reason');
    if (reason?.isConstant && /[\r\n\0]/.test(reason.constant!)) ctx.fail(element, 'The reason phrase must not contain CR, LF or NUL characters.');
    return (gw) => {
      const status = code.get(gw);
      const phrase = reason ? reason.get(gw) : (STATUS_CODES[status] ?? '');
      // Expression results get the check a literal reason got at compile time (the code's
      // bounds are checked by the compiler's integer conversion).
      if (reason && !reason.isConstant && /[\r\n\0]/.test(phrase)) throw new Error('The reason phrase must not contain CR, LF or NUL characters.');
      gw.response.statusCode = status;
      gw.response.statusReason = phrase;
      if (gw.requestTrace) gw.traceStep('set-status', { message: [`Response status code was set to ${status}`, `Response status reason was set to '${phrase}'`] });
    };
  },
};
