/**
 * Policy documents at global, product, API and operation scope (reference §5.1, §5.2): the only
 * name is `policy`; `format` is `xml` (default) or `rawxml`. The document is compiled with the
 * real gateway compiler before it is stored (reference §2.5). The text is stored as sent.
 */
import { handshakePolicyEnvironment } from '../../api-types/websocket-handshake.js';
import { ArmError } from '../arm-error.js';
import { checkPolicyDocument, compileEnvironment, operationModel } from '../policy-check.js';
import { policyScope } from '../policy-recheck.js';
import { policySchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

/** A policy kind with the ARM type of its scope. */
function policyKind(armType: string): ResourceKind {
  return {
    kind: 'policy',
    armType,
    label: 'Policy',
    schema: policySchema,
    fixedName: 'policy',
    async prepare({ ctx, id, parent, properties }) {
      const format = String(properties.format ?? 'xml').toLowerCase();
      if (format !== 'xml' && format !== 'rawxml') {
        throw new ArmError(400, 'NotSupported', `Policy format '${format}' is not supported by Gatehouse.`);
      }
      const value = String(properties.value);
      const scope = policyScope(id);
      const env = await handshakePolicyEnvironment(ctx.tx, scope, parent, await compileEnvironment(ctx.tx, ctx.sealer));
      let operation;
      if (scope === 'operation') {
        const op = await ctx.tx.get(parent);
        if (op) operation = operationModel(op.id.slice(op.id.lastIndexOf('/') + 1), op.body);
      }
      checkPolicyDocument(value, scope, env, id, operation);
      return { value, format };
    },
    async present(entity, ctx) {
      const out: Record<string, unknown> = { value: entity.body.value };
      // ARM echoes the format only when the caller asked for one.
      const asked = ctx.query.get('format');
      if (asked) out.format = asked;
      return out;
    },
  };
}

export const globalPolicyKind = policyKind('Microsoft.ApiManagement/service/policies');
export const productPolicyKind = policyKind('Microsoft.ApiManagement/service/products/policies');
export const apiPolicyKind = policyKind('Microsoft.ApiManagement/service/apis/policies');
export const operationPolicyKind = policyKind('Microsoft.ApiManagement/service/apis/operations/policies');

/** The policy kind (and so the ARM type) of a stored policy id, by its scope. */
export function policyKindOf(id: string): ResourceKind {
  const scope = policyScope(id);
  if (scope === 'global') return globalPolicyKind;
  if (scope === 'product') return productPolicyKind;
  return scope === 'api' ? apiPolicyKind : operationPolicyKind;
}
