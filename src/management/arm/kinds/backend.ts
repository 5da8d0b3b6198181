/**
 * Backends (reference §5.2): a Single backend needs a `url`; a Pool lists existing Single
 * backends. A circuit breaker is checked beyond its shape (circuit-breaker-rule.ts). Credentials
 * may use `{{named values}}`, which must exist. Changing or deleting a backend a policy uses is
 * refused when the policy would no longer compile.
 */
import { invalidField } from '../arm-error.js';
import { lastSegment } from '../arm-ids.js';
import { compileEnvironment } from '../policy-check.js';
import { backendSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { canonicalEnum } from '../property-schema.js';
import { CircuitBreakerProblem, readCircuitBreaker } from '../../../model/circuit-breaker-rule.js';
import type { Backend } from '../../../model/resources.js';
import { namedValueReferences } from '../../../pipeline/named-values.js';
import { policyRecheckHooks } from './policy-dependency.js';

export const backendKind: ResourceKind = {
  kind: 'backend',
  armType: 'Microsoft.ApiManagement/service/backends',
  label: 'Backend',
  schema: backendSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, properties }) {
    const body: Record<string, unknown> = { ...properties };
    body.type = canonicalEnum(properties.type ?? 'Single', ['Single', 'Pool']);
    if (body.protocol !== undefined) body.protocol = canonicalEnum(body.protocol, ['http', 'soap']);
    if (body.type === 'Single' && typeof body.url !== 'string') throw invalidField('url', "'url' is required for a backend of type Single.");
    if (body.type === 'Pool') {
      const services = (body.pool as { services?: Array<{ id: string }> } | undefined)?.services ?? [];
      if (services.length === 0) throw invalidField('pool.services', 'A backend pool needs at least one service.');
      for (const [i, service] of services.entries()) {
        const member = await ctx.tx.get(`backends/${lastSegment(service.id)}`);
        if (!member) throw invalidField(`pool.services[${i}].id`, `Backend with id '${lastSegment(service.id)}' could not be found.`);
        if (member.body.type === 'Pool') throw invalidField(`pool.services[${i}].id`, 'A backend pool can only contain backends of type Single.');
      }
    }
    try {
      readCircuitBreaker(body.circuitBreaker, body.type as Backend['type']);
    } catch (err) {
      if (err instanceof CircuitBreakerProblem) throw invalidField(err.target, err.message);
      throw err;
    }
    const env = await compileEnvironment(ctx.tx, ctx.sealer);
    for (const text of credentialTexts(body.credentials)) {
      for (const name of namedValueReferences(text)) {
        if (!env.namedValues.has(name)) throw invalidField('credentials', `Cannot find a named value with name '${name}'.`);
      }
    }
    return body;
  },
  async present(entity) {
    // ARM answers unset url, protocol and title as null (a pool has none of them).
    return { title: null, url: null, protocol: null, ...entity.body };
  },
  ...policyRecheckHooks('The backend is used by a policy.'),
};

function credentialTexts(credentials: unknown): string[] {
  if (!credentials || typeof credentials !== 'object') return [];
  const c = credentials as { query?: Record<string, string[]>; header?: Record<string, string[]>; authorization?: { scheme?: string; parameter?: string } };
  const out: string[] = [];
  for (const map of [c.query, c.header]) for (const list of Object.values(map ?? {})) out.push(...list);
  if (c.authorization) out.push(String(c.authorization.scheme ?? ''), String(c.authorization.parameter ?? ''));
  return out;
}
