/**
 * APIs (reference §5.2): plain creates, imports from OpenAPI/Swagger, new versions from a
 * source API (`sourceApiId`, `apiVersionSetId`) and revisions (`apis/{id};rev=N`). The current
 * revision is stored at `apis/{id}`, others at `apis/{id};rev=N` (the APIOps extractor's layout);
 * `apis/{id};rev=N` names the current one too while N is current.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import { invalidField, notFound } from '../arm-error.js';
import { relativeReference, resourceId } from '../arm-ids.js';
import { canonicalEnum } from '../canonical-enum.js';
import { apiSchema } from '../resource-schemas.js';
import { checkVersionSetEcho, versionSetDetails } from './version-set-echo.js';
import type { KindContext, ResourceKind, WriteInput } from '../resource-kind.js';
import { copyChildren, revisionChildren } from './api-tree.js';
import { importSpecification, operationBody, type ImportedApi } from './api-import.js';
import { referencedEntity, withDefaults, without } from './kind-helpers.js';
import { entitiesByKey, type ListIndex } from '../keyed-lookup.js';
import { isWebSocketApiType, storeHandshakeOperation } from '../../api-types/websocket-handshake.js';
import { keepSpecification } from '../../api-specification/stored-specification.js';
import { graphqlSchemaId, graphqlSchemaProperties } from '../../api-types/graphql-schema.js';
import { exportApi, isExportRequest } from './api-export.js';

/**
 * A WSDL imports as a SOAP pass-through API; Azure's other choice, SOAP to REST (`apiType:
 * http` with a WSDL), is not built, so it is refused rather than imported as something else.
 */
function checkImportedType(imported: ImportedApi, properties: Record<string, unknown>): void {
  const asked = properties.apiType ?? properties.type;
  if (imported.type === 'soap' && asked !== undefined && String(asked).toLowerCase() !== 'soap') {
    throw invalidField('apiType', `A WSDL imports as a SOAP pass-through API ('apiType': 'soap'); '${String(asked)}' (SOAP to REST) is not supported by Gatehouse.`);
  }
  if (imported.type === 'graphql' && asked !== undefined && String(asked).toLowerCase() !== 'graphql') {
    throw invalidField('apiType', `A GraphQL endpoint (graphql-link) imports as a GraphQL API ('apiType': 'graphql'), not '${String(asked)}'.`);
  }
}

/** `echo;rev=3` → `{ base: 'echo', revision: '3' }`. */
export function splitRevision(name: string): { base: string; revision?: string } {
  const i = name.indexOf(';rev=');
  return i === -1 ? { base: name } : { base: name.slice(0, i), revision: name.slice(i + 5) };
}

// Properties a request may carry that describe how to build the API, not the API itself.
const requestOnly = ['sourceApiId', 'format', 'value', 'wsdlSelector', 'translateRequiredQueryParameters', 'apiType'];
// Properties every revision of an API shares (Azure: "Can't change property for non-current revision").
const shared = ['path', 'protocols', 'apiVersion', 'apiVersionDescription', 'subscriptionRequired', 'type', 'description', 'displayName'];
const apiTypes = ['http', 'soap', 'websocket', 'graphql', 'odata', 'grpc'];
const sourceOnly = ['isCurrent', 'apiRevision', 'apiRevisionDescription', 'isOnline', 'provisioningState'];

const sourceChildren = new WeakMap<WriteInput, string>();
const importedOperations = new WeakMap<WriteInput, ImportedApi>();

async function sourceApi(ctx: KindContext, reference: string): Promise<StoredEntity> {
  return referencedEntity(ctx, reference, 'sourceApiId', 'apis', 'Api');
}

const normalizedPath = (p: unknown): string => String(p ?? '').replace(/^\/+|\/+$/g, '').toLowerCase();

/** Current APIs by normalized path (keyed-lookup.ts): the check below looks one path up per write. */
const currentApiPaths: ListIndex = {
  name: 'currentApiPath',
  key: (api) => (api.body.isCurrent === true ? normalizedPath(api.body.path) : undefined),
};

/**
 * Current APIs must be told apart by path (reference §1.2): a path belongs to one API, or to
 * the versions of one version set, each version once.
 */
async function checkPathUnique(ctx: KindContext, entity: StoredEntity): Promise<void> {
  if (entity.body.isCurrent !== true) return;
  for (const other of await entitiesByKey(ctx.tx, { kind: 'api', parent: '' }, currentApiPaths, normalizedPath(entity.body.path))) {
    if (other.id.toLowerCase() === entity.id.toLowerCase()) continue;
    // Compared service-relative: ids written through another subscription/resource-group path (or by an import) name the same set.
    const setOf = (ref: unknown): string => relativeReference(String(ref ?? '')).toLowerCase();
    const sameSet = entity.body.apiVersionSetId !== undefined && setOf(entity.body.apiVersionSetId) === setOf(other.body.apiVersionSetId);
    if (!sameSet) throw invalidField('path', `Path '${String(entity.body.path)}' is already used by API '${other.id.slice(5)}'.`);
    if (String(entity.body.apiVersion ?? '').toLowerCase() === String(other.body.apiVersion ?? '').toLowerCase()) {
      throw invalidField('apiVersion', `Version '${String(entity.body.apiVersion ?? '')}' of path '${String(entity.body.path)}' is already used by API '${other.id.slice(5)}'.`);
    }
  }
}

export const apiKind: ResourceKind = {
  kind: 'api',
  armType: 'Microsoft.ApiManagement/service/apis',
  label: 'Api',
  schema: apiSchema,
  namePattern: /^[^*#&+:<>?\/;]{1,256}(;rev=[1-9][0-9]{0,5})?$/,
  longRunning: true,
  async beforeTransaction(given) {
    if (typeof given.format === 'string' && typeof given.value === 'string') {
      return importSpecification(given.format, given.value, given.translateRequiredQueryParameters, given.wsdlSelector);
    }
    return undefined;
  },
  async resolveId(id, ctx) {
    const { base, revision } = splitRevision(id);
    if (revision === undefined || (await ctx.tx.get(id))) return id;
    const current = await ctx.tx.get(base);
    return current && String(current.body.apiRevision) === revision ? current.id : id;
  },
  async prepare(input) {
    const { ctx, name, properties, given, existing } = input;
    const { base, revision } = splitRevision(name);
    let defaults: Record<string, unknown> = {};
    let body: Record<string, unknown>;
    const isRevisionId = revision !== undefined && !(existing && existing.id.toLowerCase() === `apis/${base}`.toLowerCase());
    if (isRevisionId) {
      const current = await ctx.tx.get(`apis/${base}`);
      if (!current) throw notFound('Api');
      if (revision === String(current.body.apiRevision)) throw invalidField('apiRevision', `Revision ${revision} is the current revision of API '${base}'.`);
      if (!existing) {
        const source = typeof given.sourceApiId === 'string' ? await sourceApi(ctx, given.sourceApiId) : current;
        defaults = without(source.body, sourceOnly);
        sourceChildren.set(input, source.id);
      }
      // Revisions share these with the current one, when created as when updated.
      for (const field of shared) {
        if (field in given && JSON.stringify(given[field]) !== JSON.stringify(current.body[field])) {
          throw invalidField(field, "Can't change property for non-current revision");
        }
      }
      body = withDefaults(properties, defaults);
      body.apiRevision = revision;
      body.isCurrent = false;
    } else {
      if (!existing && typeof given.sourceApiId === 'string') {
        const source = await sourceApi(ctx, given.sourceApiId);
        defaults = without(source.body, [...sourceOnly, 'apiVersionSetId', 'apiVersion']);
        sourceChildren.set(input, source.id);
      }
      const imported = input.prepared as ImportedApi | undefined;
      if (imported) {
        importedOperations.set(input, imported);
        defaults = withDefaults(
          { displayName: imported.displayName, description: imported.description, serviceUrl: imported.serviceUrl },
          defaults,
        );
        checkImportedType(imported, properties);
      }
      body = withDefaults(properties, defaults);
      body.apiRevision = existing ? String(existing.body.apiRevision ?? '1') : '1';
      body.isCurrent = true;
    }
    if (properties.apiType !== undefined && body.type === undefined) body.type = properties.apiType;
    if (input.prepared && (input.prepared as ImportedApi).type !== undefined && body.type === undefined) body.type = (input.prepared as ImportedApi).type;
    body = without(body, requestOnly);
    body.type = canonicalEnum(body.type ?? 'http', apiTypes);
    body.protocols ??= ['https'];
    body.subscriptionRequired ??= true;
    body.subscriptionKeyParameterNames ??= { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' };
    if (typeof body.path !== 'string') throw invalidField('path', "'path' is required.");
    if (typeof body.displayName !== 'string' || body.displayName === '') throw invalidField('displayName', "'displayName' is required.");
    checkVersionSetEcho(given.apiVersionSet, body.apiVersionSetId);
    if (typeof body.apiVersionSetId === 'string' && body.apiVersionSetId !== '') {
      const set = await referencedEntity(ctx, body.apiVersionSetId, 'apiVersionSetId', 'apiVersionSets', 'ApiVersionSet');
      body.apiVersionSetId = resourceId(ctx.service, set.id);
    } else {
      delete body.apiVersionSetId;
    }
    delete body.apiVersionSet;
    return body;
  },
  async afterWrite(entity, input) {
    await checkPathUnique(input.ctx, entity);
    const imported = importedOperations.get(input);
    // A GraphQL endpoint's schema is (re)read with every import, as the `graphql` schema the API is exported with.
    if (imported?.graphqlSchema !== undefined) {
      const id = `${entity.id}/schemas/${graphqlSchemaId}`;
      const existing = await input.ctx.tx.get(id);
      await input.ctx.tx.put({ kind: 'apiSchema', id: existing?.id ?? id, parent: entity.id, body: graphqlSchemaProperties(imported.graphqlSchema) });
    }
    if (input.existing) return;
    const from = sourceChildren.get(input);
    if (from) await copyChildren(input.ctx.tx, await revisionChildren(input.ctx.tx, from), from, entity.id);
    // Azure creates a WebSocket API's onHandshake operation with it (a new version or revision copies it above).
    if (!from && isWebSocketApiType(entity.body.type)) await storeHandshakeOperation(input.ctx.tx, entity.id);
    for (const op of imported?.operations ?? []) {
      const id = `${entity.id}/operations/${op.name}`;
      await input.ctx.tx.put({ kind: 'operation', id, parent: entity.id, body: operationBody(op) });
    }
    if (imported?.specification) await keepSpecification(input.ctx.tx, entity.id, imported.specification);
  },
  async exported(entity, ctx) {
    return isExportRequest(ctx.query) ? exportApi(entity, ctx) : undefined;
  },
  async present(entity, ctx) {
    const body: Record<string, unknown> = { ...entity.body, isOnline: true };
    if (typeof body.apiVersionSetId === 'string') {
      const set = await ctx.tx.get(relativeReference(body.apiVersionSetId));
      if (set) body.apiVersionSet = versionSetDetails(body.apiVersionSetId, set.body);
    }
    return body;
  },
  async beforeDelete(entity, ctx) {
    const { base, revision } = splitRevision(entity.id.slice('apis/'.length));
    if (revision !== undefined) return;
    // Deleting an API deletes all its revisions and its product and gateway links.
    for (const other of (await ctx.tx.list({ kind: 'api' })).items) {
      if (other.id.toLowerCase().startsWith(`apis/${base.toLowerCase()};rev=`)) await ctx.tx.delete(other.id);
    }
    for (const linkKind of ['productApi', 'gatewayApi']) {
      for (const link of (await ctx.tx.list({ kind: linkKind })).items) {
        if (link.id.slice(link.id.lastIndexOf('/') + 1).toLowerCase() === base.toLowerCase()) await ctx.tx.delete(link.id);
      }
    }
  },
};
