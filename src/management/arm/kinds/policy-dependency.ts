/** Hooks for kinds policies depend on: after a write or delete, every stored policy must compile. */
import { recheckAllPolicies } from '../policy-recheck.js';
import type { ResourceKind } from '../resource-kind.js';

/** afterWrite/afterDelete hooks that re-compile every policy, refusing the change when one breaks. */
export function policyRecheckHooks(reason: string): Pick<ResourceKind, 'afterWrite' | 'afterDelete'> {
  return {
    async afterWrite(_entity, input) {
      await recheckAllPolicies(input.ctx, reason);
    },
    async afterDelete(_entity, ctx) {
      await recheckAllPolicies(ctx, reason);
    },
  };
}
