/**
 * Writes an ImportPlan inside one store transaction, each resource through the management
 * API's own kind rules (`putResource`: schema, defaults, references, policy compilation), in an
 * order where what a resource refers to is written before it. The first refusal throws a
 * ConfigFolderError naming the file, and the caller's transaction rolls everything back.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { relativeReference, resourceId, type ServicePath } from '../arm/arm-ids.js';
import { writeMissingBuiltIns } from '../arm/built-in-entities.js';
import { revisionChildren } from '../arm/kinds/api-tree.js';
import { kindByChain } from '../arm/kind-registry.js';
import { checkProperties, putResource } from '../arm/put-resource.js';
import type { KindContext } from '../arm/resource-kind.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import { folderErrorFrom } from './folder-error-from.js';
import type { ImportPlan, PlannedApi, PlannedWrite } from './import-plan.js';

export interface ApplyOptions {
  mode: 'merge' | 'replace';
  service: ServicePath;
  sealer: SecretSealer;
  now: () => Date;
}

export interface ApplyResult {
  /** Resources written. */
  written: number;
  /** Stored resources removed because the folder does not have them (replace mode). */
  deleted: number;
  /** Things the user should know (secret named values imported without a value). */
  warnings: string[];
}

/** Kinds the folder describes; anything else (the `service` settings) is never deleted by a replace. */
const folderKinds = ['api', 'operation', 'policy', 'apiRelease', 'product', 'productApi', 'productGroup', 'subscription', 'namedValue', 'backend', 'apiVersionSet', 'policyFragment', 'group', 'user', 'groupUser'];
/** Kinds whose stored entity a replace keeps while the folder has it: their secrets are not in exported folders. */
const keepsSecrets = ['namedValue', 'subscription', 'user'];

const storeId = (segments: readonly string[]): string => segments.join('/').toLowerCase();

/** Applies `plan` with `tx`; throws ConfigFolderError (nothing is kept: the caller's transaction rolls back). */
export async function applyImportPlan(tx: EntityTransaction, plan: ImportPlan, options: ApplyOptions): Promise<ApplyResult> {
  const ctx: KindContext = { tx, service: options.service, sealer: options.sealer, now: options.now, query: new URLSearchParams() };
  const result: ApplyResult = { written: 0, deleted: 0, warnings: [] };
  const put = async (w: PlannedWrite): Promise<StoredEntity> => {
    try {
      const entity = await putResource(ctx, w.segments, w.properties);
      result.written++;
      return entity;
    } catch (err) {
      throw folderErrorFrom(w.file, err);
    }
  };
  const apis = plan.apis.map(normalizeApi);
  const planned = plannedIds(plan, apis);

  // A fresh store gets the built-in groups and service settings the management API seeds at start.
  await writeMissingBuiltIns(tx, options.now);
  if (options.mode === 'replace') result.deleted += await removeUnplanned(tx, planned);

  for (const w of plan.versionSets) await put(w);
  for (const w of plan.namedValues) await put(await namedValueWrite(tx, w, result.warnings));
  const isPool = (w: PlannedWrite): boolean => String(w.properties.type ?? '').toLowerCase() === 'pool';
  // Pools list Single backends, which must exist first.
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
      if (!child.fromSpecification) await put(child);
      else {
        // As the REST API's specification import writes them (kinds/api.ts afterWrite); the reader checked names and routes.
        const id = `${entity.id}/operations/${child.segments[3]!}`;
        const existing = await tx.get(id);
        await tx.put({ kind: 'operation', id: existing?.id ?? id, parent: entity.id, body: child.properties });
        result.written++;
      }
    }
  }
  for (const api of apis) for (const release of api.releases) await putRelease(ctx, release, api);
  for (const w of plan.products) await put(w);
  for (const w of plan.subscriptions) await put(w);
  if (plan.globalPolicy) await put(plan.globalPolicy);
  return result;
}

/** The current revision is stored at `apis/<base>` whatever its folder is called; children follow. */
function normalizeApi(api: PlannedApi): PlannedApi {
  const name = api.current ? api.base : `${api.base};rev=${api.revision}`;
  const rename = (w: PlannedWrite): PlannedWrite => ({ ...w, segments: [w.segments[0]!, name, ...w.segments.slice(2)] });
  return { ...api, write: rename(api.write), children: api.children.map(rename) };
}

function plannedIds(plan: ImportPlan, apis: readonly PlannedApi[]): Set<string> {
  const ids = new Set<string>();
  const add = (w: PlannedWrite): void => void ids.add(storeId(w.segments));
  for (const list of [plan.versionSets, plan.namedValues, plan.backends, plan.policyFragments, plan.groups, plan.products, plan.subscriptions]) list.forEach(add);
  for (const u of plan.users) {
    add(u.write);
    for (const g of u.groups) ids.add(storeId(['groups', g, 'users', u.write.segments[1]!]));
  }
  for (const api of apis) {
    add(api.write);
    api.children.forEach(add);
    api.releases.forEach(add);
  }
  if (plan.globalPolicy) add(plan.globalPolicy);
  return ids;
}

/**
 * Replace mode: removes every stored resource the folder does not describe (built-in groups and
 * the service settings stay), and every policy and fragment (the folder's are written again), so
 * stale documents never block the new ones. Named values, subscriptions and users the folder
 * has are kept until overwritten: a folder without their secrets keeps the stored ones.
 */
async function removeUnplanned(tx: EntityTransaction, planned: ReadonlySet<string>): Promise<number> {
  let deleted = 0;
  for (const kind of folderKinds) {
    for (const e of (await tx.list({ kind })).items) {
      if (kind === 'group' && e.body.builtIn === true) continue;
      if (planned.has(e.id.toLowerCase()) && (keepsSecrets.includes(kind) || kind === 'api' || kind === 'product' || kind === 'group')) continue;
      if (await tx.delete(e.id)) deleted++;
    }
  }
  return deleted;
}

/** Removes what is stored below an API (operations, policies) that the folder does not list for it. */
async function removeUnplannedChildren(tx: EntityTransaction, apiId: string, planned: ReadonlySet<string>): Promise<void> {
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
 * warning. A Key Vault reference (which the management API refuses: Gatehouse does not reach Key
 * Vault) becomes a secret named value the same way, as the folder loader treats it.
 */
async function namedValueWrite(tx: EntityTransaction, w: PlannedWrite, warnings: string[]): Promise<PlannedWrite> {
  let properties = w.properties;
  if (properties.keyVault !== undefined) {
    const { keyVault: _keyVault, ...rest } = properties;
    properties = { ...rest, secret: true };
    warnings.push(`${w.file}: Key Vault named value '${w.segments[1]}' is imported as a secret named value (Key Vault is not contacted)`);
  }
  if (properties.value !== undefined || properties.secret !== true || (await tx.get(storeId(w.segments)))) return { ...w, properties };
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
    const body: Record<string, unknown> = {
      ...properties,
      apiId: resourceId(ctx.service, path),
      // Release dates are read-only through the REST API; a folder carries them as history.
      createdDateTime: typeof w.properties.createdDateTime === 'string' ? w.properties.createdDateTime : at,
      updatedDateTime: typeof w.properties.updatedDateTime === 'string' ? w.properties.updatedDateTime : at,
    };
    await ctx.tx.put({ kind: kind.kind, id: `${parent}/releases/${w.segments[3]}`, parent, body });
  } catch (err) {
    throw folderErrorFrom(w.file, err);
  }
}
