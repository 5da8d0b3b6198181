/**
 * Policy fragments (reference §5.1): a `<fragment>` document compiled before it is stored; a
 * change that breaks a policy including it is refused, and so is deleting an included one.
 */
import { ArmError } from '../arm-error.js';
import { checkPolicyFragment, compileEnvironment } from '../policy-check.js';
import { policyFragmentSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { policyRecheckHooks } from './policy-dependency.js';

export const policyFragmentKind: ResourceKind = {
  kind: 'policyFragment',
  armType: 'Microsoft.ApiManagement/service/policyFragments',
  label: 'PolicyFragment',
  schema: policyFragmentSchema,
  namePattern: /^[A-Za-z0-9-._]{1,80}$/,
  longRunning: true,
  async prepare({ ctx, name, properties }) {
    const format = String(properties.format ?? 'xml').toLowerCase();
    if (format !== 'xml' && format !== 'rawxml') {
      throw new ArmError(400, 'NotSupported', `Policy fragment format '${format}' is not supported by Gatehouse.`);
    }
    const value = String(properties.value);
    checkPolicyFragment(value, await compileEnvironment(ctx.tx, ctx.sealer), name);
    const body: Record<string, unknown> = { value, format };
    if (properties.description !== undefined) body.description = properties.description;
    return body;
  },
  ...policyRecheckHooks('The policy fragment is included by a policy.'),
};
