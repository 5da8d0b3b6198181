/**
 * Runs a compiled list of policies in order. Stops when a policy answered the request; a
 * failure is tagged with the innermost policy's location for `context.LastError`.
 */
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

  async run(gw: GatewayContext): Promise<void> {
    for (const policy of this.policies) {
      if (gw.responded) return;
      try {
        const pending = policy.step(gw);
        if (pending) await pending;
      } catch (err) {
        throw locate(err, policy.location);
      }
    }
  }
}

/** Wraps any failure as a PolicyRuntimeError carrying the innermost location. */
export function locate(err: unknown, location: PolicyLocation): PolicyRuntimeError {
  if (err instanceof PolicyRuntimeError) {
    if (!err.location) err.location = location;
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  const reason = err instanceof ExpressionEvaluationError ? 'ExpressionValueEvaluationFailure' : 'PolicyExecutionFailure';
  const wrapped = new PolicyRuntimeError(location.policy, reason, message);
  wrapped.location = location;
  return wrapped;
}
