/**
 * The store's entities → the ServiceConfig the gateway serves (issue 3 §5 "Live config"). The
 * store keeps ARM `properties` bodies (what the management API validated), so each kind is read
 * by a per-kind reader of those properties (src/management/apiops/read-*.ts); sealed secrets are
 * opened first.
 * A stored resource the readers refuse (written around the management API's checks, by an older
 * version, or by a hostile body before those checks existed) is reported through `onSkipped`
 * and left out, so one bad resource never stops the gateway from taking every later change
 * (issue 11 finding 8). Left out fails closed: a subscription's keys stop opening anything, an
 * API stops being routed, a product stops granting access.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { emptyServiceConfig, type Api, type ApiSchema, type Certificate, type DebugCredentialSettings, type ExternalCache, type NamedValue, type Operation, type PolicyDocument, type Product, type ServiceConfig, type ServiceLogger } from '../../model/resources.js';
import { substituteNamedValues } from '../../pipeline/named-values.js';
import { templateParameterNames } from '../openapi/url-template.js';
import { checkApiRoutes } from '../apiops/check-api-routes.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import { dropUndefined } from '../apiops/drop-undefined.js';
import { FolderContext } from '../apiops/folder-context.js';
import { JsonFields } from '../apiops/json-fields.js';
import { parseOperationContract } from '../apiops/parse-operation-contract.js';
import { readApiInformation, type ApiDraft } from '../apiops/read-api-information.js';
import { backendFromProperties } from '../apiops/read-backends.js';
import { namedValueFromProperties } from '../apiops/read-named-values.js';
import { productFromProperties } from '../apiops/read-products.js';
import { subscriptionFromProperties } from '../apiops/read-subscriptions.js';
import { userFromProperties } from '../apiops/read-users.js';
import { versionSetFromProperties } from '../apiops/read-version-sets.js';
import { resolveRevisions } from '../apiops/resolve-revisions.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { networkSettingsFromEntities } from '../network/network-settings.js';
import { diagnosticsFromEntities } from './diagnostics-from-entities.js';
import { debugCredentialsKind, debugCredentialsStoreId } from '../arm/debug-credentials.js';

export interface EntitiesToConfigOptions {
  serviceName: string;
  /** Opens sealed subscription keys and secret named values. */
  sealer: Pick<SecretSealer, 'open'>;
  /** Receives the readers' notices (e.g. a backend URL that is not http(s)). */
  log?: (message: string) => void;
  /** Receives each stored resource left out because it cannot be read (its id and why); default `log`. */
  onSkipped?: (id: string, reason: string) => void;
}

/** Builds the gateway's configuration from every stored entity (`store.all()`). */
export function serviceConfigFromEntities(entities: readonly StoredEntity[], options: EntitiesToConfigOptions): ServiceConfig {
  const ctx = new FolderContext('', options.log ?? (() => undefined));
  const config = emptyServiceConfig(options.serviceName);
  const byId = new Map(entities.map((e) => [e.id.toLowerCase(), e]));
  const ofKind = (kind: string): StoredEntity[] => entities.filter((e) => e.kind === kind);
  const childrenOf = childrenIndex(entities);
  const fields = (e: StoredEntity, body: Record<string, unknown> = e.body): JsonFields => new JsonFields(e.id, body, 'properties');
  const skipped = options.onSkipped ?? ((id: string, reason: string) => options.log?.(`${id} is not served: ${reason}`));
  const readable = <T>(list: readonly StoredEntity[], read: (e: StoredEntity) => T): T[] => readEach(list, read, skipped);
  const policyOf = (parentId: string): PolicyDocument | undefined => {
    const policy = byId.get(`${parentId}/policies/policy`.toLowerCase());
    return policy && policy.kind === 'policy' ? { xml: String(policy.body.value ?? ''), source: policy.id } : undefined;
  };

  const globalPolicy = byId.get('policies/policy');
  if (globalPolicy?.kind === 'policy') config.globalPolicy = { xml: String(globalPolicy.body.value ?? ''), source: globalPolicy.id };

  config.versionSets = readable(ofKind('apiVersionSet'), (e) => versionSetFromProperties(nameOf(e), fields(e)));
  config.namedValues = readable(ofKind('namedValue'), (e) => {
    const body = { ...e.body };
    if (body.secret === true && typeof body.value === 'string' && body.value !== '') body.value = options.sealer.open(body.value);
    return namedValueFromProperties(ctx, nameOf(e), fields(e, body));
  });
  config.backends = readable(ofKind('backend'), (e) => backendFromProperties(ctx, nameOf(e), fields(e)));
  config.certificates = readable(ofKind('certificate'), (e) => certificateOf(e, options.sealer));
  config.policyFragments = readable(ofKind('policyFragment'), (e) => ({
    name: nameOf(e),
    description: typeof e.body.description === 'string' ? e.body.description : undefined,
    policy: { xml: String(e.body.value ?? ''), source: e.id },
  }));

  const drafts = readable(ofKind('api'), (e): { draft: ApiDraft; entity: StoredEntity } => ({
    draft: readApiInformation(ctx, { file: e.id, name: e.id.slice('apis/'.length), properties: fields(e) }, e.id.slice('apis/'.length)),
    entity: e,
  }));
  const current = resolveRevisions(drafts.map((d) => d.draft));
  const placed = drafts.map(({ draft, entity }) => {
    const api: Api = {
      ...draft.api,
      isCurrent: current.get(draft) ?? false,
      operations: readable(childrenOf(entity, 'operation'), (o) => operationOf(o, policyOf(o.id))),
    };
    const policy = policyOf(entity.id);
    if (policy) api.policy = policy;
    const schemas = readable(childrenOf(entity, 'apiSchema'), apiSchemaOf);
    if (schemas.length > 0) api.schemas = schemas;
    return { api, file: entity.id };
  });
  checkApiRoutes(placed, config.versionSets);
  config.apis = placed.map((p) => p.api);

  // Links name their target by the last path segment, in the casing the client used.
  const apiNames = new Map(config.apis.filter((a) => !a.name.includes(';rev=')).map((a) => [a.name.toLowerCase(), a.name]));
  config.products = readable(ofKind('product'), (e): Product => {
    const product = productFromProperties(nameOf(e), fields(e));
    for (const link of childrenOf(e, 'productApi')) {
      const api = apiNames.get(nameOf(link).toLowerCase());
      if (api !== undefined && !product.apis.includes(api)) product.apis.push(api);
    }
    for (const link of childrenOf(e, 'productGroup')) product.groups.push(nameOf(link));
    const policy = policyOf(e.id);
    if (policy) product.policy = policy;
    return product;
  });

  config.subscriptions = readable(ofKind('subscription'), (e) => {
    const body = { ...e.body };
    for (const key of ['primaryKey', 'secondaryKey']) if (typeof body[key] === 'string') body[key] = options.sealer.open(body[key]);
    const p = fields(e, body);
    return subscriptionFromProperties(ctx, nameOf(e), p, (key) => p.fail(key, 'is missing')).subscription;
  });

  const userGroups = new Map<string, string[]>();
  for (const link of ofKind('groupUser')) {
    const user = nameOf(link).toLowerCase();
    userGroups.set(user, [...(userGroups.get(user) ?? []), nameOf(byId.get(link.parent.toLowerCase()) ?? link)]);
  }
  config.users = readable(ofKind('user'), (e) => {
    const { password: _sealed, groups: _listed, ...body } = e.body;
    return { ...userFromProperties(nameOf(e), fields(e, body)), groups: userGroups.get(nameOf(e).toLowerCase()) ?? [] };
  });
  // The service settings and the Microsoft.Network entities become the gateway's listeners.
  config.network = networkSettingsFromEntities(entities);
  const diagnostics = diagnosticsFromEntities(entities);
  if (diagnostics.length > 0) config.diagnostics = diagnostics;
  const caches = readable(ofKind('cache'), (e) => externalCacheOf(e, config.namedValues));
  if (caches.length > 0) config.caches = caches;
  const debug = byId.get(debugCredentialsStoreId.toLowerCase());
  if (debug?.kind === debugCredentialsKind) config.debugCredentials = readEach([debug], (e) => debugCredentialsOf(e, options.sealer), skipped)[0];
  const loggers = readable(ofKind('logger'), (e) => serviceLoggerOf(e, namedValueLookup(config.namedValues), (reason) => skipped(e.id, reason)));
  if (loggers.length > 0) config.loggers = loggers;
  return dropUndefined(config);
}

/** Named values by name and by display name, for opening `{{references}}`. */
function namedValueLookup(namedValues: readonly NamedValue[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const nv of namedValues) values.set(nv.displayName, nv.value).set(nv.name, nv.value);
  return values;
}

/**
 * A stored logger with an event hub logger's credentials opened (`{{Logger-Credentials-…}}` and
 * other references). One whose credentials cannot be opened stays, without a destination (its
 * messages are dropped and counted), so the policies naming it still compile; `unusable` says why.
 */
function serviceLoggerOf(e: StoredEntity, values: ReadonlyMap<string, string>, unusable: (reason: string) => void): ServiceLogger {
  const logger: ServiceLogger = { name: nameOf(e), type: String(e.body.loggerType ?? ''), buffered: e.body.isBuffered !== false };
  const credentials = (e.body.credentials ?? {}) as Record<string, unknown>;
  if (logger.type === 'azureEventHub' && typeof credentials.name === 'string') {
    const open = (key: string): string | undefined => {
      const text = credentials[key];
      if (typeof text !== 'string') return undefined;
      return substituteNamedValues(text, values, (name) => {
        throw new Error(`its credentials.${key} names the named value '${name}', which does not exist`);
      });
    };
    try {
      logger.eventHub = dropUndefined({ name: credentials.name, connectionString: open('connectionString'), endpointAddress: open('endpointAddress'), identityClientId: open('identityClientId') });
    } catch (err) {
      unusable(`its messages are dropped: ${(err as Error).message}`);
    }
  }
  return logger;
}

/** A stored external cache with its `{{named value}}` connection string resolved, for the gateway to connect with. */
function externalCacheOf(e: StoredEntity, namedValues: readonly NamedValue[]): ExternalCache {
  const { connectionString, useFromLocation } = e.body;
  if (typeof connectionString !== 'string') throw new Error('the cache has no connection string');
  const values = namedValueLookup(namedValues);
  const opened = substituteNamedValues(connectionString, values, (name) => {
    throw new Error(`its connection string names the named value '${name}', which does not exist`);
  });
  return { name: nameOf(e), connectionString: opened, useFromLocation: String(useFromLocation ?? '') };
}

/** A stored API schema, as the validation policies read it. */
function apiSchemaOf(e: StoredEntity): ApiSchema {
  const { contentType, document } = e.body;
  if (typeof contentType !== 'string' || typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error('the schema has no content type or document');
  return { name: nameOf(e), contentType, document: document as Record<string, unknown> };
}

/** The service's debug key, opened, and each gateway's invalidation time in epoch milliseconds. */
function debugCredentialsOf(e: StoredEntity, sealer: Pick<SecretSealer, 'open'>): DebugCredentialSettings {
  const invalidatedAt: Record<string, number> = {};
  const stored = e.body.invalidatedAt;
  if (stored && typeof stored === 'object') {
    for (const [gateway, at] of Object.entries(stored)) {
      const ms = Date.parse(String(at));
      if (!Number.isNaN(ms)) invalidatedAt[gateway.toLowerCase()] = ms;
    }
  }
  return { key: sealer.open(String(e.body.key)), invalidatedAt };
}

/** A stored certificate with its sealed data and password opened, for the gateway to present or check against. */
export function certificateOf(e: StoredEntity, sealer: Pick<SecretSealer, 'open'>): Certificate {
  const { subject, thumbprint, expirationDate, data, password, publicOnly } = e.body;
  if (typeof data !== 'string' || typeof thumbprint !== 'string') throw new Error('the certificate has no data');
  return {
    name: nameOf(e),
    subject: String(subject ?? ''),
    thumbprint,
    expirationDate: String(expirationDate ?? ''),
    data: sealer.open(data),
    password: typeof password === 'string' ? sealer.open(password) : undefined,
    publicOnly: publicOnly === true ? true : undefined,
  };
}

/** `read` of every entity of `list`; one that throws is reported to `skipped` and left out. */
function readEach<T>(list: readonly StoredEntity[], read: (e: StoredEntity) => T, skipped: (id: string, reason: string) => void): T[] {
  const out: T[] = [];
  for (const entity of list) {
    try {
      out.push(read(entity));
    } catch (err) {
      const reason = err instanceof ConfigFolderError ? err.reason : err instanceof Error ? err.message : String(err);
      skipped(entity.id, reason);
    }
  }
  return out;
}

/** The resource name: the last segment of the store id. */
function nameOf(entity: StoredEntity): string {
  return entity.id.slice(entity.id.lastIndexOf('/') + 1);
}

/**
 * The entities of a kind under a parent, in store order, grouped once: a scan of every entity
 * per API (for its operations) made reading 2,000 APIs take seconds.
 */
function childrenIndex(entities: readonly StoredEntity[]): (parent: StoredEntity, kind: string) => readonly StoredEntity[] {
  const key = (kind: string, parentId: string): string => `${kind}\u0000${parentId.toLowerCase()}`;
  const byParent = new Map<string, StoredEntity[]>();
  for (const e of entities) {
    if (e.parent === '') continue;
    const at = key(e.kind, e.parent);
    const siblings = byParent.get(at);
    if (siblings) siblings.push(e);
    else byParent.set(at, [e]);
  }
  return (parent, kind) => byParent.get(key(kind, parent.id)) ?? [];
}

/** A stored operation → the model, with its policy. */
function operationOf(entity: StoredEntity, policy: PolicyDocument | undefined): Operation {
  const body = { ...entity.body };
  // The management API stores templates whose parameters were not described (Azure derives
  // them); the contract reader insists on them, so the undescribed ones are added as strings.
  const described = Array.isArray(body.templateParameters) ? [...(body.templateParameters as unknown[])] : [];
  const names = new Set(described.map((t) => (t && typeof t === 'object' ? (t as { name?: unknown }).name : undefined)));
  for (const name of templateParameterNames(String(body.urlTemplate ?? ''))) {
    if (!names.has(name)) described.push({ name, type: 'string', required: true });
  }
  body.templateParameters = described;
  const operation = parseOperationContract(nameOf(entity), new JsonFields(entity.id, body, 'properties'));
  keepSchemas(operation, body);
  if (policy) operation.policy = policy;
  return operation;
}

/** The contract reader drops representation schemas; imported operations keep them for mock responses. */
function keepSchemas(operation: Operation, body: Record<string, unknown>): void {
  const copy = (target: Operation['responses'] | undefined, source: unknown, pick: (item: unknown) => unknown): void => {
    if (!target || !Array.isArray(source)) return;
    target.forEach((item, i) => {
      const from = pick(source[i]);
      if (!Array.isArray(from)) return;
      item.representations?.forEach((r, j) => {
        const schema = (from[j] as { schema?: unknown } | undefined)?.schema;
        if (schema !== undefined) r.schema = schema;
      });
    });
  };
  copy(operation.responses, body.responses, (r) => (r as { representations?: unknown } | undefined)?.representations);
  const request = body.request as { representations?: unknown } | undefined;
  if (operation.request?.representations && Array.isArray(request?.representations)) {
    operation.request.representations.forEach((r, j) => {
      const schema = ((request.representations as unknown[])[j] as { schema?: unknown } | undefined)?.schema;
      if (schema !== undefined) r.schema = schema;
    });
  }
}
