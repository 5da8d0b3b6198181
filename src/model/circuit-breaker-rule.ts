/**
 * Reads a backend's `circuitBreaker` property (reference §5.2 "Backend") into the model, for
 * both the management API and the APIOps folder reader, so the two refuse the same bodies. Types
 * are checked here too: a stored body may predate the management API's schema.
 *
 * Beyond the shapes: a rule needs `count` or `percentage` (something to trip on), an `interval`
 * and a `tripDuration` longer than zero, and ranges with `min` ≤ `max`. Azure takes one rule per
 * backend; a pool has no breaker of its own (its members do).
 */
import type { Backend, CircuitBreakerRule } from './resources.js';
import { parseIsoDuration } from './iso-duration.js';

/** What is wrong with a `circuitBreaker` value, and where (`circuitBreaker.rules[0].tripDuration`). */
export class CircuitBreakerProblem extends Error {
  constructor(
    readonly target: string,
    message: string,
  ) {
    super(message);
    this.name = 'CircuitBreakerProblem';
  }
}

const root = 'circuitBreaker';

/** The breaker of a backend of `type`, or undefined for an absent or null value; throws CircuitBreakerProblem. */
export function readCircuitBreaker(raw: unknown, type: Backend['type']): Backend['circuitBreaker'] {
  if (raw === undefined || raw === null) return undefined;
  const value = record(raw, root);
  const list = value.rules;
  if (list === undefined || list === null) return { rules: [] };
  if (!Array.isArray(list)) throw new CircuitBreakerProblem(`${root}.rules`, `'${root}.rules' must be an array.`);
  if (list.length > 1) throw new CircuitBreakerProblem(`${root}.rules`, 'Only one circuit breaker rule is supported per backend.');
  if (list.length > 0 && type === 'Pool') {
    throw new CircuitBreakerProblem(root, "A backend pool has no circuit breaker of its own: set the rule on the pool's member backends.");
  }
  return { rules: list.map((rule, i) => readRule(rule, `${root}.rules[${i}]`)) };
}

function readRule(raw: unknown, at: string): CircuitBreakerRule {
  const rule = record(raw, at);
  const name = rule.name;
  if (typeof name !== 'string' || name.trim() === '') throw new CircuitBreakerProblem(`${at}.name`, `'${at}.name' is required.`);
  const conditionAt = `${at}.failureCondition`;
  if (rule.failureCondition === undefined || rule.failureCondition === null) {
    throw new CircuitBreakerProblem(conditionAt, `'${conditionAt}' is required.`);
  }
  const condition = record(rule.failureCondition, conditionAt);
  const count = optionalInteger(condition.count, `${conditionAt}.count`, 1, Number.MAX_SAFE_INTEGER);
  const percentage = optionalInteger(condition.percentage, `${conditionAt}.percentage`, 1, 100);
  if (count === undefined && percentage === undefined) {
    throw new CircuitBreakerProblem(conditionAt, `'${conditionAt}' needs a 'count' or a 'percentage' of failures to trip on.`);
  }
  const ranges = optionalArray(condition.statusCodeRanges, `${conditionAt}.statusCodeRanges`).map((r, i) => readRange(r, `${conditionAt}.statusCodeRanges[${i}]`));
  const errorReasons = optionalArray(condition.errorReasons, `${conditionAt}.errorReasons`).map((reason, i) => {
    if (typeof reason !== 'string') throw new CircuitBreakerProblem(`${conditionAt}.errorReasons[${i}]`, `'${conditionAt}.errorReasons[${i}]' must be a string.`);
    return reason;
  });
  const acceptRetryAfter = rule.acceptRetryAfter ?? false;
  if (typeof acceptRetryAfter !== 'boolean') throw new CircuitBreakerProblem(`${at}.acceptRetryAfter`, `'${at}.acceptRetryAfter' must be a boolean.`);
  const failureCondition: CircuitBreakerRule['failureCondition'] = {
    intervalMs: duration(condition.interval, `${conditionAt}.interval`),
    statusCodeRanges: ranges,
    errorReasons,
  };
  if (count !== undefined) failureCondition.count = count;
  if (percentage !== undefined) failureCondition.percentage = percentage;
  return { name, failureCondition, tripDurationMs: duration(rule.tripDuration, `${at}.tripDuration`), acceptRetryAfter };
}

function readRange(raw: unknown, at: string): { min: number; max: number } {
  const range = record(raw, at);
  const min = optionalInteger(range.min, `${at}.min`, 200, 599);
  const max = optionalInteger(range.max, `${at}.max`, 200, 599);
  if (min === undefined || max === undefined) throw new CircuitBreakerProblem(at, `'${at}' needs both 'min' and 'max'.`);
  if (min > max) throw new CircuitBreakerProblem(at, `'${at}.min' (${min}) must not be greater than '${at}.max' (${max}).`);
  return { min, max };
}

function duration(raw: unknown, at: string): number {
  if (raw === undefined || raw === null) throw new CircuitBreakerProblem(at, `'${at}' is required.`);
  const ms = typeof raw === 'string' ? parseIsoDuration(raw) : undefined;
  if (ms === undefined) {
    throw new CircuitBreakerProblem(at, `'${at}' must be an ISO 8601 duration of days, hours, minutes and seconds, such as 'PT1M'.`);
  }
  if (ms <= 0) throw new CircuitBreakerProblem(at, `'${at}' must be longer than zero.`);
  return ms;
}

function optionalInteger(raw: unknown, at: string, min: number, max: number): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new CircuitBreakerProblem(at, `'${at}' must be an integer.`);
  if (raw < min || raw > max) throw new CircuitBreakerProblem(at, `'${at}' must be between ${min} and ${max}.`);
  return raw;
}

function optionalArray(raw: unknown, at: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new CircuitBreakerProblem(at, `'${at}' must be an array.`);
  return raw;
}

function record(raw: unknown, at: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CircuitBreakerProblem(at, `'${at}' must be an object.`);
  return raw as Record<string, unknown>;
}
