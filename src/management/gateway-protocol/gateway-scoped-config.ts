/**
 * What one self-hosted gateway is given (docs/self-hosted-gateway.md, "What a gateway receives"):
 * the service's configuration cut down to the APIs linked to the gateway (`gateways/{g}/apis`,
 * every revision of each) and what they need, nothing of the other APIs:
 *
 * - the version sets those APIs belong to, the products that contain one of them (listing only
 *   those), and the subscriptions that open them: scoped to such a product or API, all-APIs
 *   (`/apis`) and all-access (`/`);
 * - the owners of those subscriptions, the API diagnostics of those APIs and the service's own;
 * - the global policy, named values, backends, policy fragments, loggers and external caches
 *   (service-wide: any policy may name them);
 * - the certificates a backend presents, those a policy, fragment or named value names (by name
 *   or thumbprint) and the gateway's certificate authorities;
 * - a public listener only: private endpoints and VNet injection belong to the managed gateway
 *   and are never offered on a self-hosted one.
 */
import { defaultNetworkSettings } from '../../model/network.js';
import { apiBaseName, type Api, type Certificate, type PolicyDocument, type ServiceConfig } from '../../model/resources.js';

/** The gateway's side of the cut: the names of its linked APIs and certificate authorities. */
export interface GatewayAssignment {
  /** Link names (`gateways/{g}/apis/{name}`); a revision's name links its API. */
  apis: readonly string[];
  /** Certificate names (`gateways/{g}/certificateAuthorities/{name}`). */
  certificateAuthorities: readonly string[];
}

/** The configuration a gateway with `assignment` serves, taken from the service's whole `config`. */
export function gatewayScopedConfig(config: ServiceConfig, assignment: GatewayAssignment): ServiceConfig {
  const linked = new Set(assignment.apis.map((name) => apiBaseName(name).toLowerCase()));
  const apis = config.apis.filter((api) => linked.has(apiBaseName(api.name).toLowerCase()));
  const apiNames = new Set(apis.map((api) => apiBaseName(api.name).toLowerCase()));
  const versionSets = new Set(apis.map((api) => api.apiVersionSetId?.toLowerCase()).filter((id) => id !== undefined));
  const products = config.products
    .filter((product) => product.apis.some((name) => apiNames.has(name.toLowerCase())))
    .map((product) => ({ ...product, apis: product.apis.filter((name) => apiNames.has(name.toLowerCase())) }));
  const productNames = new Set(products.map((p) => p.name.toLowerCase()));
  const subscriptions = config.subscriptions.filter((s) => opensAny(s.scope, apiNames, productNames));
  const owners = new Set(subscriptions.map((s) => ownerName(s.ownerId)).filter((name) => name !== undefined));

  const scoped: ServiceConfig = {
    ...config,
    apis,
    versionSets: config.versionSets.filter((v) => versionSets.has(v.name.toLowerCase())),
    products,
    subscriptions,
    users: config.users.filter((u) => owners.has(u.name.toLowerCase())),
    network: defaultNetworkSettings(),
  };
  if (config.diagnostics) scoped.diagnostics = config.diagnostics.filter((d) => d.api === undefined || apiNames.has(d.api.toLowerCase()));
  const certificates = neededCertificates(config, scoped, assignment);
  if (config.certificates) scoped.certificates = certificates;
  return scoped;
}

/** Whether a subscription of `scope` opens one of the APIs (by base name) or products given. */
function opensAny(scope: string, apiNames: ReadonlySet<string>, productNames: ReadonlySet<string>): boolean {
  const lower = scope.toLowerCase();
  // All-APIs and all-access subscriptions open something only where there is an API.
  if (lower === '/' || lower === '/apis') return apiNames.size > 0;
  const [, collection, name] = lower.split('/');
  if (collection === 'apis' && name !== undefined) return apiNames.has(name);
  if (collection === 'products' && name !== undefined) return productNames.has(name);
  return false;
}

/** `/users/{name}` (or a full ARM id ending so) → the user's name in lower case. */
function ownerName(ownerId: string | undefined): string | undefined {
  const m = ownerId === undefined ? null : /\/users\/([^/]+)$/i.exec(ownerId);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** The certificates of `config` that the scoped configuration's backends, policies and named values name, and the gateway's authorities. */
function neededCertificates(config: ServiceConfig, scoped: ServiceConfig, assignment: GatewayAssignment): Certificate[] {
  const texts = policyTexts(scoped).map((t) => t.toLowerCase());
  for (const nv of scoped.namedValues) texts.push(nv.value.toLowerCase());
  const authorities = new Set(assignment.certificateAuthorities.map((n) => n.toLowerCase()));
  const byBackend = new Set<string>();
  for (const backend of scoped.backends) {
    for (const id of backend.credentials?.certificateIds ?? []) byBackend.add(id.slice(id.lastIndexOf('/') + 1).toLowerCase());
    for (const thumbprint of backend.credentials?.certificate ?? []) byBackend.add(thumbprint.toLowerCase());
  }
  const named = (text: string): boolean => text !== '' && texts.some((t) => t.includes(text));
  return (config.certificates ?? []).filter((c) => {
    const name = c.name.toLowerCase();
    const thumbprint = c.thumbprint.toLowerCase();
    return authorities.has(name) || byBackend.has(name) || byBackend.has(thumbprint) || named(name) || named(thumbprint);
  });
}

/** Every policy document's XML in a configuration. */
function policyTexts(config: ServiceConfig): string[] {
  const docs: Array<PolicyDocument | undefined> = [config.globalPolicy];
  const ofApi = (api: Api) => [api.policy, ...api.operations.map((o) => o.policy)];
  for (const api of config.apis) docs.push(...ofApi(api));
  for (const product of config.products) docs.push(product.policy);
  for (const fragment of config.policyFragments) docs.push(fragment.policy);
  return docs.filter((d): d is PolicyDocument => d !== undefined).map((d) => d.xml);
}
