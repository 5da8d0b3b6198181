/**
 * `quota`: a renewable or lifetime call-volume and/or bandwidth quota per subscription, in
 * fixed periods counted from the subscription's start, with optional independent quotas per
 * API and operation (reference §3 Throttling, §1.4, §1.5). Also home of what quota-by-key
 * shares: periods, the 403 failure with its replenish time, and bandwidth metering.
 */
import { pipeline, type Readable } from 'node:stream';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import { MessageBody } from '../pipeline/message-body.js';
import { StreamWatcher } from '../pipeline/stream-watcher.js';
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import type { XmlElement } from '../pipeline/xml.js';
import { definitionKey, matchingApiLimits, readApiLimits } from './rate-limit.js';

/** `first-period-start`'s default, and the anchor of subscriptions without a start date. */
export const defaultFirstPeriodStart = Date.parse('0001-01-01T00:00:00Z');

/** One fixed quota period. */
export interface QuotaPeriod {
  start: number;
  /** Infinity for a lifetime quota (renewal period 0). */
  end: number;
}

/** The period containing `nowMs` for periods of `renewalSeconds` counted from `anchorMs`. */
export function quotaPeriod(anchorMs: number, renewalSeconds: number, nowMs: number): QuotaPeriod {
  if (renewalSeconds === 0) return { start: anchorMs, end: Infinity };
  const length = renewalSeconds * 1000;
  const start = anchorMs + Math.floor((nowMs - anchorMs) / length) * length;
  return { start, end: start + length };
}

/**
 * A replenish time as .NET prints a TimeSpan (`[d.]hh:mm:ss`), in whole seconds rounded up:
 * `00:04:05`, `2.03:00:00`. Azure's LastError text documents it as `xx:xx:xx`.
 */
export function formatReplenishTime(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${days}.${clock}` : clock;
}

/** The 403 failure of reference §1.5 for a call-volume or bandwidth quota. */
export function quotaExceeded(source: string, kind: 'calls' | 'bandwidth', resetInMs: number): PolicyRuntimeError {
  const what = kind === 'calls' ? 'Out of call volume quota.' : 'Out of bandwidth quota.';
  // A lifetime quota never replenishes: there is no time to promise and nothing to retry after.
  if (resetInMs === Infinity) return new PolicyRuntimeError(source, 'QuotaExceeded', what, 403, what);
  const message = `${what} Quota will be replenished in ${formatReplenishTime(resetInMs)}.`;
  return new PolicyRuntimeError(source, 'QuotaExceeded', message, 403, message, {
    'Retry-After': String(Math.max(1, Math.ceil(resetInMs / 1000))),
  });
}

/** Puts a byte counter in the way of a streamed body; returns the counted body and its count so far. */
function countStream(stream: Readable, onDone: (bytes: number) => void): { body: MessageBody; bytes: () => number } {
  let bytes = 0;
  const counter = new StreamWatcher((chunk) => (bytes += chunk.length), () => onDone(bytes));
  pipeline(stream, counter, () => {
    // Errors reach whoever reads the body; the counter only has to see the bytes.
  });
  return { body: new MessageBody(counter), bytes: () => bytes };
}

/** Measures the kilobytes a call moves: the client's request body and the response body. */
export class BandwidthMeter {
  private requestBytes: () => number;

  /** Starts measuring at inbound: a streamed request body is counted as it is forwarded. */
  constructor(gw: GatewayContext) {
    const known = gw.request.body.knownLength;
    const payload = gw.request.body.payload();
    if (known !== undefined || payload === null || Buffer.isBuffer(payload)) {
      const bytes = known ?? 0;
      this.requestBytes = () => bytes;
    } else {
      const { body, bytes } = countStream(payload, () => {});
      gw.request.body = body;
      this.requestBytes = bytes;
    }
  }

  /** After the pipeline: reports request + response bytes once the response body is sent. */
  finish(gw: GatewayContext, record: (bytes: number) => void | Promise<void>): void | Promise<void> {
    const response = gw.response.body;
    const payload = response.payload();
    if (response.knownLength !== undefined || payload === null || Buffer.isBuffer(payload)) {
      return record(this.requestBytes() + (response.knownLength ?? 0));
    }
    const { body } = countStream(payload, (bytes) => {
      Promise.resolve(record(this.requestBytes() + bytes)).catch((err: unknown) =>
        gw.services.logger.warn({ err, requestId: gw.requestId }, 'bandwidth quota update failed'),
      );
    });
    gw.response.body = body;
  }
}

interface QuotaLimits {
  calls?: number;
  /** Kilobytes. */
  bandwidth?: number;
  renewalSeconds: number;
}

const quotaAttributes: Readonly<Record<string, AttributeSpec>> = {
  calls: { type: 'integer', min: 0 },
  bandwidth: { type: 'integer', min: 0 },
  'renewal-period': { type: 'integer', required: true, min: 0 },
};

/** Child quotas may leave out the renewal period; they then share the policy's. */
const childQuotaAttributes: Readonly<Record<string, AttributeSpec>> = {
  calls: quotaAttributes.calls!,
  bandwidth: quotaAttributes.bandwidth!,
  'renewal-period': { type: 'integer', min: 0 },
};

/** Reads calls/bandwidth of an element, at least one of them. */
function readQuotaLimits(element: XmlElement, ctx: PolicyCompileContext, schema: Readonly<Record<string, AttributeSpec>>, renewal?: number): QuotaLimits {
  const calls = ctx.integer(element, 'calls', schema.calls)?.constant;
  const bandwidth = ctx.integer(element, 'bandwidth', schema.bandwidth)?.constant;
  if (calls === undefined && bandwidth === undefined) {
    ctx.fail(element, `Either 'calls' or 'bandwidth' (or both) must be specified on '${element.name}'.`);
  }
  const renewalSeconds = ctx.integer(element, 'renewal-period', schema['renewal-period'])?.constant ?? renewal ?? 0;
  const limits: QuotaLimits = { renewalSeconds };
  if (calls !== undefined) limits.calls = calls;
  if (bandwidth !== undefined) limits.bandwidth = bandwidth;
  return limits;
}

/** The subscription's start (periods count from it), else the default anchor. */
function subscriptionAnchor(startDate: string | undefined, createdDate: string | undefined): number {
  for (const text of [startDate, createdDate]) {
    if (text === undefined) continue;
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  return defaultFirstPeriodStart;
}

export const quota: PolicyModule = {
  name: 'quota',
  sections: ['inbound'],
  scopes: ['product'],
  oncePerSection: true,
  attributes: quotaAttributes,
  compile(element, ctx) {
    const top = readQuotaLimits(element, ctx, quotaAttributes);
    const apis = readApiLimits(element, ctx, childQuotaAttributes, (child) =>
      readQuotaLimits(child, ctx, childQuotaAttributes, top.renewalSeconds),
    );
    const scope = ctx.scope;
    return async (gw) => {
      // Reference §1.4: quota applies only to calls made with a subscription.
      const subscription = gw.subscription;
      if (!subscription) return;
      const anchor = subscriptionAnchor(subscription.startDate, subscription.createdDate);
      const base = `quota|${definitionKey(scope, element, gw)}|${subscription.name}`;
      const now = gw.services.clock.now();
      const counters = gw.services.counters;
      const limits = [{ level: 'all', limits: top }, ...matchingApiLimits(apis, gw)].map((l) => ({
        ...l.limits,
        level: l.level,
        key: `${base}|${l.level}`,
        period: quotaPeriod(anchor, l.limits.renewalSeconds, now),
      }));
      // Each call quota is checked and the call counted in one store step, so calls in flight
      // hold their place; a call refused anywhere gives back what it counted, counted nowhere.
      const counted: typeof limits = [];
      const giveBack = async (): Promise<void> => {
        for (const limit of counted) await counters.addToQuota(`${limit.key}|calls`, -1, limit.period.start, limit.period.end);
      };
      for (const limit of limits) {
        if (limit.calls === undefined) continue;
        const result = await counters.quota(`${limit.key}|calls`, limit.calls, 1, limit.period.start, limit.period.end, now);
        if (!result.allowed) {
          await giveBack();
          if (gw.requestTrace) gw.traceStep('quota', { message: 'Call quota was exceeded.', level: limit.level, totalCalls: limit.calls });
          throw quotaExceeded('quota', 'calls', result.resetInMs);
        }
        counted.push(limit);
        if (gw.requestTrace) gw.traceStep('quota', { message: 'Call quota was not exceeded.', level: limit.level, remainingCalls: result.remaining, totalCalls: limit.calls });
      }
      for (const limit of limits) {
        if (limit.bandwidth === undefined) continue;
        const result = await counters.quota(`${limit.key}|bandwidth`, limit.bandwidth * 1024, 0, limit.period.start, limit.period.end, now);
        if (!result.allowed) {
          await giveBack();
          throw quotaExceeded('quota', 'bandwidth', result.resetInMs);
        }
      }
      const metered = limits.filter((l) => l.bandwidth !== undefined);
      if (metered.length === 0) return;
      const meter = new BandwidthMeter(gw);
      gw.afterPipeline.push((g) =>
        meter.finish(g, async (bytes) => {
          for (const limit of metered) await counters.addToQuota(`${limit.key}|bandwidth`, bytes, limit.period.start, limit.period.end);
        }),
      );
    };
  },
};
