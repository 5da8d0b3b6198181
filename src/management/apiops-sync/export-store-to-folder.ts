/**
 * Writes every stored resource to a folder in the APIOps extractor layout (docs/import-export.md),
 * the way the Azure/apiops extractor writes an API Management instance: one folder per resource
 * with its `*Information.json` (`{ "properties": … }`) and `policy.xml` documents. Operations are
 * written as `operationInformation.json` files (no specification is generated), so the folder
 * describes exactly what is stored. References (`scope`, `ownerId`, `apiVersionSetId`, `apiId`,
 * a pool's member ids, a backend's `certificateIds`, a hostname configuration's `certificateId`)
 * are written service-relative (`/products/p1`) so the folder can be imported into any service.
 *
 * Secrets (secret named values, subscription keys, identity and OAuth client secrets,
 * certificates' PFX data and password) are left out unless `exportSecrets` is set, as
 * the extractor leaves them out; when set, the folder is made 0700 and each file holding a
 * secret 0600 (write-folder-files.ts). JSON keys are written sorted, so the
 * same store always exports to the same bytes (a folder kept in git does not churn).
 */
import { chmod, mkdir, readdir } from 'node:fs/promises';
import type { EntityStore, StoredEntity } from '../../core/entity-store.js';
import { relativeReference } from '../arm/arm-ids.js';
import { specificationKind, storedSpecificationOf } from '../api-specification/stored-specification.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { collectionFolders, informationFiles, policyFileName } from './folder-paths.js';
import { graphqlSchemaContentType, graphqlSpecificationFile } from '../api-types/graphql-schema.js';
import { observabilityFile } from './export-observability.js';
import { sealedFields } from './sealed-fields.js';
import { writeInformationFile, writeTextFile } from './write-folder-files.js';

export interface ExportOptions {
  /** Write secret named values' values and subscription keys in clear text (default false); user passwords are hashed and never written. */
  exportSecrets?: boolean;
}

export interface ExportResult {
  /** Files written, relative to the folder, sorted. */
  files: string[];
  /** Secrets left out (`named values/x`, `subscriptions/s`), when `exportSecrets` is off. */
  omittedSecrets: string[];
}

/** Thrown when the export cannot start (the folder is not empty). */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** Throws ExportError unless `dir` is missing or empty: old files would mix with the new export and be imported again. */
export async function checkExportFolder(dir: string): Promise<void> {
  const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  if (existing.length > 0) throw new ExportError(`${dir} is not empty; export into a new or empty folder`);
}

/** Exports every stored entity of `store` into `dir` (which must be missing or empty). */
export async function exportStoreToFolder(store: EntityStore, sealer: SecretSealer, dir: string, options: ExportOptions = {}): Promise<ExportResult> {
  await checkExportFolder(dir);
  if (options.exportSecrets === true) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  }
  const entities = await store.all();
  const writer = new FolderWriter(dir, sealer, options.exportSecrets === true, entities);
  for (const entity of entities) await writer.write(entity);
  return { files: writer.files.sort(), omittedSecrets: writer.omitted.sort() };
}

const name = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

/** Turns a reference stored as a full ARM id into the service-relative form (`/products/p1`). */
export function relative(reference: unknown): unknown {
  if (typeof reference !== 'string' || reference === '') return reference;
  const path = relativeReference(reference);
  return path === '' ? reference : `/${path}`;
}

class FolderWriter {
  readonly files: string[] = [];
  readonly omitted: string[] = [];
  /** User name (lower case) → the groups it belongs to, from the `groups/g/users/u` links. */
  private readonly userGroups = new Map<string, string[]>();

  constructor(
    private readonly dir: string,
    private readonly sealer: SecretSealer,
    private readonly exportSecrets: boolean,
    entities: readonly StoredEntity[],
  ) {
    for (const e of entities) {
      if (e.kind !== 'groupUser') continue;
      const user = name(e.id).toLowerCase();
      this.userGroups.set(user, [...(this.userGroups.get(user) ?? []), name(e.parent)]);
    }
  }

  /** Writes an information file; `holdsSecret`: a secret was opened into it, so the file is private. */
  private async info(relPath: string, properties: Record<string, unknown>, holdsSecret = false): Promise<void> {
    await writeInformationFile(this.dir, relPath, properties, { private: holdsSecret });
    this.files.push(relPath);
  }

  private async text(relPath: string, text: string): Promise<void> {
    await writeTextFile(this.dir, relPath, text);
    this.files.push(relPath);
  }

  /** Opens the sealed secrets of `e` when secrets are exported (returns whether one was); otherwise leaves them out and records it. */
  private handleSecrets(e: StoredEntity, body: Record<string, unknown>, owner: string): boolean {
    let opened = false;
    for (const field of sealedFields(e.kind, body)) {
      if (typeof body[field] !== 'string') continue;
      if (this.exportSecrets) {
        body[field] = this.sealer.open(body[field] as string);
        opened = true;
      } else {
        delete body[field];
        if (!this.omitted.includes(owner)) this.omitted.push(owner);
      }
    }
    return opened;
  }

  async write(e: StoredEntity): Promise<void> {
    const body: Record<string, unknown> = { ...e.body };
    const folder = e.id; // store ids are already `collection/name[/collection/name…]`
    switch (e.kind) {
      case 'api':
        if (body.apiVersionSetId !== undefined) body.apiVersionSetId = relative(body.apiVersionSetId);
        return this.info(`${collectionFolders.apis}/${name(e.id)}/${informationFiles.api}`, body);
      case 'operation':
        return this.info(`${folder}/${informationFiles.operation}`, body);
      case 'apiSchema':
        // A GraphQL API's schema is its specification file, as the APIOps extractor writes it;
        // any other schema its apiSchemaInformation.json.
        if (String(body.contentType).toLowerCase() !== graphqlSchemaContentType) return this.info(`${folder}/${informationFiles.apiSchema}`, body);
        return this.text(`${e.parent}/${graphqlSpecificationFile}`, String((body.document as { value?: unknown } | undefined)?.value ?? ''));
      case specificationKind: {
        // The document the API was imported from, under the name the extractor gives it.
        const spec = storedSpecificationOf(body);
        return spec ? this.text(`${collectionFolders.apis}/${name(e.parent)}/${spec.fileName}`, spec.value) : undefined;
      }
      case 'apiRelease':
        body.apiId = relative(body.apiId);
        return this.info(`${folder}/${informationFiles.apiRelease}`, body);
      case 'policy':
        return this.text(policyPath(e), String(body.value ?? ''));
      case 'product':
        return this.info(`${folder}/${informationFiles.product}`, body);
      case 'productApi':
        return this.info(`${folder}/${informationFiles.productApi}`, { apiId: `/apis/${name(e.id)}` });
      case 'productGroup':
        return this.info(`${folder}/${informationFiles.productGroup}`, { groupId: `/groups/${name(e.id)}` });
      case 'subscription':
        body.scope = relative(body.scope);
        if (body.ownerId !== undefined) body.ownerId = relative(body.ownerId);
        return this.info(`${folder}/${informationFiles.subscription}`, body, this.handleSecrets(e, body, e.id));
      case 'namedValue':
        if (body.keyVault !== undefined) {
          // A Key Vault named value is exported as its reference, never its value (with or without
          // --export-secrets), in the extractor's shape: lastStatus is the vault's state, not configuration.
          delete body.value;
          return this.info(`${collectionFolders.namedValues}/${name(e.id)}/${informationFiles.namedValue}`, { ...body, keyVault: keyVaultReference(body.keyVault) });
        }
        return this.info(`${collectionFolders.namedValues}/${name(e.id)}/${informationFiles.namedValue}`, body, this.handleSecrets(e, body, `${collectionFolders.namedValues}/${name(e.id)}`));
      case 'backend':
        return this.info(`${folder}/${informationFiles.backend}`, withRelativeBackendReferences(body));
      case 'certificate':
        // A Key Vault certificate is its reference, like a Key Vault named value: never the PFX read from the vault.
        if (body.keyVault !== undefined) return this.info(`${folder}/${informationFiles.certificate}`, { keyVault: keyVaultReference(body.keyVault) });
        return this.info(`${folder}/${informationFiles.certificate}`, body, this.handleSecrets(e, body, e.id));
      case 'apiVersionSet':
        return this.info(`${collectionFolders.apiVersionSets}/${name(e.id)}/${informationFiles.apiVersionSet}`, body);
      case 'policyFragment': {
        const base = `${collectionFolders.policyFragments}/${name(e.id)}`;
        const { value, ...rest } = body;
        await this.text(`${base}/${policyFileName}`, String(value ?? ''));
        return this.info(`${base}/${informationFiles.policyFragment}`, rest);
      }
      case 'group':
        // The built-in groups exist in every service; the extractor leaves them out too.
        if (body.builtIn === true) return;
        delete body.builtIn;
        return this.info(`${folder}/${informationFiles.group}`, body);
      case 'user':
        // A password is a one-way hash (Azure cannot export passwords either): never written, even with exportSecrets.
        delete body.password;
        body.groups = this.userGroups.get(name(e.id).toLowerCase()) ?? [];
        return this.info(`${folder}/${informationFiles.user}`, body);
      case 'gateway':
        // Gateway keys are made by each service (Azure's extractor cannot read them either).
        delete body.primaryKey;
        delete body.secondaryKey;
        return this.info(`${folder}/${informationFiles.gateway}`, body);
      case 'gatewayApi':
        return this.info(`${folder}/${informationFiles.gatewayApi}`, {});
      case 'gatewayHostnameConfiguration':
        if (body.certificateId !== undefined) body.certificateId = relative(body.certificateId);
        return this.info(`${folder}/${informationFiles.gatewayHostnameConfiguration}`, body);
      case 'gatewayCertificateAuthority':
        return this.info(`${folder}/${informationFiles.gatewayCertificateAuthority}`, body);
      case 'identityProvider':
      case 'authorizationServer':
      case 'openidConnectProvider':
        return this.info(`${folder}/${informationFiles[e.kind]}`, body, this.handleSecrets(e, body, e.id));
      default: {
        const file = observabilityFile(e);
        if (file) return this.info(file.path, file.properties);
        // `service` settings, the tenant access keys (each service makes its own) and `groupUser` links
        // (written inside userInformation.json) have no file of their own.
        return;
      }
    }
  }
}

/** A backend's pool members and certificate ids, written service-relative as the other references are. */
function withRelativeBackendReferences(body: Record<string, unknown>): Record<string, unknown> {
  const pool = body.pool as { services?: unknown } | undefined;
  if (pool && Array.isArray(pool.services)) {
    body.pool = { ...pool, services: pool.services.map((s: unknown) => (s !== null && typeof s === 'object' ? { ...s, id: relative((s as { id?: unknown }).id) } : s)) };
  }
  const credentials = body.credentials as { certificateIds?: unknown } | undefined;
  if (credentials && Array.isArray(credentials.certificateIds)) body.credentials = { ...credentials, certificateIds: credentials.certificateIds.map(relative) };
  return body;
}

/** A stored `keyVault` without `lastStatus`: the vault's state is not configuration. */
function keyVaultReference(keyVault: unknown): Record<string, unknown> {
  const { lastStatus: _lastStatus, ...reference } = keyVault as Record<string, unknown>;
  return reference;
}

/** `policies/policy` → `policy.xml`; `apis/a/operations/o/policies/policy` → `apis/a/operations/o/policy.xml`. */
function policyPath(e: StoredEntity): string {
  return e.parent === '' ? policyFileName : `${e.parent}/${policyFileName}`;
}
