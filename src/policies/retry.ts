/**
 * `retry`: runs its children once, then again while `condition` holds, at most `count` more
 * times (reference §3, Microsoft's retry-policy page). The wait before retry n (1-based):
 * fixed `interval`; with `delta`, linear `interval + (n - 1) * delta`; with `delta` and
 * `max-interval`, exponential `interval + (2^(n-1) - 1) * random(0.8 delta, 1.2 delta)`, at
 * most `max-interval`; `first-fast-retry` makes the first retry immediate. A failing child
 * fails the retry (and the request goes to on-error), as any policy failure does.
 *
 * The caller's body is buffered before the first run when a child forwards the request, so
 * every attempt sends it whole (within the buffering limit, buffered-body.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { bufferBodiesForExpressions } from '../pipeline/expression-runtime.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { childElements, type XmlElement } from '../pipeline/xml.js';

/** The retry timing attributes, in seconds, as evaluated for one request. */
export interface RetryTiming {
  interval: number;
  maxInterval: number | undefined;
  delta: number | undefined;
  firstFastRetry: boolean;
}

/** Seconds to wait before retry `n` (1-based); `random` gives a number in [0, 1). */
export function retryDelaySeconds(t: RetryTiming, n: number, random: () => number = Math.random): number {
  if (n === 1 && t.firstFastRetry) return 0;
  if (t.delta === undefined) return t.interval;
  if (t.maxInterval === undefined) return t.interval + (n - 1) * t.delta;
  const jitteredDelta = t.delta * (0.8 + 0.4 * random());
  return Math.min(t.interval + (2 ** (n - 1) - 1) * jitteredDelta, t.maxInterval);
}

export const retry: PolicyModule = {
  name: 'retry',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    condition: { type: 'boolean', required: true, expression: true },
    count: { type: 'integer', required: true, min: 1, max: 50, expression: true },
    interval: { type: 'number', required: true, min: 0, max: 86_400, expression: true },
    'max-interval': { type: 'number', min: 0, max: 86_400, expression: true },
    delta: { type: 'number', min: 0, max: 86_400, expression: true },
    'first-fast-retry': { type: 'boolean', default: false, expression: true },
  },
  compile(element, ctx) {
    for (const child of element.children) {
      if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, "Unexpected text content in 'retry'.");
    }
    const condition = ctx.boolean(element, 'condition')!;
    // Expressions read bodies from memory: a condition on the answer's body needs it buffered after each attempt.
    const conditionReadsBody = /\bBody\b/.test(ctx.raw(element, 'condition') ?? '');
    const count = ctx.integer(element, 'count')!;
    const interval = ctx.number(element, 'interval')!;
    const maxInterval = ctx.number(element, 'max-interval');
    const delta = ctx.number(element, 'delta');
    const firstFastRetry = ctx.boolean(element, 'first-fast-retry')!;
    const children = childElements(element);
    const body = ctx.compileChildren(children, ctx.path);
    const forwards = children.some(containsForwardRequest);
    const timing = (gw: GatewayContext): RetryTiming => ({
      interval: interval.get(gw),
      maxInterval: maxInterval?.get(gw),
      delta: delta?.get(gw),
      firstFastRetry: firstFastRetry.get(gw),
    });
    return async (gw) => {
      if (forwards && !gw.forwarded && gw.request.body.present) await bufferWithinLimit(gw, gw.request.body, 'request', 'retry');
      await body.run(gw);
      const retries = count.get(gw);
      const holds = async (): Promise<boolean> => {
        if (gw.responded) return false;
        if (conditionReadsBody) await bufferBodiesForExpressions(gw, 'retry');
        return condition.get(gw);
      };
      for (let n = 1; n <= retries && (await holds()); n++) {
        const seconds = retryDelaySeconds(timing(gw), n);
        if (seconds > 0) await sleep(seconds * 1000);
        // The answer of the attempt being retried is dropped; its connection goes back to the pool.
        if (gw.forwarded) gw.response.body.discard();
        if (gw.requestTrace) gw.traceStep('retry', { message: `The condition holds: attempt ${n + 1} of ${retries + 1}.`, delaySeconds: seconds });
        await body.run(gw);
      }
    };
  },
};

function containsForwardRequest(element: XmlElement): boolean {
  return element.name === 'forward-request' || childElements(element).some(containsForwardRequest);
}
