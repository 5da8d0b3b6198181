/** `forward-request`: sends the request to the backend (reference §3, Backend). */
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import type { PolicyModule, PolicyStep } from '../pipeline/policy-module.js';

export const forwardRequest: PolicyModule = {
  name: 'forward-request',
  sections: ['backend'],
  attributes: {
    timeout: { type: 'integer', default: 300, min: 0, max: 240_000, expression: true },
    'follow-redirects': { type: 'boolean', default: false, expression: true },
    'buffer-request-body': { type: 'boolean', default: false },
    'buffer-response': { type: 'boolean', default: true },
    'fail-on-error-status-code': { type: 'boolean', default: false },
    'http-version': { type: 'enum', values: ['1', '2or1', '2'], default: '1' },
  },
  compile(element, ctx) {
    const timeout = ctx.integer(element, 'timeout')!;
    const followRedirects = ctx.boolean(element, 'follow-redirects')!;
    const bufferRequestBody = ctx.boolean(element, 'buffer-request-body')!.constant ?? false;
    const failOnErrorStatusCode = ctx.boolean(element, 'fail-on-error-status-code')!.constant ?? false;
    ctx.boolean(element, 'buffer-response');
    ctx.string(element, 'http-version');
    const forward: PolicyStep = (gw) =>
      gw.services.forwarder.forward(gw, {
        timeoutSeconds: timeout.get(gw),
        followRedirects: followRedirects.get(gw),
        bufferRequestBody,
        failOnErrorStatusCode,
      });
    if (!bufferRequestBody) return forward;
    // A buffered request body is held in memory like one a policy reads: within the same limit.
    return async (gw) => {
      await bufferWithinLimit(gw, gw.request.body, 'request', 'forward-request');
      await forward(gw);
    };
  },
};
