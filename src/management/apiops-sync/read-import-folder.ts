/**
 * Reads an APIOps extractor folder into an ImportPlan: the raw `properties` of every
 * information file (validated later by the management API's own kinds), policy documents
 * (checked for well-formed XML and root here, compiled later), and API operations from
 * `operationInformation.json` files or, failing those, from the API's specification
 * (src/management/apiops/read-api-operations.ts). `gatehouse import` and `start --config` both read
 * folders through here.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lastSegment } from '../arm/arm-ids.js';
import { operationBody } from '../arm/kinds/api-import.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import { isRecord } from '../apiops/json-fields.js';
import { FolderContext, type LoadLog } from '../apiops/folder-context.js';
import { listFolder, pathExists, readJson } from '../apiops/folder-files.js';
import { readPolicyFile } from '../apiops/policy-file.js';
import { ignoreOperationFolders, readApiOperations } from '../apiops/read-api-operations.js';
import { readKeptSpecification } from '../apiops/read-kept-specification.js';
import { typeImpliedBySpecification } from '../apiops/read-xml-specification-file.js';
import { collectionFolders, informationFiles, policyFileName } from './folder-paths.js';
import { graphqlSpecificationFile } from '../api-types/graphql-schema.js';
import { readGraphqlSpecification } from '../api-types/read-graphql-specification.js';
import { handshakeOperation, isWebSocketApiType } from '../api-types/websocket-handshake.js';
import type { ImportPlan, PlannedApi, PlannedUser, PlannedWrite } from './import-plan.js';
import { apiObservabilityFolders, readApiObservability, readProductTags } from './read-observability-folders.js';
import { operationWithDefaultExamples } from './representation-samples.js';
import { readGateways, readIdentityRecords } from './read-gateway-and-identity-folders.js';

interface RawInformation {
  file: string;
  name?: string;
  properties: Record<string, unknown>;
}


/** Reads `{ "name"?, "properties" }`; properties whose value is null count as absent (the extractor writes nulls for unset fields). */
export async function readRaw(ctx: FolderContext, path: string): Promise<RawInformation> {
  const file = ctx.rel(path);
  if (!(await pathExists(ctx, path))) throw new ConfigFolderError(file, 'file is missing');
  const top = await readJson(ctx, path);
  if (!isRecord(top)) throw new ConfigFolderError(file, 'must be a JSON object');
  if (top.name !== undefined && (typeof top.name !== 'string' || top.name.trim() === '')) {
    throw new ConfigFolderError(file, "property 'name' must be a non-empty string");
  }
  const props = top.properties ?? {};
  if (!isRecord(props)) throw new ConfigFolderError(file, "property 'properties' must be an object");
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (v !== null) properties[k] = v;
  return { file, name: top.name as string | undefined, properties };
}

async function policyWrite(ctx: FolderContext, path: string, segments: string[]): Promise<PlannedWrite | undefined> {
  const doc = await readPolicyFile(ctx, path);
  // The extractor writes policies with expressions unescaped: APIM's `rawxml` format.
  return doc ? { file: doc.source, segments, properties: { value: doc.xml, format: 'rawxml' } } : undefined;
}

/** Reads every `<collection>/<name>/<info file>` of a simple collection. */
export async function readCollection(ctx: FolderContext, root: string, folder: string, infoFile: string, chain: string): Promise<Array<PlannedWrite & { folder: string }>> {
  const dir = join(root, folder);
  if (!(await pathExists(ctx, dir))) return [];
  const entries = await listFolder(ctx, dir);
  for (const f of entries.files) ctx.ignore(join(dir, f), 'file not read');
  const out: Array<PlannedWrite & { folder: string }> = [];
  for (const sub of entries.folders) {
    let path = join(dir, sub, infoFile);
    // Older extractor versions wrote apiVersionSetInformation.json.
    if (infoFile === informationFiles.apiVersionSet && !(await pathExists(ctx, path)) && (await pathExists(ctx, join(dir, sub, 'apiVersionSetInformation.json')))) {
      path = join(dir, sub, 'apiVersionSetInformation.json');
    }
    const info = await readRaw(ctx, path);
    // Two folders naming one resource (through `name`) would silently write it twice.
    const twin = out.find((o) => o.segments[1]!.toLowerCase() === (info.name ?? sub).toLowerCase());
    if (twin) throw new ConfigFolderError(info.file, `'${info.name ?? sub}' is also defined by ${twin.file}`);
    out.push({ file: info.file, segments: [chain, info.name ?? sub], properties: info.properties, folder: sub });
  }
  return out;
}

/** Reads the folder at `dir` into a plan; throws ConfigFolderError naming the file at fault. */
export async function readImportFolder(dir: string, log: LoadLog = () => undefined): Promise<ImportPlan> {
  const root = resolve(dir);
  const info = await stat(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new ConfigFolderError(root, 'does not exist');
    throw new ConfigFolderError(root, `cannot be read (${err.code ?? err.message})`);
  });
  if (!info.isDirectory()) throw new ConfigFolderError(root, 'is not a folder');
  const ctx = new FolderContext(root, log);
  const known: string[] = Object.values(collectionFolders);
  const top = await listFolder(ctx, root);
  for (const f of top.folders) if (!known.includes(f)) ctx.ignore(join(root, f), `folder not read (${f} are not part of Gatehouse's model)`);
  for (const f of top.files) if (f !== policyFileName) ctx.ignore(join(root, f), 'file not read');

  const plan: ImportPlan = {
    versionSets: await readCollection(ctx, root, collectionFolders.apiVersionSets, informationFiles.apiVersionSet, 'apiVersionSets'),
    namedValues: await readCollection(ctx, root, collectionFolders.namedValues, informationFiles.namedValue, 'namedValues'),
    backends: await readCollection(ctx, root, collectionFolders.backends, informationFiles.backend, 'backends'),
    certificates: await readCollection(ctx, root, collectionFolders.certificates, informationFiles.certificate, 'certificates'),
    policyFragments: await readFragments(ctx, root),
    groups: await readCollection(ctx, root, collectionFolders.groups, informationFiles.group, 'groups'),
    users: await readUsers(ctx, root),
    apis: await readApis(ctx, root),
    products: await readProducts(ctx, root),
    subscriptions: await readCollection(ctx, root, collectionFolders.subscriptions, informationFiles.subscription, 'subscriptions'),
    loggers: await readCollection(ctx, root, collectionFolders.loggers, informationFiles.logger, 'loggers'),
    tags: await readCollection(ctx, root, collectionFolders.tags, informationFiles.tag, 'tags'),
    diagnostics: await readCollection(ctx, root, collectionFolders.diagnostics, informationFiles.diagnostic, 'diagnostics'),
    globalPolicy: await policyWrite(ctx, join(root, policyFileName), ['policies', 'policy']),
    gateways: await readGateways(ctx, root),
    identity: await readIdentityRecords(ctx, root),
    ignored: ctx.ignored,
  };
  return plan;
}

async function readFragments(ctx: FolderContext, root: string): Promise<PlannedWrite[]> {
  const dir = join(root, collectionFolders.policyFragments);
  if (!(await pathExists(ctx, dir))) return [];
  const out: PlannedWrite[] = [];
  for (const sub of (await listFolder(ctx, dir)).folders) {
    const infoPath = join(dir, sub, informationFiles.policyFragment);
    const infoFile = (await pathExists(ctx, infoPath)) ? await readRaw(ctx, infoPath) : undefined;
    const doc = await readPolicyFile(ctx, join(dir, sub, policyFileName), 'fragment');
    if (!doc) throw new ConfigFolderError(ctx.rel(join(dir, sub, policyFileName)), 'file is missing');
    // The document is the policy.xml file; a `value` in the information file is not used.
    const { value: _ignored, ...rest } = infoFile?.properties ?? {};
    out.push({ file: doc.source, segments: ['policyFragments', infoFile?.name ?? sub], properties: { format: 'rawxml', ...rest, value: doc.xml } });
  }
  return out;
}

async function readUsers(ctx: FolderContext, root: string): Promise<PlannedUser[]> {
  const users = await readCollection(ctx, root, collectionFolders.users, informationFiles.user, 'users');
  return users.map((u) => {
    const groups = Array.isArray(u.properties.groups) ? u.properties.groups : [];
    const names = groups.map((g) => (isRecord(g) ? String(g.name ?? '') : lastSegment(String(g)))).filter((g) => g !== '');
    const { groups: _groups, ...properties } = u.properties;
    return { write: { file: u.file, segments: u.segments, properties }, groups: names };
  });
}

async function readApis(ctx: FolderContext, root: string): Promise<PlannedApi[]> {
  const dir = join(root, collectionFolders.apis);
  if (!(await pathExists(ctx, dir))) return [];
  const apis: PlannedApi[] = [];
  for (const folder of (await listFolder(ctx, dir)).folders) apis.push(await readApi(ctx, join(dir, folder), folder));
  markCurrent(apis);
  return apis;
}

async function readApi(ctx: FolderContext, apiDir: string, folder: string): Promise<PlannedApi> {
  const info = await readRaw(ctx, join(apiDir, informationFiles.api));
  const name = info.name ?? folder;
  const i = name.indexOf(';rev=');
  const base = i === -1 ? name : name.slice(0, i);
  const fromName = i === -1 ? undefined : name.slice(i + 5);
  const given = typeof info.properties.apiRevision === 'string' ? info.properties.apiRevision : undefined;
  if (fromName !== undefined && given !== undefined && given !== fromName) {
    throw new ConfigFolderError(info.file, `property 'properties.apiRevision' is '${given}' but the folder names revision ${fromName}`);
  }
  const entries = await listFolder(ctx, apiDir);
  const requiredQuery = info.properties.translateRequiredQueryParameters === 'template' ? 'template' : 'query';
  // A GraphQL API's specification is its stored schema, not a source of operations.
  const graphql = await readGraphqlSpecification(ctx, apiDir, entries.files);
  const specificationFiles = graphql ? entries.files.filter((f) => f !== graphqlSpecificationFile) : entries.files;
  const builtIn = isWebSocketApiType(info.properties.type ?? info.properties.apiType) ? [handshakeOperation()] : [];
  // A pass-through GraphQL API has no operations (graphql-endpoint.ts): folders for some are skipped.
  if (graphql) await ignoreOperationFolders(ctx, apiDir, 'not read: a GraphQL API has no operations');
  const operations = graphql ? [] : await readApiOperations(ctx, apiDir, specificationFiles, requiredQuery, builtIn);
  const children: PlannedWrite[] = [];
  if (graphql) children.push({ file: graphql.file, segments: ['apis', name, 'schemas', graphql.schemaId], properties: graphql.properties });
  const opsDir = join(apiDir, 'operations');
  for (const op of operations) {
    const infoPath = join(opsDir, op.name, informationFiles.operation);
    // An operationInformation.json is written as it is; operations from a specification as the REST import stores them.
    const raw = (await pathExists(ctx, infoPath)) ? await readRaw(ctx, infoPath) : undefined;
    children.push({
      file: raw?.file ?? ctx.rel(apiDir),
      segments: ['apis', name, 'operations', op.name],
      properties: raw ? operationWithDefaultExamples(raw.properties, raw.file) : operationBody(op),
      fromSpecification: raw === undefined,
    });
  }
  const kept = await readKeptSpecification(ctx, apiDir, entries.files);
  if (kept) children.push({ file: kept.file, segments: ['apis', name, 'specifications', 'original'], properties: { ...kept.spec }, keptSpecification: true });
  const apiPolicy = await policyWrite(ctx, join(apiDir, policyFileName), ['apis', name, 'policies', 'policy']);
  if (apiPolicy) children.push(apiPolicy);
  for (const op of operations) {
    if (op.policy) children.push({ file: op.policy.source, segments: ['apis', name, 'operations', op.name, 'policies', 'policy'], properties: { value: op.policy.xml, format: 'rawxml' } });
  }
  const releases: PlannedWrite[] = [];
  const releasesDir = join(apiDir, 'releases');
  if (await pathExists(ctx, releasesDir)) {
    for (const r of (await listFolder(ctx, releasesDir)).folders) {
      const rel = await readRaw(ctx, join(releasesDir, r, informationFiles.apiRelease));
      releases.push({ file: rel.file, segments: ['apis', base, 'releases', rel.name ?? r], properties: rel.properties });
    }
  }
  children.push(...(await readApiObservability(ctx, apiDir, name, operations.map((op) => op.name))));
  for (const f of entries.folders) if (f !== 'operations' && f !== 'releases' && !apiObservabilityFolders.includes(f)) ctx.ignore(join(apiDir, f), 'folder not read');
  const properties = { ...info.properties };
  delete properties.translateRequiredQueryParameters;
  // A WSDL describes a SOAP pass-through API; the extractor writes `type: soap`, a hand-made folder may not.
  const implied = typeImpliedBySpecification(entries.files);
  if (implied && properties.type === undefined && properties.apiType === undefined) properties.type = implied;
  // A folder may leave the display name out (docs/configuration-folder.md): the API's name.
  properties.displayName ??= base;
  properties.apiVersionSetId = versionSetReference(properties);
  if (properties.apiVersionSetId === undefined) delete properties.apiVersionSetId;
  else delete properties.apiVersionSet;
  return {
    write: { file: info.file, segments: ['apis', name], properties },
    base,
    revision: fromName ?? given ?? '1',
    current: false,
    children,
    releases,
  };
}

/** Which revision folder of each API is current (docs/configuration-folder.md "Revisions"). */
function markCurrent(apis: PlannedApi[]): void {
  const byBase = new Map<string, PlannedApi[]>();
  for (const a of apis) byBase.set(a.base.toLowerCase(), [...(byBase.get(a.base.toLowerCase()) ?? []), a]);
  for (const group of byBase.values()) {
    const flagged = group.filter((a) => a.write.properties.isCurrent === true);
    if (flagged.length > 1) throw new ConfigFolderError(flagged[1]!.write.file, `API '${group[0]!.base}' has more than one current revision (also ${flagged[0]!.write.file}); mark one isCurrent: true`);
    const current = group.length === 1 ? group[0] : (flagged[0] ?? group.find((a) => !a.write.segments[1]!.includes(';rev=')));
    if (!current) throw new ConfigFolderError(group[0]!.write.file, `API '${group[0]!.base}' has no current revision; mark one isCurrent: true`);
    current.current = true;
    const revisions = new Set<string>();
    for (const a of group) {
      if (revisions.has(a.revision)) throw new ConfigFolderError(a.write.file, `revision ${a.revision} of API '${a.base}' is described twice`);
      revisions.add(a.revision);
    }
  }
}

async function readProducts(ctx: FolderContext, root: string): Promise<PlannedWrite[]> {
  const dir = join(root, collectionFolders.products);
  if (!(await pathExists(ctx, dir))) return [];
  const out: PlannedWrite[] = [];
  for (const folder of (await listFolder(ctx, dir)).folders) {
    const productDir = join(dir, folder);
    const info = await readRaw(ctx, join(productDir, informationFiles.product));
    const product = info.name ?? folder;
    out.push({ file: info.file, segments: ['products', product], properties: info.properties });
    const policy = await policyWrite(ctx, join(productDir, policyFileName), ['products', product, 'policies', 'policy']);
    if (policy) out.push(policy);
    out.push(...(await readLinks(ctx, productDir, ['products', product], 'apis', informationFiles.productApi, 'apiId')));
    out.push(...(await readLinks(ctx, productDir, ['products', product], 'groups', informationFiles.productGroup, 'groupId')));
    out.push(...(await readProductTags(ctx, productDir, product)));
    const entries = await listFolder(ctx, productDir);
    for (const f of entries.folders) if (f !== 'apis' && f !== 'groups' && f !== 'tags') ctx.ignore(join(productDir, f), 'folder not read');
  }
  return out;
}

/**
 * Links of the resource at `owner` (a product's APIs and groups, a gateway's APIs), from
 * `<kind>/<link>/<file>` and from the older `<kind>.json` list; `idField` names the target in a
 * link file (the folder name when absent or without one).
 */
export async function readLinks(ctx: FolderContext, ownerDir: string, owner: readonly string[], kind: 'apis' | 'groups', infoFile: string, idField?: string): Promise<PlannedWrite[]> {
  const out: PlannedWrite[] = [];
  const seen = new Set<string>();
  const add = (file: string, target: string): void => {
    // A product or gateway has the API, not one of its revisions.
    const name = target.replace(/;rev=.*$/, '');
    if (seen.has(name.toLowerCase())) return;
    seen.add(name.toLowerCase());
    out.push({ file, segments: [...owner, kind, name], properties: {} });
  };
  const dir = join(ownerDir, kind);
  if (await pathExists(ctx, dir)) {
    for (const link of (await listFolder(ctx, dir)).folders) {
      const info = await readRaw(ctx, join(dir, link, infoFile));
      const ref = idField === undefined ? undefined : info.properties[idField];
      add(info.file, typeof ref === 'string' && ref !== '' ? lastSegment(ref) : link);
    }
  }
  const listFile = join(ownerDir, `${kind}.json`);
  if (await pathExists(ctx, listFile)) {
    const list = await readJson(ctx, listFile);
    if (!Array.isArray(list)) throw new ConfigFolderError(ctx.rel(listFile), 'must be a JSON array of {"name": …}');
    for (const item of list) {
      if (!isRecord(item) || typeof item.name !== 'string') throw new ConfigFolderError(ctx.rel(listFile), 'must be a JSON array of {"name": …}');
      add(ctx.rel(listFile), item.name);
    }
  }
  return out;
}

/**
 * The API's version set as the management API takes it: a folder may give `apiVersionSetId` as
 * a full id, `/apiVersionSets/x` or plain `x`, or `apiVersionSet.id` (docs/configuration-folder.md).
 */
function versionSetReference(properties: Record<string, unknown>): string | undefined {
  const nested = properties.apiVersionSet;
  const given = properties.apiVersionSetId ?? (isRecord(nested) ? nested.id : undefined);
  if (typeof given !== 'string' || given === '') return undefined;
  return given.includes('/') ? given : `/apiVersionSets/${given}`;
}
