/**
 * What an APIOps folder asks the store to hold, read before the store transaction starts (so
 * slow file and specification parsing never holds the store's write lock). Each write keeps the
 * file it came from, so a refusal names it.
 */

/** One resource to PUT: its ARM path below the service and its `properties`. */
export interface PlannedWrite {
  /** The file the resource comes from, relative to the folder. */
  file: string;
  /** ARM path segments below the service, e.g. `['apis', 'echo', 'operations', 'get']`. */
  segments: string[];
  properties: Record<string, unknown>;
  /**
   * An operation read from the API's OpenAPI specification: stored as the REST API's own
   * specification import stores it (its representations keep the resolved `schema`, which a
   * plain operation PUT does not accept).
   */
  fromSpecification?: boolean;
  /** The API's specification document, kept for export (api-specification/stored-specification.ts). */
  keptSpecification?: boolean;
}

/** One API folder (a revision): the API, then what lives below it. */
export interface PlannedApi {
  write: PlannedWrite;
  /** The API name without `;rev=N`. */
  base: string;
  /** The revision number this folder describes. */
  revision: string;
  /** Whether this folder is the current revision (stored at `apis/<base>`). */
  current: boolean;
  /** Operations, then the API policy, operation policies, then diagnostics, tags and schemas. */
  children: PlannedWrite[];
  /** Release records (`releases/<id>/apiReleaseInformation.json`). */
  releases: PlannedWrite[];
}

/** A user and the groups it belongs to. */
export interface PlannedUser {
  write: PlannedWrite;
  groups: string[];
}

export interface ImportPlan {
  versionSets: PlannedWrite[];
  namedValues: PlannedWrite[];
  backends: PlannedWrite[];
  /** Client certificates, written before the backends that name them. */
  certificates: PlannedWrite[];
  policyFragments: PlannedWrite[];
  groups: PlannedWrite[];
  users: PlannedUser[];
  apis: PlannedApi[];
  /** Products, their policies and their API and group links, in that order. */
  products: PlannedWrite[];
  subscriptions: PlannedWrite[];
  /** Loggers, tags and service diagnostics (API diagnostics, tags and schemas are API children). */
  loggers: PlannedWrite[];
  tags: PlannedWrite[];
  diagnostics: PlannedWrite[];
  globalPolicy?: PlannedWrite;
  /** Self-hosted gateways, each followed by its hostname configurations and API links. */
  gateways: PlannedWrite[];
  /** Identity providers, authorization servers and OpenID Connect providers. */
  identity: PlannedWrite[];
  /** Paths accepted and not read (loggers, tags, …), relative to the folder. */
  ignored: string[];
}

/** The plan's resources that are written as they are, one list per collection (users and APIs, which have children, excepted). */
export function plainWriteLists(plan: ImportPlan): PlannedWrite[][] {
  return [plan.versionSets, plan.namedValues, plan.certificates, plan.backends, plan.policyFragments, plan.groups, plan.products, plan.subscriptions, plan.gateways, plan.identity, plan.loggers, plan.diagnostics, plan.tags];
}
