/**
 * The resource model: one definition of every resource Gatehouse serves, in Azure API
 * Management's property names (reference §5.2). The APIOps loader, the management plane and
 * the snapshot compiler all speak these types.
 */
import type { DiagnosticSetting } from './diagnostic-setting.js';
import type { NetworkSettings } from './network.js';

export type Protocol = 'http' | 'https' | 'ws' | 'wss';
export type VersioningScheme = 'Segment' | 'Query' | 'Header';
export type SubscriptionState = 'suspended' | 'active' | 'expired' | 'submitted' | 'rejected' | 'cancelled';
export type ProductState = 'notPublished' | 'published';

export interface TemplateParameter {
  name: string;
  type?: string;
  required?: boolean;
  defaultValue?: string;
  values?: string[];
  description?: string;
}

export interface Representation {
  contentType: string;
  schemaId?: string;
  typeName?: string;
  /** OpenAPI-style examples: name → { value }. */
  examples?: Record<string, { value?: unknown; summary?: string; description?: string }>;
  /** The schema used to synthesise a sample when no example exists. */
  schema?: unknown;
}

export interface OperationResponse {
  statusCode: number;
  description?: string;
  representations?: Representation[];
  headers?: TemplateParameter[];
}

export interface Operation {
  /** Operation id (the last segment of its resource id). */
  name: string;
  displayName: string;
  method: string;
  urlTemplate: string;
  templateParameters?: TemplateParameter[];
  description?: string;
  request?: {
    description?: string;
    queryParameters?: TemplateParameter[];
    headers?: TemplateParameter[];
    representations?: Representation[];
  };
  responses?: OperationResponse[];
  /** Operation-scope policy document (XML), if any. */
  policy?: PolicyDocument;
}

export interface PolicyDocument {
  /** The XML text. */
  xml: string;
  /** Where the document came from, for error messages (a file path or a resource id). */
  source: string;
}

export interface Api {
  /** Resource name including any `;rev=N` suffix, e.g. `echo-api` or `echo-api;rev=2`. */
  name: string;
  displayName: string;
  path: string;
  serviceUrl?: string;
  protocols: Protocol[];
  description?: string;
  subscriptionRequired: boolean;
  subscriptionKeyParameterNames?: { header?: string; query?: string };
  type?: string;
  apiRevision: string;
  apiRevisionDescription?: string;
  isCurrent: boolean;
  isOnline: boolean;
  apiVersion?: string;
  apiVersionDescription?: string;
  /** Version set name (last segment of `apiVersionSetId`). */
  apiVersionSetId?: string;
  operations: Operation[];
  policy?: PolicyDocument;
  /** The API's schemas resources (`apis/{api}/schemas/{id}`) that representations name by `schemaId`; absent is none. */
  schemas?: ApiSchema[];
}

/** An API schema (Azure's SchemaContract): the document as stored, its part chosen by `contentType`. */
export interface ApiSchema {
  name: string;
  contentType: string;
  /** `definitions` (Swagger 2), `components` (OpenAPI 3) or `value` (a text: XSD, GraphQL SDL, …). */
  document: Record<string, unknown>;
}

export interface ApiVersionSet {
  name: string;
  displayName: string;
  versioningScheme: VersioningScheme;
  versionQueryName?: string;
  versionHeaderName?: string;
  description?: string;
}

export interface Product {
  name: string;
  displayName: string;
  description?: string;
  terms?: string;
  subscriptionRequired: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number | null;
  state: ProductState;
  /** Names of the APIs (without revision suffix) the product contains. */
  apis: string[];
  /** Names of the groups that can see the product. */
  groups: string[];
  policy?: PolicyDocument;
}

export interface Subscription {
  name: string;
  displayName: string;
  /** Normalised scope: `/apis`, `/apis/{id}`, `/products/{id}`, or `/` for all-access. */
  scope: string;
  ownerId?: string;
  primaryKey: string;
  secondaryKey: string;
  state: SubscriptionState;
  allowTracing?: boolean;
  createdDate?: string;
  startDate?: string;
  expirationDate?: string;
  endDate?: string;
}

export interface NamedValue {
  name: string;
  displayName: string;
  value: string;
  secret: boolean;
  tags?: string[];
}

export interface BackendCredentials {
  query?: Record<string, string[]>;
  header?: Record<string, string[]>;
  authorization?: { scheme: string; parameter: string };
  /** Names of `certificates` resources the gateway presents to the backend (Azure's `certificateIds`). */
  certificateIds?: string[];
  /** Thumbprints of `certificates` resources presented to the backend (Azure's older `certificate`). */
  certificate?: string[];
}

/** An HTTP proxy the requests to a backend go through (Azure's `BackendProxyContract`). */
export interface BackendProxy {
  url: string;
  username?: string;
  password?: string;
}

/**
 * A certificate's material as the gateway uses it: the `data` of a `certificates` resource (a
 * base64 PFX, PEM text, or a base64 public `.cer`; core/certificate-data.ts) and its password.
 */
export interface ClientCertificate {
  thumbprint: string;
  /** The certificate data as uploaded. */
  data: string;
  password?: string;
}

/** A `certificates` resource (Azure's CertificateContract), with its data opened for the gateway. */
export interface Certificate extends ClientCertificate {
  name: string;
  subject: string;
  expirationDate: string;
  /** A certificate without its private key: it serves validation only, never presenting. */
  publicOnly?: boolean;
}

export interface Backend {
  name: string;
  url?: string;
  protocol?: 'http' | 'soap';
  title?: string;
  description?: string;
  credentials?: BackendCredentials;
  tls?: { validateCertificateChain?: boolean; validateCertificateName?: boolean };
  proxy?: BackendProxy;
  /** The certificates `credentials` names, resolved when a snapshot is built: what the gateway presents. */
  clientCertificates?: ClientCertificate[];
  type?: 'Single' | 'Pool';
  pool?: { services: Array<{ id: string; priority?: number; weight?: number }> };
  /** Read by circuit-breaker-rule.ts; Azure takes one rule per backend. */
  circuitBreaker?: { rules: CircuitBreakerRule[] };
}

/** A backend's circuit breaker rule (reference §5.2 "Backend"), durations in milliseconds. */
export interface CircuitBreakerRule {
  name: string;
  failureCondition: {
    /** Failures within the interval that trip the breaker. */
    count?: number;
    /** Share of the interval's calls (1–100) that must have failed to trip it. */
    percentage?: number;
    intervalMs: number;
    /** Backend statuses that count as failures, both ends included. */
    statusCodeRanges: Array<{ min: number; max: number }>;
    errorReasons: string[];
  };
  tripDurationMs: number;
  /** A Retry-After on the tripping response sets how long the breaker stays open. */
  acceptRetryAfter: boolean;
}

export interface PolicyFragment {
  name: string;
  description?: string;
  policy: PolicyDocument;
}

export interface User {
  name: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  note?: string;
  registrationDate?: string;
  groups: string[];
}

/** Everything the gateway serves, as one value: what a snapshot is compiled from. */
export interface ServiceConfig {
  serviceName: string;
  globalPolicy?: PolicyDocument;
  apis: Api[];
  versionSets: ApiVersionSet[];
  products: Product[];
  subscriptions: Subscription[];
  namedValues: NamedValue[];
  backends: Backend[];
  policyFragments: PolicyFragment[];
  users: User[];
  /** Client certificates for backends; absent is none. */
  certificates?: Certificate[];
  /** Network isolation (reference §6); absent means public access, no VNet, no private endpoints. */
  network?: NetworkSettings;
  /** Service and API diagnostics (docs/loggers-and-diagnostics.md); absent means none. */
  diagnostics?: DiagnosticSetting[];
  /** External caches (Azure's `caches` resource, docs/caching.md); absent means none. */
  caches?: ExternalCache[];
  /** What checks debug tokens (request tracing, docs/tracing.md); absent: no token is valid. */
  debugCredentials?: DebugCredentialSettings;
  /** Loggers (Azure's `loggers` resource): what log-to-eventhub may name, and where it sends; absent means none. */
  loggers?: ServiceLogger[];
}

/** The service's debug key and, per gateway, when its credentials were last invalidated. */
export interface DebugCredentialSettings {
  /** The key tokens are signed with (opened from the store). */
  key: string;
  /** Gateway id (lower case) → epoch milliseconds: tokens issued up to then are refused. */
  invalidatedAt: Record<string, number>;
}

/** A logger as the gateway acts on it (docs/loggers-and-diagnostics.md). */
export interface ServiceLogger {
  name: string;
  /** `applicationInsights`, `azureEventHub` or `azureMonitor`. */
  type: string;
  /** `isBuffered` (Azure's default true): false sends each message on its own, as soon as it comes. */
  buffered: boolean;
  /** An `azureEventHub` logger's destination, `{{named values}}` opened. */
  eventHub?: EventHubDestination;
}

/** Where an event hub logger sends: its `credentials`. */
export interface EventHubDestination {
  /** The event hub (`credentials.name`); the RabbitMQ exchange or NATS subject of a self-hosted sink. */
  name: string;
  /** `Endpoint=sb://…` (Event Hubs), `amqp://…` (RabbitMQ) or `nats://…` (NATS). */
  connectionString?: string;
  /** The namespace's host for a managed identity (`<ns>.servicebus.windows.net`). */
  endpointAddress?: string;
  /** `SystemAssigned` or a user-assigned identity's client id. */
  identityClientId?: string;
}

/** An external (Redis) cache of the caching policies: Azure's `caches` resource. */
export interface ExternalCache {
  name: string;
  /** The Redis connection string, opened (a redis:// URL or StackExchange.Redis form). */
  connectionString: string;
  /** `default`, or the region whose gateways use it. */
  useFromLocation: string;
}

/** An empty configuration for a named service. */
export function emptyServiceConfig(serviceName: string): ServiceConfig {
  return {
    serviceName,
    apis: [],
    versionSets: [],
    products: [],
    subscriptions: [],
    namedValues: [],
    backends: [],
    policyFragments: [],
    users: [],
  };
}

/** The API name without a `;rev=N` suffix. */
export function apiBaseName(name: string): string {
  const i = name.indexOf(';rev=');
  return i === -1 ? name : name.slice(0, i);
}
