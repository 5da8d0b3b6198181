/**
 * Backends (reference §5.2): a Single backend needs a `url`; a Pool lists existing Single
 * backends. A circuit breaker is checked beyond its shape (circuit-breaker-rule.ts). Credentials
 * and the proxy may use `{{named values}}`, which must exist; client certificates must name
 * stored certificates. What Gatehouse cannot act on (Service Fabric `properties`; connection
 * settings on a Pool, whose members make the calls) is refused. Changing or deleting a backend a
 * policy uses is refused when the policy would no longer compile.
 */
import { invalidField } from '../arm-error.js';
import { lastSegment } from '../arm-ids.js';
import { compileEnvironment } from '../policy-check.js';
import { backendSchema } from '../resource-schemas.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { canonicalEnum } from '../canonical-enum.js';
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
    refuseUnsupported(body);
    await checkCertificates(ctx.tx, body.credentials);
    if (body.proxy !== undefined) {
      const url = String((body.proxy as { url?: unknown }).url ?? '');
      if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) throw invalidField('proxy.url', `The proxy URL '${url}' must be an absolute http or https URL.`);
    }
    try {
      readCircuitBreaker(body.circuitBreaker, body.type as Backend['type']);
    } catch (err) {
      if (err instanceof CircuitBreakerProblem) throw invalidField(err.target, err.message);
      throw err;
    }
    const env = await compileEnvironment(ctx.tx, ctx.sealer);
    for (const [field, texts] of [['credentials', credentialTexts(body.credentials)], ['proxy', proxyTexts(body.proxy)]] as const) {
      for (const text of texts) {
        for (const name of namedValueReferences(text)) {
          if (!env.namedValues.has(name)) throw invalidField(field, `Cannot find a named value with name '${name}'.`);
        }
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

/**
 * Refuses what the gateway would store and not act on: Service Fabric settings (`properties`),
 * and `tls`, `proxy` or client certificates on a Pool (its member backends make the calls).
 */
function refuseUnsupported(body: Record<string, unknown>): void {
  const extra = body.properties;
  if (extra !== undefined && extra !== null) {
    const key = typeof extra === 'object' ? Object.keys(extra)[0] : undefined;
    if (key !== undefined || typeof extra !== 'object') {
      throw invalidField(key ? `properties.${key}` : 'properties', 'Service Fabric backends are not supported by Gatehouse.');
    }
  }
  if (body.type !== 'Pool') return;
  const credentials = (body.credentials ?? {}) as Record<string, unknown>;
  for (const [field, value] of [['tls', body.tls], ['proxy', body.proxy], ['credentials', Object.keys(credentials).length ? credentials : undefined]] as const) {
    if (value !== undefined && value !== null) throw invalidField(field, `A backend pool does not call services itself: set '${field}' on its member backends.`);
  }
}

/** Every certificate `credentials` names must be stored: by resource id (`certificateIds`) or by thumbprint (`certificate`). */
async function checkCertificates(tx: KindContext['tx'], credentials: unknown): Promise<void> {
  const c = (credentials ?? {}) as { certificateIds?: string[]; certificate?: string[] };
  const keyless = (field: string, body: Record<string, unknown>, name: string): void => {
    // A public certificate (.cer, PEM without key) can check others' certificates, not be presented.
    if (body.publicOnly === true) throw invalidField(field, `Certificate '${name}' has no private key and cannot be presented to a backend.`);
  };
  for (const [i, id] of (c.certificateIds ?? []).entries()) {
    const found = await tx.get(`certificates/${lastSegment(id)}`);
    if (!found) throw invalidField(`credentials.certificateIds[${i}]`, `Certificate with id '${lastSegment(id)}' could not be found.`);
    keyless(`credentials.certificateIds[${i}]`, found.body, lastSegment(id));
  }
  if (!c.certificate?.length) return;
  const stored = (await tx.list({ kind: 'certificate' })).items;
  for (const [i, thumbprint] of c.certificate.entries()) {
    const found = stored.find((e) => String(e.body.thumbprint ?? '').toLowerCase() === thumbprint.toLowerCase());
    if (!found) throw invalidField(`credentials.certificate[${i}]`, `Certificate with thumbprint '${thumbprint}' could not be found.`);
    keyless(`credentials.certificate[${i}]`, found.body, lastSegment(found.id));
  }
}

function proxyTexts(proxy: unknown): string[] {
  if (!proxy || typeof proxy !== 'object') return [];
  const p = proxy as { url?: unknown; username?: unknown; password?: unknown };
  return [p.url, p.username, p.password].filter((t): t is string => typeof t === 'string');
}

function credentialTexts(credentials: unknown): string[] {
  if (!credentials || typeof credentials !== 'object') return [];
  const c = credentials as { query?: Record<string, string[]>; header?: Record<string, string[]>; authorization?: { scheme?: string; parameter?: string } };
  const out: string[] = [];
  for (const map of [c.query, c.header]) for (const list of Object.values(map ?? {})) out.push(...list);
  if (c.authorization) out.push(String(c.authorization.scheme ?? ''), String(c.authorization.parameter ?? ''));
  return out;
}
