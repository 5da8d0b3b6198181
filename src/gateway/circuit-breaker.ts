/**
 * Backend circuit breakers (reference §5.2 "Backend", Azure's "Backends in API Management"):
 * a breaker counts a backend's failures (answers whose status is in a rule's ranges, and calls
 * that got no answer: connect failures, timeouts) within the rule's sliding interval. When the
 * failures reach `count`, or `percentage` of the interval's calls (both, when both are given),
 * it trips and stays open for `tripDuration`, or for the failing answer's Retry-After when the
 * rule accepts it. While open, forward-request answers 503 without calling the backend. When the
 * time is up it closes with an empty window.
 *
 * The state lives here, outside the snapshot, keyed by backend name and rule: rebuilding the
 * snapshot keeps a breaker whose rule did not change, and a changed rule starts afresh. It is
 * per process, as Azure's is per gateway instance.
 */
import type { Backend, CircuitBreakerRule } from '../model/resources.js';
import { PolicyRuntimeError, type BackendCircuit, type BackendCircuits } from '../pipeline/gateway-context.js';

/**
 * The interval is kept as this many slices, so memory stays fixed however busy the backend
 * is: a call leaves the window between one slice before the interval's end and its end.
 */
const slices = 100;

/** One backend's breaker under one rule. */
export class CircuitBreaker implements BackendCircuit {
  private readonly sliceMs: number;
  /** Per slice: its number (time / sliceMs), calls and failures counted in it. */
  private readonly slot = new Float64Array(slices).fill(-1);
  private readonly calls = new Float64Array(slices);
  private readonly failures = new Float64Array(slices);
  /** While open: when it closes. */
  private openUntil: number | undefined;

  constructor(readonly rule: CircuitBreakerRule) {
    this.sliceMs = rule.failureCondition.intervalMs / slices;
  }

  /** When an open breaker closes (ms since the epoch); undefined while it is closed. */
  openUntilAt(now: number): number | undefined {
    return this.isOpen(now) ? this.openUntil : undefined;
  }

  isOpen(now: number): boolean {
    if (this.openUntil === undefined) return false;
    if (now < this.openUntil) return true;
    // The window was emptied at the trip and nothing is counted while open: it starts clean.
    this.openUntil = undefined;
    return false;
  }

  answered(status: number, retryAfter: string | undefined, now: number): void {
    const failed = this.rule.failureCondition.statusCodeRanges.some((r) => status >= r.min && status <= r.max);
    this.count(failed, now, retryAfter);
  }

  failed(now: number): void {
    this.count(true, now, undefined);
  }

  private count(failed: boolean, now: number, retryAfter: string | undefined): void {
    // A call let through before the trip that ends after it neither extends nor reopens it.
    if (this.isOpen(now)) return;
    const n = Math.floor(now / this.sliceMs);
    const i = ((n % slices) + slices) % slices;
    if (this.slot[i] !== n) {
      this.slot[i] = n;
      this.calls[i] = 0;
      this.failures[i] = 0;
    }
    this.calls[i]! += 1;
    if (!failed) return;
    this.failures[i]! += 1;
    let calls = 0;
    let failures = 0;
    for (let j = 0; j < slices; j++) {
      if (this.slot[j]! > n - slices && this.slot[j]! <= n) {
        calls += this.calls[j]!;
        failures += this.failures[j]!;
      }
    }
    const { count, percentage } = this.rule.failureCondition;
    const byCount = count === undefined || failures >= count;
    const byShare = percentage === undefined || failures * 100 >= percentage * calls;
    if (!byCount || !byShare) return;
    const backendSays = this.rule.acceptRetryAfter && retryAfter !== undefined ? retryAfterMs(retryAfter, now) : undefined;
    this.openUntil = now + (backendSays ?? this.rule.tripDurationMs);
    this.clear();
  }

  private clear(): void {
    this.slot.fill(-1);
  }
}

/**
 * A Retry-After value in milliseconds from `now`: delay-seconds or an HTTP-date (RFC 9110
 * §10.2.3). A date in the past is 0; anything else is not a Retry-After (undefined).
 */
export function retryAfterMs(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    // Digits beyond any real delay are not a delay: the rule's tripDuration applies.
    const ms = Number(text) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  if (!httpDate.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// IMF-fixdate, RFC 850 and asctime, the three forms RFC 9110 §5.6.7 has recipients accept.
const httpDate =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/** One breaker's state as a reader outside the request path sees it (metrics). */
export interface CircuitState {
  backend: string;
  rule: string;
  /** When it closes (ms since the epoch); undefined: closed. */
  openUntil: number | undefined;
}

/** The breakers of one gateway process, by backend name and rule. */
export class CircuitBreakers implements BackendCircuits {
  private readonly byKey = new Map<string, CircuitBreaker>();
  /** The backend name each key was made for, as configured (the key is lower-cased). */
  private readonly backendOf = new Map<string, string>();
  /** The breaker found for each Backend object of the snapshots: the key is not rebuilt per request. */
  private readonly byBackend = new WeakMap<Backend, CircuitBreaker>();

  of(backend: Backend): CircuitBreaker | undefined {
    const rule = backend.circuitBreaker?.rules[0];
    if (!rule) return undefined;
    const known = this.byBackend.get(backend);
    if (known) return known;
    const key = breakerKey(backend.name, rule);
    let breaker = this.byKey.get(key);
    if (!breaker) {
      this.byKey.set(key, (breaker = new CircuitBreaker(rule)));
      this.backendOf.set(key, backend.name);
    }
    this.byBackend.set(backend, breaker);
    return breaker;
  }

  /** Forgets the breakers of backends and rules no longer configured (called on every new configuration). */
  retain(backends: readonly Backend[]): void {
    const kept = new Set<string>();
    for (const b of backends) {
      const rule = b.circuitBreaker?.rules[0];
      if (rule) kept.add(breakerKey(b.name, rule));
    }
    for (const key of this.byKey.keys()) {
      if (kept.has(key)) continue;
      this.byKey.delete(key);
      this.backendOf.delete(key);
    }
  }

  /** Every kept breaker's state at `now` (a backend never called yet has none). */
  states(now: number): CircuitState[] {
    return [...this.byKey].map(([key, breaker]) => ({ backend: this.backendOf.get(key) ?? '', rule: breaker.rule.name, openUntil: breaker.openUntilAt(now) }));
  }

  /** How many breakers are kept (for tests of `retain`). */
  get size(): number {
    return this.byKey.size;
  }
}

function breakerKey(name: string, rule: CircuitBreakerRule): string {
  return `${name.toLowerCase()}\n${JSON.stringify(rule)}`;
}

/**
 * The error forward-request raises for a backend whose breaker is open. Azure documents the 503
 * but not its body or reason: `Service Unavailable` and `BackendCircuitOpen` are ours
 * (docs/errors.md, docs/backends.md).
 */
export function circuitOpenError(backend: Backend): PolicyRuntimeError {
  return new PolicyRuntimeError(
    'forward-request',
    'BackendCircuitOpen',
    `The circuit breaker of backend '${backend.name}' is open: the backend is not called.`,
    503,
    'Service Unavailable',
  );
}
