/**
 * After a policy's dependency changes (a named value, backend or fragment is written or
 * deleted), every stored policy and fragment must still compile; otherwise the write is refused
 * and its transaction rolls back (reference §4.3 "deletion blocked while referenced").
 */
import type { StoredEntity } from '../../core/entity-store.js';
import type { Scope } from '../../pipeline/gateway-context.js';
import { handshakePolicyEnvironment } from '../api-types/websocket-handshake.js';
import { ArmError, validationError } from './arm-error.js';
import { checkPolicyDocument, checkPolicyFragment, compileEnvironment, operationModel, policyError } from './policy-check.js';
import type { KindContext } from './resource-kind.js';

/** The scope a stored policy id is at (`apis/a/policies/policy` → api). */
export function policyScope(id: string): Scope {
  const parts = id.split('/');
  if (parts.length === 2) return 'global';
  if (parts[0] === 'products') return 'product';
  return parts.length === 4 ? 'api' : 'operation';
}

/** Re-compiles every stored policy and fragment; throws ArmError 400 naming the first that fails. */
export async function recheckAllPolicies(ctx: KindContext, reason: string): Promise<void> {
  const env = await compileEnvironment(ctx.tx, ctx.sealer);
  const fail = (entity: StoredEntity, err: unknown): never => {
    const inner = policyError(err);
    const detail = inner.details[0];
    throw validationError([
      {
        code: 'ValidationError',
        target: entity.id,
        message: `${reason} The policy '${entity.id}' would no longer be valid: ${detail ? detail.message : inner.message}`,
      },
    ]);
  };
  for (const fragment of (await ctx.tx.list({ kind: 'policyFragment' })).items) {
    try {
      checkPolicyFragment(String(fragment.body.value ?? ''), env, fragment.id.slice(fragment.id.lastIndexOf('/') + 1));
    } catch (err) {
      fail(fragment, err);
    }
  }
  for (const policy of (await ctx.tx.list({ kind: 'policy' })).items) {
    const scope = policyScope(policy.id);
    let operation;
    if (scope === 'operation') {
      const opEntity = await ctx.tx.get(policy.parent);
      if (opEntity) operation = operationModel(opEntity.id.slice(opEntity.id.lastIndexOf('/') + 1), opEntity.body);
    }
    try {
      const policyEnv = await handshakePolicyEnvironment(ctx.tx, scope, policy.parent, env);
      checkPolicyDocument(String(policy.body.value ?? ''), scope, policyEnv, policy.id, operation);
    } catch (err) {
      if (err instanceof ArmError) fail(policy, err);
      throw err;
    }
  }
}
