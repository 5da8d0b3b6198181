/**
 * `send-one-way-request`: sends a request of its own (built by outbound-request.ts) and goes on
 * at once, without waiting for the answer (reference §3): the call never delays or fails the
 * caller's response. Its outcome is logged; the answer is read (within the buffering limit) and
 * dropped so the connection returns to its pool.
 */
import { defaultMaxBufferedBodyBytes } from '../pipeline/message-body.js';
import { traceHeaders } from '../pipeline/trace-recorder.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { compileOutboundRequest, outboundRequestAttributes } from './outbound-request.js';

export const sendOneWayRequest: PolicyModule = {
  name: 'send-one-way-request',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: { ...outboundRequestAttributes },
  compile(element, ctx) {
    const build = compileOutboundRequest(element, ctx);
    return async (gw) => {
      const request = await build(gw);
      const { logger, outbound, maxBufferedBodyBytes } = gw.services;
      const requestId = gw.requestId;
      if (gw.requestTrace) gw.traceStep('send-one-way-request', { message: 'Request is being sent; its answer is not awaited.', request: { method: request.method, url: request.url, headers: traceHeaders(request.headers) } });
      outbound.send(request, maxBufferedBodyBytes ?? defaultMaxBufferedBodyBytes).then(
        (response) => logger.debug({ requestId, url: withoutQuery(request.url), status: response.statusCode }, 'send-one-way-request answered'),
        (err: Error) => logger.warn({ requestId, url: withoutQuery(request.url), err: err.message }, 'send-one-way-request failed'),
      );
    };
  },
};

/** The URL as logged: a query may carry a key or a signature. */
function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}
