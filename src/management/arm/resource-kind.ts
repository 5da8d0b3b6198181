/**
 * What the generic resource machinery needs to know about one kind of resource: where it lives
 * in the ARM path, its ARM type, how its `properties` are validated, turned into the stored body
 * and back, and which POST actions it has. One definition per kind, in `kinds/`.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import type { SecretProvider } from '../../core/secret-provider.js';
import type { ServicePath } from './arm-ids.js';
import type { KindSchema } from './spec-validator.js';
import type { SecretSealer } from './secret-sealer.js';

/** Everything a kind's hooks may use while a request runs inside its store transaction. */
export interface KindContext {
  tx: EntityTransaction;
  service: ServicePath;
  sealer: SecretSealer;
  now: () => Date;
  query: URLSearchParams;
  /** The write comes from an APIOps folder import, which carries no secrets (the kind may store a record without one). */
  folderImport?: boolean;
}

/** What slow preparation outside the store transaction may use. */
export interface KindServices {
  /** Reads Key Vault, `env:` and `file:` secrets; absent where none is configured. */
  secrets?: SecretProvider;
  now: () => Date;
}

/** A write being prepared: the validated input and what is stored now. */
export interface WriteInput {
  ctx: KindContext;
  /** Store id (path below the service). */
  id: string;
  /** Resource name (last path segment). */
  name: string;
  /** Store id of the parent, '' at the top. */
  parent: string;
  /** Validated properties (a PATCH has them merged over the stored body). */
  properties: Record<string, unknown>;
  /** The validated properties the request itself carried. */
  given: Record<string, unknown>;
  existing: StoredEntity | undefined;
  method: 'PUT' | 'PATCH';
  /** What `beforeTransaction` returned (e.g. a downloaded specification). */
  prepared?: unknown;
}

/** The answer of a POST action. */
export interface ActionResult {
  status: number;
  body?: unknown;
}

export interface ResourceKind {
  /** Store kind, e.g. `api`. */
  kind: string;
  /** ARM type, e.g. `Microsoft.ApiManagement/service/apis`. */
  armType: string;
  /** The word in `… not found.` messages, e.g. `Api`. */
  label: string;
  /** The request-body schema, built from Azure's published definitions (resource-schemas.ts). */
  schema: KindSchema;
  /** Allowed resource names (ids); a mismatch is a 400 ValidationError on `name`. */
  namePattern?: RegExp;
  /** The only name this kind allows (`policy` for policies). */
  fixedName?: string;
  /** ARM answers writes of this kind as long-running: bodies carry `provisioningState`. */
  longRunning?: boolean;
  /** A link kind renders the resource it points at (product → api, group → user). */
  linkTarget?: (name: string) => string;
  /** HEAD is ARM's checkEntityExists (answered 204) rather than getEntityTag (answered 200). */
  headChecksExistence?: boolean;
  /** Slow work done before the store transaction starts (downloads); its result reaches `prepare`. */
  beforeTransaction?(given: Record<string, unknown>, services: KindServices): Promise<unknown>;
  /** Validated properties → stored body; throws ArmError. */
  prepare?(input: WriteInput): Promise<Record<string, unknown>>;
  /** Answers a GET that asks for an export of the item (`?export=true`, APIs), or undefined when it does not. */
  exported?(entity: StoredEntity, ctx: KindContext): Promise<Record<string, unknown> | undefined>;
  /** Stored body → ARM properties (secrets removed). */
  present?(entity: StoredEntity, ctx: KindContext): Promise<Record<string, unknown>>;
  /** Runs after the entity was written, in the same transaction (copy operations, re-check policies). */
  afterWrite?(entity: StoredEntity, input: WriteInput): Promise<void>;
  /** Maps a requested store id to the stored one (`apis/a;rev=1` is `apis/a` while revision 1 is current). */
  resolveId?(id: string, ctx: KindContext): Promise<string>;
  /** Runs before a DELETE; may refuse (throw) or remove dependants. */
  beforeDelete?(entity: StoredEntity, ctx: KindContext): Promise<void>;
  /** Runs after a DELETE, in the same transaction. */
  afterDelete?(entity: StoredEntity, ctx: KindContext): Promise<void>;
  /** Refuses a write to a resource clients may not change (built-in groups). */
  readOnlyEntity?(entity: StoredEntity): string | undefined;
  /** POST actions on an item, by name (`listSecrets`). */
  actions?: Readonly<Record<string, (entity: StoredEntity, ctx: KindContext, body: Record<string, unknown> | undefined, prepared?: unknown) => Promise<ActionResult>>>;
  /** Slow work for an action (reading a secret), done before its store transaction; the result reaches the action as `prepared`. */
  prepareAction?(action: string, entity: StoredEntity, services: KindServices): Promise<unknown>;
  /** Filters list results beyond `$filter` (e.g. the hidden parts of a kind). */
  listed?(entity: StoredEntity): boolean;
  /**
   * The resources of a kind served without being stored below `parent` (private link resources,
   * a user's groups); such a kind is read-only.
   */
  fixedEntities?(ctx: KindContext, parent: string): readonly StoredEntity[] | Promise<readonly StoredEntity[]>;
  /**
   * A list row that is not an ARM resource (UserIdentities_List answers bare `{ provider, id }`);
   * such a kind is listed only: its items have no GET of their own.
   */
  listItem?(entity: StoredEntity): Record<string, unknown>;
  /** DELETE takes no `If-Match` (ARM's private endpoint connections have none); one given is still checked. */
  deleteWithoutIfMatch?: boolean;
}
