/**
 * `set-method`: changes the HTTP method of the backend-bound request; the method is the element's
 * text (reference §3 "Transformation / routing"; allowed in inbound and on-error).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why a method name is unusable, or undefined when it is a valid HTTP token. */
export function methodProblem(method: string): string | undefined {
  if (method === '') return 'The HTTP method must not be empty.';
  if (!tokenPattern.test(method)) return `'${method}' is not a valid HTTP method.`;
  return undefined;
}

export const setMethod: PolicyModule = {
  name: 'set-method',
  sections: ['inbound', 'on-error'],
  attributes: {},
  compile(element, ctx) {
    const child = childElements(element)[0];
    if (child) ctx.fail(child, "The 'set-method' element takes text only.");
    const text = ctx.text(element);
    if (text.isConstant) {
      const method = text.constant!.trim();
      const problem = methodProblem(method);
      if (problem) ctx.fail(element, problem);
      return (gw) => {
        gw.request.method = method;
        if (gw.requestTrace) gw.traceStep('set-method', { message: `Request method was set to ${method}.` });
      };
    }
    return (gw) => {
      const method = text.get(gw).trim();
      const problem = methodProblem(method);
      if (problem) throw new Error(problem);
      gw.request.method = method;
      if (gw.requestTrace) gw.traceStep('set-method', { message: `Request method was set to ${method}.` });
    };
  },
};
