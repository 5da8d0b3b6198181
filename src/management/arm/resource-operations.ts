/**
 * The generic ARM verbs over the entity store (reference §5.3): GET/HEAD with `ETag`, PUT
 * (201 create, 200 replace; `If-Match` optional, `If-None-Match: *`), PATCH and DELETE with
 * `If-Match` required (412 on mismatch), lists with `value`/`count`/`nextLink`, POST actions.
 * Every write runs in one store transaction: any failure leaves the store as it was.
 */
import { ConditionFailedError, type EntityStore, type StoredEntity } from '../../core/entity-store.js';
import { ArmError, invalidField, notFound } from './arm-error.js';
import type { ServicePath } from './arm-ids.js';
import { etagHeader, etagMatches } from './etag.js';
import { nextLink, readListQuery } from './list-query.js';
import { checkName, checkProperties, storeWrite } from './put-resource.js';
import { entityName, renderResource } from './render-resource.js';
import type { SecretProvider } from '../../core/secret-provider.js';
import type { KindContext, KindServices, ResourceKind } from './resource-kind.js';
import { resolveResource, type ResolvedTarget } from './resolve-resource.js';
import type { SecretSealer } from './secret-sealer.js';
import { resourceId } from './arm-ids.js';
import { kindByChain } from './kind-registry.js';

/** What a verb answers: status, headers and an optional JSON body. */
export interface ArmResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** One management request, as the verbs see it. */
export interface ArmRequest {
  method: string;
  url: URL;
  segments: string[];
  service: ServicePath;
  body: Record<string, unknown> | undefined;
  ifMatch?: string[];
  ifNoneMatch?: string[];
  actor: string;
  /** Narrows what the request may reach (a user principal's rules, user-authorization.ts); absent: everything. */
  guard?: RequestGuard;
}

/** Limits a request to what its principal may reach; every hook runs inside the request's transaction. */
export interface RequestGuard {
  /** Runs first in every transaction of the request; throws to refuse (404 for what the caller may not see). */
  admit(ctx: KindContext): Promise<void>;
  /** Whether a list shows `entity`; absent: every item. */
  shows?(entity: StoredEntity): boolean;
  /** The validated properties of a PUT or PATCH as the caller may write them (refuses, or fills in). */
  writes(given: Record<string, unknown>, existing: StoredEntity | undefined, ctx: KindContext): Promise<Record<string, unknown>>;
  /** The answer's body as the caller may see it; absent: as it is. */
  answers?(body: unknown): unknown;
}

export interface OperationDeps {
  store: EntityStore;
  sealer: SecretSealer;
  now: () => Date;
  /** Reads Key Vault named values' secrets (outside the store transaction). */
  secrets?: SecretProvider;
}

function services(deps: OperationDeps): KindServices {
  return { secrets: deps.secrets, now: deps.now };
}

const preconditionMessage = 'Resource was modified since last retrieval. Refresh the entity and try again.';

/** Serves a request below the service with the generic verbs. */
export async function handleResourceRequest(request: ArmRequest, deps: OperationDeps): Promise<ArmResponse> {
  const response = await serveVerb(request, deps);
  const answers = request.guard?.answers;
  return answers && response.body !== undefined ? { ...response, body: answers(response.body) } : response;
}

async function serveVerb(request: ArmRequest, deps: OperationDeps): Promise<ArmResponse> {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return read(request, deps, method);
  if (method === 'PUT' || method === 'PATCH') return write(request, deps, method);
  if (method === 'DELETE') return remove(request, deps);
  if (method === 'POST') return action(request, deps);
  throw new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on this resource.`);
}

function context(request: ArmRequest, deps: OperationDeps, tx: KindContext['tx']): KindContext {
  return { tx, service: request.service, sealer: deps.sealer, now: deps.now, query: request.url.searchParams };
}

/** Reads run in a transaction too, so a list and the entities it renders are one snapshot. */
async function read(request: ArmRequest, deps: OperationDeps, method: 'GET' | 'HEAD'): Promise<ArmResponse> {
  return deps.store.transaction(request.actor, async (tx) => {
    const ctx = context(request, deps, tx);
    await request.guard?.admit(ctx);
    const target = await resolveResource(request.segments, ctx);
    if (target.shape === 'action') throw new ArmError(405, 'MethodNotAllowed', `'${target.action}' is a POST action.`);
    if (target.shape === 'collection') return list(target, ctx, request);
    if (target.shape === 'revisions') return revisions(target, ctx, request);
    if (target.kind.listItem) throw new ArmError(405, 'MethodNotAllowed', `The items of '${target.kind.armType}' are only listed.`);
    const entity = target.kind.fixedEntities ? await fixedEntity(target, ctx) : await tx.get(target.id);
    if (!entity) throw notFound(target.kind.label);
    const headers = { etag: etagHeader(entity.etag) };
    // ARM's checkEntityExists (product API, product group, group user) answers 204, and the SDK
    // accepts nothing else; every other HEAD, tag and gateway API links too, is getEntityTag, answered 200.
    if (method === 'HEAD') return { status: target.kind.headChecksExistence ? 204 : 200, headers };
    const exported = await target.kind.exported?.(entity, ctx);
    if (exported) return { status: 200, headers: {}, body: exported };
    return { status: 200, headers, body: await renderResource(entity, target.kind, ctx) };
  });
}

async function list(target: ResolvedTarget, ctx: KindContext, request: ArmRequest): Promise<ArmResponse> {
  const query = readListQuery(request.url.searchParams);
  const stored = (await target.kind.fixedEntities?.(ctx, target.parent)) ?? (await ctx.tx.list({ kind: target.kind.kind, parent: target.parent })).items;
  const rendered = [];
  const { listItem } = target.kind;
  if (listItem) {
    // Azure's list takes no $filter here (UserIdentities_List); refused rather than ignored.
    if (query.filter) throw invalidField('$filter', `$filter is not supported when listing '${target.kind.armType}'.`);
    return page(stored.map((e) => listItem(e)), query, request.url);
  }
  for (const entity of stored) {
    if (target.kind.listed && !target.kind.listed(entity)) continue;
    if (request.guard?.shows && !request.guard.shows(entity)) continue;
    const resource = await renderResource(entity, target.kind, ctx).catch((err: unknown) => {
      // A link whose target vanished is not listed.
      if (err instanceof ArmError && err.status === 404) return undefined;
      throw err;
    });
    if (resource && (!query.filter || query.filter({ name: resource.name, properties: resource.properties }))) rendered.push(resource);
  }
  return page(rendered, query, request.url);
}

function page(all: readonly unknown[], query: ReturnType<typeof readListQuery>, url: URL): ArmResponse {
  const value = all.slice(query.skip, query.skip + query.top);
  const body: Record<string, unknown> = { value, count: all.length };
  const next = nextLink(url, query, all.length);
  if (next) body.nextLink = next;
  return { status: 200, headers: {}, body };
}

/** An API's revisions (ApiRevisionContract, reference §5.1). */
async function revisions(target: ResolvedTarget, ctx: KindContext, request: ArmRequest): Promise<ArmResponse> {
  const query = readListQuery(request.url.searchParams);
  const base = target.id;
  const all = (await ctx.tx.list({ kind: 'api', parent: '' })).items.filter(
    (e) => e.id.toLowerCase() === base.toLowerCase() || e.id.toLowerCase().startsWith(`${base.toLowerCase()};rev=`),
  );
  const rows = all
    .map((e) => ({
      name: entityName(e.id),
      row: {
        apiId: resourceId(ctx.service, `${base};rev=${String(e.body.apiRevision)}`),
        apiRevision: String(e.body.apiRevision),
        createdDateTime: String(e.body.createdDateTime ?? e.updatedAt),
        updatedDateTime: e.updatedAt,
        description: e.body.apiRevisionDescription,
        privateUrl: e.body.isCurrent === true ? undefined : `/${String(e.body.path ?? '')};rev=${String(e.body.apiRevision)}`,
        isOnline: true,
        isCurrent: e.body.isCurrent === true,
      },
    }))
    .filter((r) => !query.filter || query.filter({ name: r.name, properties: r.row }))
    .sort((a, b) => Number(a.row.apiRevision) - Number(b.row.apiRevision))
    .map((r) => JSON.parse(JSON.stringify(r.row)) as unknown);
  return page(rows, query, request.url);
}

function requestProperties(body: Record<string, unknown> | undefined): Record<string, unknown> {
  if (body === undefined) return {};
  const properties = body.properties;
  if (properties === undefined || properties === null) return {};
  if (typeof properties !== 'object' || Array.isArray(properties)) throw invalidField('properties', "'properties' must be an object.");
  return properties as Record<string, unknown>;
}

async function write(request: ArmRequest, deps: OperationDeps, method: 'PUT' | 'PATCH'): Promise<ArmResponse> {
  if (method === 'PATCH' && !request.ifMatch) {
    throw invalidField('If-Match', "The 'If-Match' header is required for PATCH requests.");
  }
  const given = requestProperties(request.body);
  let prepared: unknown;
  let preparedFor: ResourceKind | undefined;
  const run = () =>
    deps.store.transaction(request.actor, async (tx) => {
      const ctx = context(request, deps, tx);
      await request.guard?.admit(ctx);
      const target = await resolveResource(request.segments, ctx);
      if (target.shape !== 'item') throw new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on this resource.`);
      const kind = target.kind;
      if (kind.fixedEntities) throw readOnlyKind(kind);
      checkName(kind, target.name);
      const existing = await tx.get(target.id);
      const validated = checkProperties(kind, given, method);
      const checked = request.guard ? await request.guard.writes(validated, existing, ctx) : validated;
      if (kind.beforeTransaction && preparedFor !== kind) {
        // Slow preparation (downloads) must not hold the store's write lock: leave, prepare, retry.
        throw new NeedsPreparation(kind, checked);
      }
      if (method === 'PATCH' && !existing) throw notFound(kind.label);
      if (existing) {
        const refused = kind.readOnlyEntity?.(existing);
        if (refused) throw invalidField('name', refused);
      }
      if (request.ifNoneMatch?.includes('*') && existing) throw new ArmError(412, 'PreconditionFailed', preconditionMessage);
      // `If-Match: *` on PUT is unconditional (reference §5.3); APIM's own examples send it on creates.
      if (request.ifMatch && !request.ifMatch.includes('*') && (!existing || !etagMatches(existing.etag, request.ifMatch))) {
        throw new ArmError(412, 'PreconditionFailed', preconditionMessage);
      }
      const entity = await storeWrite({ ctx, target, given: checked, existing, method, prepared });
      const resource = await renderResource(entity, kind, ctx);
      if (kind.longRunning) resource.properties.provisioningState = 'Succeeded';
      return { status: existing ? 200 : 201, headers: { etag: etagHeader(entity.etag) }, body: resource } as ArmResponse;
    });
  try {
    return await mapConditions(run);
  } catch (err) {
    if (!(err instanceof NeedsPreparation)) throw err;
    prepared = await err.kind.beforeTransaction!(err.given, services(deps));
    preparedFor = err.kind;
    return mapConditions(run);
  }
}

class NeedsPreparation extends Error {
  constructor(
    readonly kind: ResourceKind,
    readonly given: Record<string, unknown>,
  ) {
    super('needs preparation');
  }
}

async function remove(request: ArmRequest, deps: OperationDeps): Promise<ArmResponse> {
  const addressed = kindByChain(request.segments.filter((_, i) => i % 2 === 0));
  if (!request.ifMatch && !addressed?.deleteWithoutIfMatch) throw invalidField('If-Match', "The 'If-Match' header is required for DELETE requests.");
  return mapConditions(() =>
    deps.store.transaction(request.actor, async (tx) => {
      const ctx = context(request, deps, tx);
      await request.guard?.admit(ctx);
      const target = await resolveResource(request.segments, ctx);
      if (target.shape !== 'item') throw new ArmError(405, 'MethodNotAllowed', 'DELETE is not allowed on this resource.');
      if (target.kind.fixedEntities) throw readOnlyKind(target.kind);
      const existing = await tx.get(target.id);
      // ARM answers a DELETE of something that is not there with 204.
      if (!existing) return { status: 204, headers: {} };
      if (request.ifMatch && !etagMatches(existing.etag, request.ifMatch)) throw new ArmError(412, 'PreconditionFailed', preconditionMessage);
      const refused = target.kind.readOnlyEntity?.(existing);
      if (refused) throw invalidField('name', refused);
      await target.kind.beforeDelete?.(existing, ctx);
      await tx.delete(existing.id, { ifMatch: existing.etag });
      await target.kind.afterDelete?.(existing, ctx);
      return { status: 200, headers: {} };
    }),
  );
}

async function action(request: ArmRequest, deps: OperationDeps): Promise<ArmResponse> {
  let prepared: { value: unknown } | undefined;
  const run = () =>
    mapConditions(() =>
      deps.store.transaction(request.actor, async (tx) => {
        const ctx = context(request, deps, tx);
        await request.guard?.admit(ctx);
        const target = await resolveResource(request.segments, ctx);
        if (target.shape !== 'action') throw new ArmError(405, 'MethodNotAllowed', 'POST is not allowed on this resource.');
        const handler = Object.entries(target.kind.actions ?? {}).find(([name]) => name.toLowerCase() === target.action!.toLowerCase())?.[1];
        if (!handler) throw new ArmError(404, 'NotFound', `The action '${target.action}' is not supported on ${target.kind.label}.`);
        const entity = (await tx.get(target.id)) as StoredEntity;
        // Slow preparation (reading a vault) must not hold the store's write lock: leave, prepare, retry.
        if (target.kind.prepareAction && !prepared) throw new ActionNeedsPreparation(target.kind, target.action!, entity);
        const result = await handler(entity, ctx, request.body, prepared?.value);
        const after = await tx.get(target.id);
        const headers: Record<string, string> = after ? { etag: etagHeader(after.etag) } : {};
        return { status: result.status, headers, body: result.body };
      }),
    );
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ActionNeedsPreparation)) throw err;
    prepared = { value: await err.kind.prepareAction!(err.action, err.entity, services(deps)) };
    return run();
  }
}

class ActionNeedsPreparation extends Error {
  constructor(
    readonly kind: ResourceKind,
    readonly action: string,
    readonly entity: StoredEntity,
  ) {
    super('action needs preparation');
  }
}

/** The one entity of a fixed (unstored) kind a request names, matched case-insensitively. */
async function fixedEntity(target: ResolvedTarget, ctx: KindContext): Promise<StoredEntity | undefined> {
  return (await target.kind.fixedEntities!(ctx, target.parent)).find((e) => e.id.toLowerCase() === target.id.toLowerCase());
}

function readOnlyKind(kind: ResourceKind): ArmError {
  return new ArmError(405, 'MethodNotAllowed', `${kind.label} resources are read-only.`);
}

/** Maps the store's condition failures (a concurrent writer won) to ARM's answers. */
async function mapConditions<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ConditionFailedError) {
      if (err.code === 'PreconditionFailed') throw new ArmError(412, 'PreconditionFailed', preconditionMessage);
      if (err.code === 'Conflict') throw new ArmError(409, 'Conflict', 'The resource was created by another request at the same time.');
      throw new ArmError(404, 'ResourceNotFound', err.message);
    }
    throw err;
  }
}
