/**
 * Runs a compiled list of policies in order. Stops when a policy answered the request; a
 * failure is tagged with the innermost policy's location for `context.LastError`.
 */
import { CounterStoreUnavailableError } from '../core/ports.js';
import { ExpressionEvaluationError } from '../expressions/index.js';
import { PolicyRuntimeError, type GatewayContext, type PolicyLocation } from './gateway-context.js';
import type { CompiledSequence, PolicyStep } from './policy-module.js';

export interface CompiledPolicy {
  step: PolicyStep;
  location: PolicyLocation;
}

export class PolicySequence implements CompiledSequence {
  constructor(private readonly policies: readonly CompiledPolicy[]) {}

  get length(): number {
    return this.policies.length;
  }

  /** The direct policies of this sequence with one element name (e.g. cors on a preflight). */
  only(policy: string): PolicySequence {
    return new PolicySequence(this.policies.filter((p) => p.location.policy === policy));
  }

  /**
   * Runs the policies in order. Synchronous while the steps are: a promise is returned only once
   * a step returned one (a backend call, a counter store that answers later), so a pipeline of
   * steps that never wait costs no promise or microtask turn. Failures are thrown (or the
   * returned promise rejects) located at the policy that failed.
   */
  run(gw: GatewayContext): void | Promise<void> {
    return this.runFrom(0, gw);
  }

  /** Runs the policies from `start` on, synchronously until one returns a promise. */
  private runFrom(start: number, gw: GatewayContext): void | Promise<void> {
    const policies = this.policies;
    for (let i = start; i < policies.length; i++) {
      if (gw.responded) return;
      const policy = policies[i]!;
      let pending: void | Promise<void>;
      try {
        pending = policy.step(gw);
      } catch (err) {
        throw locate(err, policy.location);
      }
      if (pending) return this.resumeAfter(pending, i, gw);
    }
  }

  /** Waits for policy `index`, then runs the ones after it. */
  private async resumeAfter(pending: Promise<void>, index: number, gw: GatewayContext): Promise<void> {
    try {
      await pending;
    } catch (err) {
      throw locate(err, this.policies[index]!.location);
    }
    const rest = this.runFrom(index + 1, gw);
    if (rest) await rest;
  }
}

/** Wraps any failure as a PolicyRuntimeError carrying the innermost location. */
export function locate(err: unknown, location: PolicyLocation): PolicyRuntimeError {
  if (err instanceof PolicyRuntimeError) {
    if (!err.location) err.location = location;
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  // Shared counters that cannot answer (`--redis-counter-fallback refuse`): 503, as Azure answers
  // for a part of the service that is unavailable (docs/scale-out.md).
  const wrapped = err instanceof CounterStoreUnavailableError
    ? new PolicyRuntimeError(location.policy, 'CounterStoreUnavailable', message, 503, 'Service Unavailable')
    : new PolicyRuntimeError(location.policy, err instanceof ExpressionEvaluationError ? 'ExpressionValueEvaluationFailure' : 'PolicyExecutionFailure', message);
  wrapped.location = location;
  return wrapped;
}
