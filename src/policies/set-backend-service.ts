/**
 * `set-backend-service`: sends the request to another backend, given as `base-url` or as the id
 * of a Backend resource (reference §3 "Transformation / routing"). The backend-bound URL keeps its
 * operation-relative path and query under the new base (reference §1.3); a Backend's credentials
 * (headers, query parameters, Authorization) are applied to the request.
 */
import type { Backend, BackendCredentials } from '../model/resources.js';
import { joinBackendPath } from '../pipeline/backend-path.js';
import { PolicyRuntimeError, type GatewayContext, type Scope } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { RequestSlot } from '../pipeline/request-slot.js';
import { RequestUrl } from '../pipeline/request-url.js';
import { attribute } from '../pipeline/xml.js';

const scopeRank: Readonly<Record<Scope, number>> = { global: 0, product: 1, api: 2, operation: 3 };

// The scope of the last set-backend-service backend-id that ran for a request; kept outside the
// context so expressions cannot see it.
const backendIdScope = new RequestSlot<Scope>('backend-id scope');

/** The part of `path` under `basePath`, or undefined when the path is not under it. */
export function pathUnderBase(path: string, basePath: string): string | undefined {
  const b = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  if (b === '') return path;
  if (path === b) return '';
  if (path.startsWith(b + '/')) return path.slice(b.length);
  return undefined;
}

/** The backend-bound path relative to the current backend base (what a new base is put in front of). */
export function operationRelativePath(gw: GatewayContext): string {
  const path = gw.request.url.path;
  if (gw.backendBase) {
    const rest = pathUnderBase(path, gw.backendBase.path);
    if (rest !== undefined) return rest;
  }
  // No base yet (an API without serviceUrl): the URL is still the caller's; drop the API path.
  const apiPath = gw.api.path.replace(/^\/+|\/+$/g, '');
  if (apiPath === '') return path;
  return pathUnderBase(path, '/' + apiPath) ?? path;
}

/** Why a base URL is unusable, or undefined. */
export function baseUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `The value '${text}' is not a valid absolute URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The URL '${text}' must use http or https.`;
  return undefined;
}

/** Points the request at a new base URL, keeping the operation-relative path and the query. */
export function rebaseRequest(gw: GatewayContext, baseUrl: string): void {
  const base = RequestUrl.parse(baseUrl);
  const current = gw.request.url;
  const rest = operationRelativePath(gw);
  // A query on the base URL (e.g. a function key) goes first, the request's own query after it.
  gw.request.url = new RequestUrl(base.scheme, base.host, base.port, joinBackendPath(base.path, rest), [
    ...base.query,
    ...current.query,
  ]);
  gw.backendBase = new RequestUrl(base.scheme, base.host, base.port, base.path, []);
}

/** Adds a Backend's credentials to the backend-bound request. */
export function applyBackendCredentials(gw: GatewayContext, credentials: BackendCredentials | undefined): void {
  if (!credentials) return;
  for (const [name, values] of Object.entries(credentials.header ?? {})) gw.request.headers.set(name, values);
  for (const [name, values] of Object.entries(credentials.query ?? {})) gw.request.url.setQuery(name, values);
  const auth = credentials.authorization;
  if (auth) gw.request.headers.set('Authorization', auth.parameter ? `${auth.scheme} ${auth.parameter}` : auth.scheme);
}

/**
 * The backend a request goes to for an id: the Backend itself, or one member of a pool. In a
 * pool, the lowest priority value whose group has a member that is `available` (its circuit
 * breaker is closed) serves, weighted among those members: a group whose breakers are all open
 * fails over to the next. When no member is available the first group is picked as if all were,
 * and forward-request answers that member's open breaker.
 */
export function pickBackend(
  backends: ReadonlyMap<string, Backend>,
  id: string,
  random: () => number = Math.random,
  available: (backend: Backend) => boolean = () => true,
): Backend | undefined {
  const backend = backends.get(id);
  if (!backend || backend.type !== 'Pool') return backend;
  const members = (backend.pool?.services ?? [])
    .map((s) => ({ backend: backends.get(lastSegment(s.id)), priority: s.priority ?? 1, weight: s.weight ?? 1 }))
    .filter((m): m is Member => m.backend !== undefined && m.backend.type !== 'Pool');
  if (members.length === 0) return undefined;
  const usable = members.filter((m) => available(m.backend));
  const candidates = usable.length > 0 ? usable : members;
  const best = Math.min(...candidates.map((m) => m.priority));
  return pickWeighted(candidates.filter((m) => m.priority === best), random);
}

interface Member {
  backend: Backend;
  priority: number;
  weight: number;
}

/** One member of a priority group, by weight (the first when no member has weight). */
function pickWeighted(group: readonly Member[], random: () => number): Backend {
  const total = group.reduce((sum, m) => sum + Math.max(0, m.weight), 0);
  if (total <= 0) return group[0]!.backend;
  let point = random() * total;
  for (const m of group) {
    point -= Math.max(0, m.weight);
    if (point < 0) return m.backend;
  }
  return group[group.length - 1]!.backend;
}

// Pool members are referenced by full resource id (`/backends/{id}`) or by name.
function lastSegment(id: string): string {
  const i = id.lastIndexOf('/');
  return i === -1 ? id : id.slice(i + 1);
}

function notFound(id: string): PolicyRuntimeError {
  return new PolicyRuntimeError('set-backend-service', 'BackendNotFound', `Backend with id '${id}' could not be found.`);
}

export const setBackendService: PolicyModule = {
  name: 'set-backend-service',
  sections: ['inbound', 'backend'],
  attributes: {
    'base-url': { type: 'string', expression: true },
    'backend-id': { type: 'string', expression: true },
  },
  compile(element, ctx) {
    const baseAttr = attribute(element, 'base-url');
    const idAttr = attribute(element, 'backend-id');
    if (baseAttr && idAttr) ctx.fail(element, "Only one of the 'base-url' and 'backend-id' attributes may be specified.");
    if (!baseAttr && !idAttr) ctx.fail(element, "Either the 'base-url' or the 'backend-id' attribute must be specified.");
    const scope = ctx.scope;

    if (idAttr) {
      const id = ctx.string(element, 'backend-id')!;
      if (id.isConstant) {
        const backend = ctx.backend(id.constant!);
        if (!backend) return ctx.fail(idAttr, `Backend with id '${id.constant}' could not be found.`);
        if (backend.type !== 'Pool' && !backend.url) ctx.fail(idAttr, `Backend with id '${id.constant}' has no URL.`);
      }
      return (gw) => {
        const backendId = id.get(gw);
        const now = gw.services.clock.now();
        const closed = (b: Backend): boolean => !gw.services.circuits.of(b)?.isOpen(now);
        const backend = pickBackend(gw.catalog.backends, backendId, Math.random, closed);
        if (!backend) throw notFound(backendId);
        if (!backend.url) throw new Error(`Backend with id '${backend.name}' has no URL.`);
        const problem = baseUrlProblem(backend.url);
        if (problem) throw new Error(problem);
        rebaseRequest(gw, backend.url);
        gw.backendId = backendId;
        gw.backend = backend;
        applyBackendCredentials(gw, backend.credentials);
        gw.setSlot(backendIdScope, scope);
        if (gw.requestTrace) gw.traceStep('set-backend-service', { message: `Backend service URL was changed to the backend '${backend.name}'.`, 'backend-id': backendId, url: backend.url });
      };
    }

    const baseUrl = ctx.string(element, 'base-url')!;
    if (baseUrl.isConstant) {
      const problem = baseUrlProblem(baseUrl.constant!);
      if (problem) ctx.fail(baseAttr!, problem);
    }
    let warned = false;
    return (gw) => {
      const chosenAt = gw.slot(backendIdScope);
      if (chosenAt !== undefined && scopeRank[chosenAt] < scopeRank[scope]) {
        // Azure: a backend-id inherited from a broader scope can only be overridden by backend-id.
        if (warned) return;
        warned = true;
        gw.services.logger.warn(
          { requestId: gw.requestId, scope, inheritedFrom: chosenAt },
          'set-backend-service base-url ignored: an inherited backend-id can only be overridden by backend-id',
        );
        return;
      }
      const url = baseUrl.get(gw);
      const problem = baseUrl.isConstant ? undefined : baseUrlProblem(url);
      if (problem) throw new Error(problem);
      rebaseRequest(gw, url);
      gw.backendId = undefined;
      gw.backend = undefined;
      if (gw.requestTrace) gw.traceStep('set-backend-service', { message: 'Backend service URL was changed.', url });
    };
  },
};
