/**
 * `forward-request`: sends the request to the backend (reference §3, Backend). Azure's
 * attributes: `timeout` (seconds) or `timeout-ms` (milliseconds), never both; `http-version`
 * (`1`, `2or1`, `2`); `buffer-response` (default true: the response reaches the client in 8 KB
 * pieces; false passes each piece on as it arrives).
 */
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import type { PolicyModule, PolicyStep } from '../pipeline/policy-module.js';
import { attribute } from '../pipeline/xml.js';

export const forwardRequest: PolicyModule = {
  name: 'forward-request',
  sections: ['backend'],
  attributes: {
    timeout: { type: 'integer', default: 300, min: 0, max: 240_000, expression: true },
    'timeout-ms': { type: 'integer', min: 0, max: 240_000_000, expression: true },
    'follow-redirects': { type: 'boolean', default: false, expression: true },
    'buffer-request-body': { type: 'boolean', default: false },
    'buffer-response': { type: 'boolean', default: true },
    'fail-on-error-status-code': { type: 'boolean', default: false },
    'http-version': { type: 'enum', values: ['1', '2or1', '2'], default: '1' },
  },
  compile(element, ctx) {
    if (attribute(element, 'timeout') !== undefined && attribute(element, 'timeout-ms') !== undefined) {
      // Azure: "You can specify either timeout or timeout-ms but not both."
      ctx.fail(element, "Only one of the 'timeout' and 'timeout-ms' attributes may be specified.");
    }
    const timeoutMs = attribute(element, 'timeout-ms') !== undefined ? ctx.integer(element, 'timeout-ms')! : undefined;
    const timeout = ctx.integer(element, 'timeout')!;
    const followRedirects = ctx.boolean(element, 'follow-redirects')!;
    const bufferRequestBody = ctx.boolean(element, 'buffer-request-body')!.constant ?? false;
    const failOnErrorStatusCode = ctx.boolean(element, 'fail-on-error-status-code')!.constant ?? false;
    const bufferResponse = ctx.boolean(element, 'buffer-response')!.constant ?? true;
    const httpVersion = ctx.string(element, 'http-version')!.constant as '1' | '2or1' | '2';
    const forward: PolicyStep = (gw) =>
      gw.services.forwarder.forward(gw, {
        timeoutMs: timeoutMs ? timeoutMs.get(gw) : timeout.get(gw) * 1000,
        followRedirects: followRedirects.get(gw),
        bufferRequestBody,
        failOnErrorStatusCode,
        httpVersion,
        bufferResponse,
      });
    if (!bufferRequestBody) return forward;
    // A buffered request body is held in memory like one a policy reads: within the same limit.
    return async (gw) => {
      await bufferWithinLimit(gw, gw.request.body, 'request', 'forward-request');
      await forward(gw);
    };
  },
};
