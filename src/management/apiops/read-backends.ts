/** A stored backend's properties as the gateway's model (reference §5.2 "Backend"); read by store-config/service-config-from-entities.ts. */
import type { Backend, BackendCredentials } from '../../model/resources.js';
import { CircuitBreakerProblem, readCircuitBreaker } from '../../model/circuit-breaker-rule.js';
import type { FolderContext } from './folder-context.js';
import type { JsonFields } from './json-fields.js';
import { isHttpUrl } from './http-url.js';
import { lastSegment } from './resource-id.js';
import { ConfigFolderError } from './config-folder-error.js';

/** A backend's ARM `properties` → the model (pool members are checked by the caller). */
export function backendFromProperties(ctx: FolderContext, name: string, p: JsonFields): Backend {
  const type = p.enumValue('type', ['Single', 'Pool'] as const);
  const url = p.string('url');
  if (type !== 'Pool' && url === undefined) p.fail('url', 'is required for a Single backend');
  if (url !== undefined && !isHttpUrl(url)) {
    // Kept as written, like an API's serviceUrl: only requests routed to it fail.
    ctx.log(`${p.file}: url '${url}' is not an absolute http(s) URL; requests sent to this backend will fail`);
  }
  const backend: Backend = {
    name,
    url,
    protocol: p.enumValue('protocol', ['http', 'soap'] as const),
    title: p.string('title'),
    description: p.string('description'),
    credentials: readCredentials(p.object('credentials')),
    tls: readTls(p.object('tls')),
    proxy: readProxy(p.object('proxy')),
    type,
    pool: readPool(p.object('pool')),
    circuitBreaker: readBreaker(p, type),
  };
  if (type === 'Pool' && !backend.pool?.services.length) p.fail('pool.services', 'must list at least one backend for a Pool backend');
  return backend;
}

function readBreaker(p: JsonFields, type: Backend['type']): Backend['circuitBreaker'] {
  try {
    return readCircuitBreaker(p.raw('circuitBreaker'), type);
  } catch (err) {
    if (err instanceof CircuitBreakerProblem) throw new ConfigFolderError(p.file, `property '${p.path}.${err.target}': ${err.message}`);
    throw err;
  }
}

function readCredentials(c: JsonFields | undefined): BackendCredentials | undefined {
  if (!c) return undefined;
  const auth = c.object('authorization');
  return {
    query: c.stringListRecord('query'),
    header: c.stringListRecord('header'),
    authorization: auth ? { scheme: auth.requiredString('scheme', true), parameter: auth.requiredString('parameter') } : undefined,
    certificateIds: c.stringArray('certificateIds'),
    certificate: c.stringArray('certificate'),
  };
}

function readProxy(p: JsonFields | undefined): Backend['proxy'] {
  if (!p) return undefined;
  return { url: p.requiredString('url', true), username: p.string('username'), password: p.string('password') };
}

function readTls(t: JsonFields | undefined): Backend['tls'] {
  if (!t) return undefined;
  return { validateCertificateChain: t.boolean('validateCertificateChain'), validateCertificateName: t.boolean('validateCertificateName') };
}

function readPool(pool: JsonFields | undefined): Backend['pool'] {
  if (!pool) return undefined;
  const services = (pool.objectArray('services') ?? []).map((s) => ({
    // Pool members are written as full ARM ids; the model keeps backend names.
    id: lastSegment(s.requiredString('id', true)),
    priority: s.integer('priority'),
    weight: s.integer('weight'),
  }));
  return { services };
}
