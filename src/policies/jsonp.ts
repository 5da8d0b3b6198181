/**
 * `jsonp`: when the caller's URL has the query parameter named by `callback-parameter-name`,
 * the response body is wrapped in a call of that function (`cb({...});`) and served as
 * JavaScript; without the parameter the response is left as it is. A callback that is not a
 * JavaScript identifier (dotted names allowed, as Microsoft's "prefixed with the fully
 * qualified domain name" asks) fails with Azure's CallbackParameterInvalid (reference §2.4).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { PolicyRuntimeError } from '../pipeline/gateway-context.js';
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { childElements } from '../pipeline/xml.js';

const identifierPart = '[A-Za-z_$][A-Za-z0-9_$]*';
const callbackPattern = new RegExp(`^${identifierPart}(?:\\.${identifierPart})*$`);

export const jsonp: PolicyModule = {
  name: 'jsonp',
  sections: ['outbound'],
  oncePerSection: true,
  attributes: {
    'callback-parameter-name': { type: 'string', required: true, expression: true },
  },
  compile(element, ctx) {
    if (childElements(element).length > 0) ctx.fail(element, "The 'jsonp' element takes no child elements.");
    const parameter = ctx.string(element, 'callback-parameter-name')!;
    if (parameter.isConstant && parameter.constant!.trim() === '') ctx.fail(element, "The 'callback-parameter-name' attribute must not be empty.");
    return async (gw) => {
      const name = parameter.get(gw);
      const callback = gw.request.originalUrl.queryValue(name);
      if (callback === undefined) {
        if (gw.requestTrace) gw.traceStep('jsonp', { wrapped: false, reason: `No '${name}' query parameter.` });
        return;
      }
      if (!callbackPattern.test(callback)) {
        const message = `Value of callback parameter ${name} is not a valid JavaScript identifier.`;
        throw new PolicyRuntimeError('jsonp', 'CallbackParameterInvalid', message, 400, message);
      }
      await bufferWithinLimit(gw, gw.response.body, 'response', 'jsonp');
      const content = gw.response.body.bufferedContent!.toString('utf8');
      gw.response.body.replace(`${callback}(${content});`);
      gw.response.headers.delete('Content-Length');
      gw.response.headers.set('Content-Type', ['application/javascript; charset=utf-8']);
      if (gw.requestTrace) gw.traceStep('jsonp', { wrapped: true, callback });
    };
  },
};
