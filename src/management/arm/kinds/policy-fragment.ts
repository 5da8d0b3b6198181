/**
 * Policy fragments (reference §5.1): a `<fragment>` document compiled before it is stored; a
 * change that breaks a policy including it is refused, and so is deleting an included one.
 * `listReferences` lists the policies that include it.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import { attribute, parseXml, type XmlElement } from '../../../pipeline/xml.js';
import { ArmError } from '../arm-error.js';
import { resourceId } from '../arm-ids.js';
import { checkPolicyFragment, compileEnvironment } from '../policy-check.js';
import { entityName } from '../render-resource.js';
import { policyFragmentSchema } from '../resource-schemas.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { policyKindOf } from './policy.js';
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
  actions: {
    /** POST …/listReferences (PolicyFragment_ListReferences): the policies that include the fragment, as `{ id, type, name }`. */
    async listReferences(entity, ctx) {
      const value = await policiesIncluding(entityName(entity.id), ctx);
      return { status: 200, body: { value, count: value.length } };
    },
  },
};

/** The stored policies with an `<include-fragment fragment-id="{name}">`, the id matched as the compiler resolves it. */
async function policiesIncluding(name: string, ctx: KindContext): Promise<Array<{ id: string; type: string; name: string }>> {
  const out = [];
  for (const policy of (await ctx.tx.list({ kind: 'policy' })).items) {
    if (includesFragment(policy, name)) out.push({ id: resourceId(ctx.service, policy.id), type: policyKindOf(policy.id).armType, name: entityName(policy.id) });
  }
  return out;
}

function includesFragment(policy: StoredEntity, name: string): boolean {
  let root: XmlElement;
  try {
    root = parseXml(String(policy.body.value ?? ''));
  } catch {
    // A stored policy parsed when it was saved; one that does not includes nothing.
    return false;
  }
  const visit = (element: XmlElement): boolean =>
    (element.name === 'include-fragment' && attribute(element, 'fragment-id')?.value === name) ||
    element.children.some((child) => child.kind === 'element' && visit(child));
  return visit(root);
}
