/**
 * Writes an ImportPlan inside one store transaction, each resource through the management
 * API's own kind rules (`putResource`: schema, defaults, references, policy compilation), in an
 * order where what a resource refers to is written before it. The first refusal throws a
 * ConfigFolderError naming the file, and the caller's transaction rolls everything back.
 *
 * A resource stored with the same content is left as it is (unchanged-writes.ts), and the
 * result counts per kind what was created, updated, left unchanged and removed.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { ArmError } from '../arm/arm-error.js';
import { relativeReference, resourceId, type ServicePath } from '../arm/arm-ids.js';
import { writeMissingBuiltIns } from '../arm/built-in-entities.js';
import { revisionChildren } from '../arm/kinds/api-tree.js';
import { kindByChain } from '../arm/kind-registry.js';
import { recheckAllPolicies } from '../arm/policy-recheck.js';
import { checkProperties, putResource } from '../arm/put-resource.js';
import type { PreparedSecret } from '../arm/kinds/named-value.js';
import { loggerCredentialReferences, loggerCredentialsPrefix, refuseMissingLoggerCredentials } from '../arm/kinds/logger-credential-references.js';
import type { KindContext } from '../arm/resource-kind.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import { keepSpecification, storedSpecificationOf } from '../api-specification/stored-specification.js';
import { folderErrorFrom } from './folder-error-from.js';
import { identityWrite } from './identity-write.js';
import { countChanges, folderKindEntities, type CountsByKind } from './import-counts.js';
import { plainWriteLists, type ImportPlan, type PlannedApi, type PlannedWrite } from './import-plan.js';
import { ReadCachedTransaction } from './read-cache.js';
import { RemovalRefusedError, removalSummary } from './removal-summary.js';
import { UnchangedWritesSkipped } from './unchanged-writes.js';

export interface ApplyOptions {
  mode: 'merge' | 'replace';
  service: ServicePath;
  sealer: SecretSealer;
  now: () => Date;
  /** Replace even when it removes more resources than the folder holds. */
  force?: boolean;
  /** Called after each resource of the folder is written (or found unchanged). */
  progress?: (done: number, total: number) => void;
  /** Receives the summary of what a replace removes, when it removes more than the folder holds (and `force` is set). */
  notice?: (line: string) => void;
  /** The secrets of the folder's Key Vault named values and certificates, read before the transaction (readFolderSecrets), by store id. */
  secretReads?: ReadonlyMap<string, PreparedSecret>;
  /**
   * Merge mode: what an earlier import of this folder wrote (store id → its file); those the
   * folder no longer has are removed, as the management API deletes them (folder-import-record.ts).
   */
  previouslyImported?: ReadonlyMap<string, string>;
}

export interface ApplyResult {
  /** Per stored kind: created, updated, unchanged, removed. */
  counts: CountsByKind;
  /** Things the user should know (secret named values imported without a value). */
  warnings: string[];
  /** Every store id (lower case) the folder describes → the file it comes from. */
  planned: Map<string, string>;
}

/**
 * Removed last, once the folder's own resources no longer name them: policy dependencies, and
 * version sets (an API the folder moves to another set still names the old one until written).
 */
const removedLast = ['namedValue', 'backend', 'policyFragment', 'apiVersionSet', 'certificate'];
const policyDependencies = ['namedValue', 'backend', 'policyFragment'];

/**
 * Fields the management API computes that a folder records as history: the folder's value is
 * stored (a round trip keeps it); without one, the stored value; for a new resource, the kind's.
 */
const historyFields: Record<string, readonly string[]> = {
  subscription: ['createdDate', 'startDate', 'endDate'],
  user: ['registrationDate'],
};

const storeId = (segments: readonly string[]): string => segments.join('/').toLowerCase();

/** Applies `plan` with `tx`; throws ConfigFolderError (nothing is kept: the caller's transaction rolls back). */
export async function applyImportPlan(storeTx: EntityTransaction, plan: ImportPlan, options: ApplyOptions): Promise<ApplyResult> {
  const cached = new ReadCachedTransaction(storeTx);
  const tx = new UnchangedWritesSkipped(cached, options.sealer);
  const ctx: KindContext = { tx, service: options.service, sealer: options.sealer, now: options.now, query: new URLSearchParams(), folderImport: true };
  const warnings: string[] = [];
  const apis = plan.apis.map(normalizeApi);
  const planned = plannedFiles(plan, apis);
  let done = 0;
  const wrote = (): void => options.progress?.(++done, planned.size);
  const put = async (w: PlannedWrite, prepared?: unknown): Promise<StoredEntity> => {
    try {
      const kind = kindByChain(w.segments.filter((_, i) => i % 2 === 0))?.kind ?? '';
      tx.preset(storeId(w.segments), historyFields[kind] ?? [], historyOf(w, historyFields[kind] ?? []));
      const entity = await putResource(ctx, w.segments, w.properties, prepared);
      wrote();
      return entity;
    } catch (err) {
      throw folderErrorFrom(w.file, err);
    }
  };

  const before = await folderKindEntities(cached);
  // A fresh store gets the built-in groups and service settings the management API seeds at start.
  await writeMissingBuiltIns(tx, options.now);
  const removable = (e: StoredEntity): boolean => !planned.has(e.id.toLowerCase()) && !(e.kind === 'group' && e.body.builtIn === true);
  const unplanned = [...before.values()].filter((e) => removable(e) && (options.mode === 'replace' || options.previouslyImported?.has(e.id.toLowerCase()) === true));
  const removedFile = (e: StoredEntity): string => options.previouslyImported?.get(e.id.toLowerCase()) ?? e.id;
  if (options.mode === 'replace' && unplanned.length > planned.size) {
    const summary = removalSummary(unplanned, planned.size);
    if (!options.force) throw new RemovalRefusedError(summary);
    options.notice?.(summary);
  }
  // Stale links, policies, APIs, products… go first, so they never collide with the folder's.
  await removeEntities(ctx, unplanned.filter((e) => !removedLast.includes(e.kind)), removedFile);

  for (const w of plan.versionSets) await put(w);
  for (const w of plan.namedValues) await put(await namedValueWrite(tx, w, warnings), options.secretReads?.get(storeId(w.segments)));
  // Loggers name named values (their credentials); diagnostics name loggers; links name tags.
  for (const w of [...plan.loggers, ...plan.diagnostics, ...plan.tags]) await put(w);
  const isPool = (w: PlannedWrite): boolean => String(w.properties.type ?? '').toLowerCase() === 'pool';
  // Backends name certificates; pools list Single backends, which must exist first.
  for (const w of plan.certificates) await put(w, options.secretReads?.get(storeId(w.segments)));
  for (const w of plan.backends.filter((b) => !isPool(b))) await put(w);
  for (const w of plan.backends.filter(isPool)) await put(w);
  await putFragments(plan.policyFragments, put);
  for (const w of plan.groups) await put(w);
  for (const u of plan.users) await put(u.write);
  for (const u of plan.users) {
    for (const g of u.groups) await put({ file: u.write.file, segments: ['groups', g, 'users', u.write.segments[1]!], properties: {} });
  }
  // Current revisions first: another revision is created from its current one.
  for (const api of [...apis.filter((a) => a.current), ...apis.filter((a) => !a.current)]) {
    const entity = await put(api.write);
    if (api.current) await setCurrentRevision(tx, entity, api);
    // A new revision starts as a copy of the current one's operations and policies; the folder's replace them.
    await removeUnplannedChildren(tx, entity.id, planned);
    for (const child of api.children) {
      if (child.keptSpecification) {
        const spec = storedSpecificationOf(child.properties);
        if (spec) await keepSpecification(tx, entity.id, spec);
        wrote();
      } else if (!child.fromSpecification) await put(child);
      else {
        // As the REST API's specification import writes them (kinds/api.ts afterWrite); the reader checked names and routes.
        const id = `${entity.id}/operations/${child.segments[3]!}`;
        const existing = await tx.get(id);
        await tx.put({ kind: 'operation', id: existing?.id ?? id, parent: entity.id, body: child.properties });
        wrote();
      }
    }
  }
  for (const api of apis) {
    for (const release of api.releases) {
      await putRelease(ctx, release, api);
      wrote();
    }
  }
  for (const w of plan.products) await put(w);
  for (const w of plan.subscriptions) await put(w);
  // Gateways link APIs, which exist by now.
  for (const w of plan.gateways) await put(w);
  for (const w of plan.identity) await put(await identityWrite(tx, w, warnings));
  if (plan.globalPolicy) await put(plan.globalPolicy);
  await removeStaleDependencies(ctx, unplanned, planned, removedFile);
  return { counts: countChanges(before, await folderKindEntities(cached), new Set(planned.keys()), options.sealer), warnings, planned };
}

/** Links go before what they link, subscriptions before their scopes, diagnostics before their loggers, children and other revisions before their API. */
function removalRank(e: StoredEntity): number {
  if (['productApi', 'productGroup', 'groupUser'].includes(e.kind)) return 0;
  if (e.kind === 'subscription' || e.kind === 'diagnostic') return 1;
  if (e.parent !== '') return 2;
  return e.id.includes(';rev=') ? 3 : 4;
}

/**
 * Deletes `entities` as the management API's DELETE does (the kind's own clean-up: an API's
 * revisions and product links, a group's product links, a product's or user's subscriptions,
 * as with `deleteSubscriptions=true`, which is how the APIOps publisher deletes them); a refusal
 * names the file the resource came from.
 */
async function removeEntities(ctx: KindContext, entities: readonly StoredEntity[], fileOf: (e: StoredEntity) => string): Promise<void> {
  const removal: KindContext = { ...ctx, query: new URLSearchParams({ deleteSubscriptions: 'true' }) };
  for (const e of [...entities].sort((a, b) => removalRank(a) - removalRank(b))) {
    // Already gone with its parent or its API.
    const current = await ctx.tx.get(e.id);
    if (!current) continue;
    try {
      await kindByChain(current.id.split('/').filter((_, i) => i % 2 === 0))?.beforeDelete?.(current, removal);
      await ctx.tx.delete(current.id);
    } catch (err) {
      throw folderErrorFrom(fileOf(e), err instanceof ArmError ? new ArmError(err.status, err.code, `'${current.id}' is no longer in the folder and cannot be removed: ${err.message}`, err.details) : err);
    }
  }
}

/**
 * Replace mode, last step: removes the named values, backends and fragments the folder lacks,
 * then checks once that every policy still compiles and every logger's credentials still name
 * stored named values without them (the folder's own may still name one); a failure names the
 * policy's or logger's file.
 */
async function removeStaleDependencies(ctx: KindContext, unplanned: readonly StoredEntity[], planned: ReadonlyMap<string, string>, fileOf: (e: StoredEntity) => string): Promise<void> {
  // The `Logger-Credentials-…` named value a logger keeps its clear-text secret in belongs to the
  // logger: a folder never holds it (its logger has the clear text), so it stays while used.
  const loggerOwned = new Set(
    (await loggerCredentialReferences(ctx.tx)).filter((r) => r.namedValue.startsWith(loggerCredentialsPrefix)).map((r) => r.namedValue.toLowerCase()),
  );
  const stale = unplanned.filter((e) => policyDependencies.includes(e.kind) && !(e.kind === 'namedValue' && loggerOwned.has(String(e.body.displayName ?? '').toLowerCase())));
  if (stale.length > 0) {
    for (const e of stale) await ctx.tx.delete(e.id);
    try {
      const reason = 'A named value, backend or policy fragment the folder does not have is still used.';
      await recheckAllPolicies(ctx, reason);
      await refuseMissingLoggerCredentials(ctx.tx, reason);
    } catch (err) {
      const target = err instanceof ArmError ? err.details[0]?.target : undefined;
      throw folderErrorFrom(planned.get(String(target ?? '').toLowerCase()) ?? String(target ?? 'policy.xml'), err);
    }
  }
  // After the backends: a certificate a stale backend names goes with it.
  await removeEntities(ctx, unplanned.filter((e) => removedLast.includes(e.kind) && !policyDependencies.includes(e.kind)), fileOf);
}

/** The values of the history `fields` the folder gives (checked to be dates). */
function historyOf(w: PlannedWrite, historyFieldsOfKind: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of historyFieldsOfKind) {
    const value = w.properties[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      throw new ConfigFolderError(w.file, `property 'properties.${field}' must be a date (ISO 8601), found ${JSON.stringify(value)}`);
    }
    fields[field] = value;
  }
  return fields;
}

/** The current revision is stored at `apis/<base>` whatever its folder is called; children follow. */
function normalizeApi(api: PlannedApi): PlannedApi {
  const name = api.current ? api.base : `${api.base};rev=${api.revision}`;
  const rename = (w: PlannedWrite): PlannedWrite => ({ ...w, segments: [w.segments[0]!, name, ...w.segments.slice(2)] });
  return { ...api, write: rename(api.write), children: api.children.map(rename) };
}

/** Every store id (lower case) the folder describes → the file it comes from. */
function plannedFiles(plan: ImportPlan, apis: readonly PlannedApi[]): Map<string, string> {
  const files = new Map<string, string>();
  const add = (w: PlannedWrite): void => void files.set(storeId(w.segments), w.file);
  for (const list of plainWriteLists(plan)) list.forEach(add);
  for (const u of plan.users) {
    add(u.write);
    for (const g of u.groups) files.set(storeId(['groups', g, 'users', u.write.segments[1]!]), u.write.file);
  }
  for (const api of apis) {
    add(api.write);
    api.children.forEach(add);
    api.releases.forEach(add);
  }
  if (plan.globalPolicy) add(plan.globalPolicy);
  return files;
}

/** Removes what is stored below an API (operations, policies) that the folder does not list for it. */
async function removeUnplannedChildren(tx: EntityTransaction, apiId: string, planned: ReadonlyMap<string, string>): Promise<void> {
  for (const child of await revisionChildren(tx, apiId)) {
    if (!planned.has(child.id.toLowerCase())) await tx.delete(child.id);
  }
}

/**
 * A new API starts at revision 1 through the REST API (later revisions are made current by a
 * release); a folder states its current revision directly, so the stored number follows it. A
 * stored non-current entity of that same revision number is superseded by the folder's.
 */
async function setCurrentRevision(tx: EntityTransaction, entity: StoredEntity, api: PlannedApi): Promise<void> {
  if (String(entity.body.apiRevision) === api.revision) return;
  const stale = await tx.get(`${entity.id};rev=${api.revision}`);
  if (stale) await tx.delete(stale.id);
  await tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: { ...entity.body, apiRevision: api.revision } }, { ifMatch: entity.etag });
}

/**
 * A secret named value whose value the folder leaves out (the extractor never writes it) keeps
 * the stored value; a new one gets an empty value, as `gatehouse start --config` loads it, and a
 * warning. A Key Vault named value is written with its reference: its secret was read before
 * the transaction (readFolderSecrets) and reaches the kind as its preparation.
 */
async function namedValueWrite(tx: EntityTransaction, w: PlannedWrite, warnings: string[]): Promise<PlannedWrite> {
  const properties = w.properties;
  if (properties.keyVault !== undefined || properties.value !== undefined || properties.secret !== true || (await tx.get(storeId(w.segments)))) return w;
  warnings.push(`${w.file}: secret named value '${w.segments[1]}' has no value in the folder; imported with an empty value (set it with the management API)`);
  return { ...w, properties: { ...properties, value: '' } };
}

/** Fragments may include fragments: write those whose dependencies exist, round by round. */
async function putFragments(fragments: readonly PlannedWrite[], put: (w: PlannedWrite) => Promise<StoredEntity>): Promise<void> {
  let pending = [...fragments];
  while (pending.length > 0) {
    const failed: Array<{ w: PlannedWrite; err: unknown }> = [];
    for (const w of pending) {
      try {
        await put(w);
      } catch (err) {
        // A refused write stored nothing (the kind checks before it writes), so it can be tried again.
        failed.push({ w, err });
      }
    }
    if (failed.length === pending.length) throw failed[0]!.err;
    pending = failed.map((f) => f.w);
  }
}

/**
 * Release records are history: an older release names a revision that is no longer current,
 * and writing it through the REST API would make that revision current again. They are checked
 * against the release schema and stored as they are.
 */
async function putRelease(ctx: KindContext, w: PlannedWrite, api: PlannedApi): Promise<void> {
  const kind = kindByChain(['apis', 'releases'])!;
  try {
    const properties = checkProperties(kind, w.properties, 'PUT');
    const path = relativeReference(String(properties.apiId ?? ''));
    const target = path.replace(/^apis\//i, '').replace(/;rev=.*$/, '');
    if (!/^apis\//i.test(path) || target.toLowerCase() !== api.base.toLowerCase()) {
      throw new ConfigFolderError(w.file, `property 'properties.apiId' must name a revision of API '${api.base}', found '${String(properties.apiId)}'`);
    }
    const parent = `apis/${api.base}`;
    const at = ctx.now().toISOString();
    const stored = await ctx.tx.get(`${parent}/releases/${w.segments[3]}`);
    // Release dates are read-only through the REST API; a folder carries them as history (without them, the stored ones stay).
    const date = (field: string): unknown => (typeof w.properties[field] === 'string' ? w.properties[field] : (stored?.body[field] ?? at));
    const body: Record<string, unknown> = {
      ...properties,
      apiId: resourceId(ctx.service, path),
      createdDateTime: date('createdDateTime'),
      updatedDateTime: date('updatedDateTime'),
    };
    await ctx.tx.put({ kind: kind.kind, id: stored?.id ?? `${parent}/releases/${w.segments[3]}`, parent, body });
  } catch (err) {
    throw folderErrorFrom(w.file, err);
  }
}
