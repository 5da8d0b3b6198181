/**
 * Parses a subscription's `scope` (reference §5.2: `/products/{id}`, `/apis`, `/apis/{id}`, full
 * ARM ids accepted; the built-in all-access subscription is scoped to the service itself).
 */
import { apiBaseName } from '../../model/resources.js';

export type SubscriptionScope =
  | { kind: 'service' }
  | { kind: 'all-apis' }
  /** `id` is the API name without `;rev=`, lower-cased. */
  | { kind: 'api'; id: string }
  /** `id` is the product name, lower-cased. */
  | { kind: 'product'; id: string }
  /** Anything else (e.g. a workspace scope); it grants nothing. */
  | { kind: 'unsupported' };

// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}`
const armServicePrefix = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.apimanagement\/service\/[^/]+/i;

/** The scope kind and target of a scope string. Resource names compare case-insensitively, as ARM's do. */
export function parseSubscriptionScope(scope: string): SubscriptionScope {
  let path = scope.trim();
  const arm = armServicePrefix.exec(path);
  if (arm) path = path.slice(arm[0].length);
  path = path.replace(/\/+$/, '');
  if (path === '') return { kind: 'service' };
  const segments = path.split('/');
  if (segments[0] !== '' || segments.length > 3) return { kind: 'unsupported' };
  // A path that is not empty and starts with "/" has at least two segments.
  const kind = segments[1]!.toLowerCase();
  const id = segments[2];
  // Trailing slashes are gone, so a segment after the collection is never empty.
  if (kind === 'apis') return id === undefined ? { kind: 'all-apis' } : { kind: 'api', id: apiBaseName(id).toLowerCase() };
  if (kind === 'products' && id) return { kind: 'product', id: id.toLowerCase() };
  return { kind: 'unsupported' };
}
