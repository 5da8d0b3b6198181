/**
 * The shape of `context` as expressions see it (reference §4.2), as plain data the gateway
 * fills in (src/pipeline/expression-runtime.ts). Values are JS primitives: strings, numbers
 * (ints), booleans, epoch milliseconds for dates; the runtime wraps them into .NET values.
 * Dictionaries are plain records or entry lists; bodies are read synchronously.
 */

/** A URL (IUrl). */
export interface UrlView {
  Scheme: string;
  Host: string;
  Port: number;
  Path: string;
  /** Ordered query pairs (a name may repeat). */
  Query: ReadonlyArray<readonly [string, string]>;
  /** `?a=1&b=2` or ''. */
  QueryString: string;
  /** The whole URL, what `ToString()` gives. */
  Text: string;
}

/** A message body (IMessageBody). */
export interface BodyView {
  /** Reads the content; `preserve` false consumes it as APIM does. Throws when not available. */
  read(preserve: boolean): Buffer;
}

/** Headers as ordered (name, values) entries; lookups are case-insensitive. */
export type HeadersView = ReadonlyArray<readonly [string, readonly string[]]>;

export interface RequestView {
  Method: string;
  Url: UrlView;
  OriginalUrl: UrlView;
  OriginalMethod?: string;
  Headers: HeadersView;
  IpAddress: string;
  MatchedParameters: Readonly<Record<string, string>>;
  Body: BodyView | null;
  PrivateEndpointConnection: { Name: string; GroupId: string; MemberName: string } | null;
  /** The caller's client certificate (an X509Certificate2), null without one. */
  Certificate?: unknown;
}

export interface ResponseView {
  StatusCode: number;
  StatusReason: string;
  Headers: HeadersView;
  Body: BodyView | null;
}

export interface ApiView {
  Id: string;
  Name: string;
  Path: string;
  Revision: string;
  Version: string;
  IsCurrentRevision: boolean;
  ServiceUrl: UrlView | null;
  Protocols: readonly string[];
  SubscriptionKeyParameterNames: { Header: string; Query: string };
}

export interface OperationView {
  Id: string;
  Method: string;
  Name: string;
  UrlTemplate: string;
}

export interface ProductView {
  Id: string;
  Name: string;
  ApprovalRequired: boolean;
  SubscriptionRequired: boolean;
  SubscriptionLimit: number | null;
  /** `Published` or `NotPublished`. */
  State: string;
  Groups: ReadonlyArray<{ Id: string; Name: string }>;
  Apis: ReadonlyArray<{ Id: string; Name: string; Path: string }>;
}

export interface SubscriptionView {
  Id: string;
  Key: string;
  Name: string;
  PrimaryKey: string;
  SecondaryKey: string;
  /** Epoch ms. */
  CreatedDate: number | null;
  StartDate: number | null;
  EndDate: number | null;
}

export interface UserView {
  Id: string;
  Email: string;
  FirstName: string;
  LastName: string;
  Note: string;
  /** Epoch ms. */
  RegistrationDate: number | null;
  Groups: ReadonlyArray<{ Id: string; Name: string }>;
  Identities: ReadonlyArray<{ Id: string; Provider: string }>;
}

export interface LastErrorView {
  Source: string;
  Reason: string;
  Message: string;
  Scope: string | null;
  Section: string | null;
  Path: string | null;
  PolicyId: string | null;
}

export interface DeploymentView {
  GatewayId: string;
  Region: string;
  ServiceName: string;
  /** The uploaded certificates by thumbprint (a read-only DictionaryValue of X509Certificate2). */
  Certificates?: unknown;
}

/** `context.Variables`: values are runtime values (what expressions and policies stored). */
export interface VariablesView {
  has(name: string): boolean;
  get(name: string): unknown;
  names(): string[];
}

export interface ContextView {
  Request: RequestView;
  Response: ResponseView;
  /** Null for a request that matched no API. */
  Api: ApiView | null;
  /** Null for a request that matched no operation. */
  Operation: OperationView | null;
  Product: ProductView | null;
  Subscription: SubscriptionView | null;
  User: UserView | null;
  Variables: VariablesView;
  Deployment: DeploymentView;
  /** Guid text. */
  RequestId: string;
  /** Epoch ms when the request was received. */
  Timestamp: number;
  /** Milliseconds since Timestamp. */
  Elapsed: number;
  LastError: LastErrorView | null;
  Tracing: boolean;
  /** Records `context.Trace(message)`. */
  trace?(message: string): void;
  /** The gateway clock (epoch ms) for DateTime.UtcNow and friends. */
  now(): number;
}
