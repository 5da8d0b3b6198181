/**
 * `limit-concurrency`: at most `max-count` requests run its children at the same time per `key`
 * value; "when that number is exceeded, new requests will fail immediately with the 429 Too
 * Many Requests status code" (Microsoft's limit-concurrency page; reference §1.5). Policies with
 * the same key share the count. Counts belong to one gateway process and outlive reloads.
 */
import { PolicyRuntimeError } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';

/** Requests inside a limit-concurrency body, per key, per gateway: kept beside its counter store, which lives as long as the gateway. */
const inFlightByGateway = new WeakMap<object, Map<string, number>>();

/** The caller's message: Azure documents the status, not the text. */
export const concurrencyExceededMessage = 'Too many concurrent requests. Try again later.';

export const limitConcurrency: PolicyModule = {
  name: 'limit-concurrency',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    key: { type: 'string', required: true, expression: true },
    'max-count': { type: 'integer', required: true, min: 1, max: 2_147_483_647 },
  },
  compile(element, ctx) {
    for (const child of element.children) {
      if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, "Unexpected text content in 'limit-concurrency'.");
    }
    const key = ctx.string(element, 'key')!;
    const maxCount = ctx.integer(element, 'max-count')!.constant!;
    const body = ctx.compileChildren(childElements(element), ctx.path);
    return async (gw) => {
      let inFlight = inFlightByGateway.get(gw.services.counters);
      if (!inFlight) inFlightByGateway.set(gw.services.counters, (inFlight = new Map()));
      const k = key.get(gw);
      const running = inFlight.get(k) ?? 0;
      if (running >= maxCount) {
        throw new PolicyRuntimeError(
          'limit-concurrency',
          'ConcurrencyLimitExceeded',
          `More than ${maxCount} concurrent requests for key '${k}'.`,
          429,
          concurrencyExceededMessage,
        );
      }
      inFlight.set(k, running + 1);
      if (gw.requestTrace) gw.traceStep('limit-concurrency', { message: 'The request was admitted.', key: k, running: running + 1, maxCount });
      try {
        await body.run(gw);
      } finally {
        const left = (inFlight.get(k) ?? 1) - 1;
        if (left > 0) inFlight.set(k, left);
        else inFlight.delete(k);
      }
    };
  },
};
