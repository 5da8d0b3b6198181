/**
 * `send-request`: sends a request of its own (built by outbound-request.ts) and keeps the answer
 * in `context.Variables[response-variable-name]`, where expressions read it as an `IResponse`
 * and `return-response response-variable-name` can answer with it (reference §3). A call that
 * fails (timeout, connection) fails the policy with LastError source `send-request` and reason
 * `Timeout` or `BackendConnectionFailure`; with `ignore-error="true"` the variable is set to
 * null instead and the pipeline goes on.
 */
import { defaultMaxBufferedBodyBytes } from '../pipeline/message-body.js';
import { OutboundCallError, PolicyRuntimeError } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { compileOutboundRequest, outboundRequestAttributes } from './outbound-request.js';
import { branchCancelled } from '../pipeline/concurrent-branches.js';
import { traceHeaders } from '../pipeline/trace-recorder.js';
import { STATUS_CODES } from 'node:http';

export const sendRequest: PolicyModule = {
  name: 'send-request',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    ...outboundRequestAttributes,
    'response-variable-name': { type: 'string', required: true },
    'ignore-error': { type: 'boolean', default: false, expression: true },
  },
  compile(element, ctx) {
    const variable = ctx.string(element, 'response-variable-name')!.constant!;
    if (variable.trim() === '') ctx.fail(element, "The 'response-variable-name' attribute must not be empty.");
    const ignoreError = ctx.boolean(element, 'ignore-error')!;
    const build = compileOutboundRequest(element, ctx);
    return async (gw) => {
      const request = await build(gw);
      const ignore = ignoreError.get(gw);
      if (gw.requestTrace) {
        gw.traceStep('send-request', { message: 'Request is being sent.', request: { method: request.method, url: request.url, headers: traceHeaders(request.headers) } });
      }
      try {
        const response = await gw.services.outbound.send(request, gw.services.maxBufferedBodyBytes ?? defaultMaxBufferedBodyBytes);
        if (gw.requestTrace) {
          gw.traceStep('send-request', { message: `Response was received and stored in the variable '${variable}'.`, response: { status: { code: response.statusCode, reason: response.statusReason || (STATUS_CODES[response.statusCode] ?? '') }, headers: traceHeaders(response.headers) } });
        }
        // A branch of `wait for="any"` that lost the race was terminated: its answer is dropped.
        if (!branchCancelled()) gw.variables.set(variable, response);
      } catch (err) {
        if (!(err instanceof OutboundCallError)) throw err;
        if (gw.requestTrace) gw.traceStep('send-request', { message: ignore ? 'The request failed; ignore-error is set, so the variable is null.' : 'The request failed.', reason: err.reason, error: err.message });
        if (ignore) {
          if (!branchCancelled()) gw.variables.set(variable, null);
          return;
        }
        throw new PolicyRuntimeError('send-request', err.reason, err.message);
      }
    };
  },
};
