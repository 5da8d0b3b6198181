/**
 * Builds a gateway snapshot from a service configuration: parses fragments, compiles every
 * policy document at its scope, builds the route table and the subscription index. Any error
 * names the document it is in; a snapshot that fails to build is never served.
 */
import { isWebSocketApiType } from '../../model/api-type.js';
import { defaultNetworkSettings } from '../../model/network.js';
import type { ExpressionLimits } from '../../expressions/index.js';
import type { Backend, Certificate, ClientCertificate, PolicyDocument, ServiceConfig } from '../../model/resources.js';
import { certificateById, certificateByThumbprint } from '../../model/certificate-lookup.js';
import { substituteNamedValues } from '../../pipeline/named-values.js';
import { compilePolicyDocument, type CompiledDocument } from '../../pipeline/compile-document.js';
import type { CompileEnvironment } from '../../pipeline/compile-environment.js';
import type { Scope } from '../../pipeline/gateway-context.js';
import { PolicyCompileError, type PolicyModule } from '../../pipeline/policy-module.js';
import { parseXml, XmlSyntaxError, type XmlElement } from '../../pipeline/xml.js';
import { RouteTable } from '../routing/route-table.js';
import { withGraphqlEndpoint } from '../routing/graphql-endpoint.js';
import { SubscriptionIndex } from '../subscriptions/subscription-index.js';
import { GatewaySnapshot, type CompiledScopes } from './gateway-snapshot.js';
import { SnapshotBuildError } from './snapshot-error.js';
import { crossDomainFilesOf } from './cross-domain-files.js';

export interface SnapshotOptions {
  policies: ReadonlyMap<string, PolicyModule>;
  version: number;
  gatewayId?: string;
  /** Limits for every expression of the snapshot (`--expression-time-budget`). */
  expressionLimits?: Partial<ExpressionLimits>;
}

/** Compiles a configuration into a snapshot; throws SnapshotBuildError. */
export function buildSnapshot(config: ServiceConfig, options: SnapshotOptions): GatewaySnapshot {
  const namedValues = namedValueMap(config);
  const env: CompileEnvironment = {
    policies: options.policies,
    namedValues,
    fragments: parseFragments(config),
    backends: new Map(config.backends.map((b) => [b.name, resolveBackend(b, namedValues, config.certificates ?? [])])),
    certificates: config.certificates ?? [],
    expressionLimits: options.expressionLimits,
    loggers: new Map((config.loggers ?? []).map((l) => [l.name.toLowerCase(), { name: l.name, type: l.type }])),
  };
  const compile = (doc: PolicyDocument, scope: Scope, operation?: Parameters<typeof compilePolicyDocument>[3], docEnv = env): CompiledDocument => {
    try {
      return compilePolicyDocument(doc, scope, docEnv, operation);
    } catch (err) {
      if (err instanceof PolicyCompileError) throw SnapshotBuildError.fromCompileError(doc.source, err);
      throw err;
    }
  };

  const global = config.globalPolicy ? compile(config.globalPolicy, 'global') : undefined;
  const products = new Map<string, CompiledDocument>();
  for (const product of config.products) if (product.policy) products.set(product.name, compile(product.policy, 'product'));
  const apis = new Map<string, CompiledDocument>();
  const operations = new Map<string, CompiledDocument>();
  // What onHandshake does not run is refused when saved (management API, folder import) and
  // compiled away here: from a WebSocket API's own documents (one stored before the API's type
  // changed must not stop the gateway) and from a second compile of the global and product
  // documents it inherits (Azure skips those).
  const skipHandshake: CompileEnvironment = { ...env, webSocketHandshake: 'skip' };
  for (const api of config.apis) {
    const apiEnv = isWebSocketApiType(api.type) ? skipHandshake : env;
    if (api.policy) apis.set(api.name, compile(api.policy, 'api', undefined, apiEnv));
    for (const operation of api.operations) {
      if (operation.policy) operations.set(`${api.name}\u0000${operation.name}`, compile(operation.policy, 'operation', operation, apiEnv));
    }
  }
  let handshake: CompiledScopes['handshake'];
  if (config.apis.some((api) => isWebSocketApiType(api.type))) {
    const handshakeProducts = new Map<string, CompiledDocument>();
    for (const product of config.products) if (product.policy) handshakeProducts.set(product.name, compile(product.policy, 'product', undefined, skipHandshake));
    handshake = { global: config.globalPolicy ? compile(config.globalPolicy, 'global', undefined, skipHandshake) : undefined, products: handshakeProducts };
  }
  const backendDoc = compilePolicyDocument(
    { xml: '<policies><backend><forward-request /></backend></policies>', source: 'default global policy' },
    'global',
    env,
  );
  const defaultBackend = backendDoc.sections.backend?.[0];
  if (!defaultBackend || defaultBackend === 'base') throw new SnapshotBuildError('default global policy', 'forward-request is not registered');

  let routes: RouteTable;
  try {
    routes = RouteTable.build(config.apis.map(withGraphqlEndpoint), config.versionSets);
  } catch (err) {
    throw new SnapshotBuildError('apis', (err as Error).message);
  }
  const subscriptions = SubscriptionIndex.build(config);
  return new GatewaySnapshot(
    options.version,
    routes,
    subscriptions,
    {
      serviceName: config.serviceName,
      gatewayId: options.gatewayId ?? 'managed',
      backends: env.backends,
      debugCredentials: config.debugCredentials,
      secretValues: config.namedValues.filter((nv) => nv.secret && nv.value !== '').map((nv) => nv.value),
      certificates: env.certificates,
    },
    { global, products, apis, operations, defaultBackend, handshake },
    config.network ?? defaultNetworkSettings(),
    crossDomainFilesOf(config.globalPolicy, namedValues),
  );
}

function namedValueMap(config: ServiceConfig): Map<string, string> {
  const map = new Map<string, string>();
  for (const nv of config.namedValues) {
    map.set(nv.name, nv.value);
    map.set(nv.displayName, nv.value);
  }
  return map;
}

function parseFragments(config: ServiceConfig): Map<string, XmlElement> {
  const map = new Map<string, XmlElement>();
  for (const fragment of config.policyFragments) {
    let root: XmlElement;
    try {
      root = parseXml(fragment.policy.xml);
    } catch (err) {
      if (err instanceof XmlSyntaxError) throw new SnapshotBuildError(fragment.policy.source, `Invalid XML: ${err.message}`);
      throw err;
    }
    if (root.name !== 'fragment') {
      throw new SnapshotBuildError(fragment.policy.source, `A policy fragment's root element must be 'fragment', found '${root.name}'.`);
    }
    map.set(fragment.name, root);
  }
  return map;
}

/**
 * A backend with `{{named values}}` in its URL, credentials and proxy substituted, and the
 * certificates its credentials name (by resource id or thumbprint) resolved to key material.
 */
function resolveBackend(backend: Backend, namedValues: ReadonlyMap<string, string>, certificates: readonly Certificate[]): Backend {
  const source = `backends/${backend.name}`;
  const substitute = (text: string): string =>
    substituteNamedValues(text, namedValues, (name) => {
      throw new SnapshotBuildError(source, `Cannot find a named value with name '${name}'.`);
    });
  const values = (map: Record<string, string[]> | undefined) =>
    map && Object.fromEntries(Object.entries(map).map(([k, list]) => [k, list.map(substitute)]));
  const credentials = backend.credentials && {
    ...backend.credentials,
    header: values(backend.credentials.header),
    query: values(backend.credentials.query),
    authorization: backend.credentials.authorization && {
      scheme: substitute(backend.credentials.authorization.scheme),
      parameter: substitute(backend.credentials.authorization.parameter),
    },
  };
  const proxy = backend.proxy && {
    url: substitute(backend.proxy.url),
    username: backend.proxy.username === undefined ? undefined : substitute(backend.proxy.username),
    password: backend.proxy.password === undefined ? undefined : substitute(backend.proxy.password),
  };
  const clientCertificates = clientCertificatesOf(backend, certificates, (message) => {
    throw new SnapshotBuildError(source, message);
  });
  return { ...backend, url: backend.url === undefined ? undefined : substitute(backend.url), credentials, proxy, clientCertificates };
}

/** The certificates a backend presents: those of `certificateIds` (names or ARM ids), then those of `certificate` (thumbprints). */
function clientCertificatesOf(backend: Backend, certificates: readonly Certificate[], fail: (message: string) => never): ClientCertificate[] | undefined {
  const ids = backend.credentials?.certificateIds ?? [];
  const thumbprints = backend.credentials?.certificate ?? [];
  if (ids.length === 0 && thumbprints.length === 0) return undefined;
  const out: Certificate[] = [];
  for (const id of ids) {
    const found = certificateById(certificates, id);
    if (!found) fail(`Certificate with id '${id}' could not be found.`);
    out.push(found);
  }
  for (const thumbprint of thumbprints) {
    const found = certificateByThumbprint(certificates, thumbprint);
    if (!found) fail(`Certificate with thumbprint '${thumbprint}' could not be found.`);
    if (!out.includes(found)) out.push(found);
  }
  const keyless = out.find((c) => c.publicOnly);
  if (keyless) fail(`Certificate '${keyless.name}' has no private key and cannot be presented to a backend.`);
  return out.map(({ thumbprint, data, password }) => ({ thumbprint, data, password }));
}
