/**
 * The per-request state every policy step reads and writes: the request on its way to the
 * backend, the response on its way back, the matched API/operation/product/subscription,
 * variables and the last error (reference §4.2). One instance per request.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { Clock, CounterStore, GatewayCaches } from '../core/ports.js';
import type { Api, Backend, Certificate, ClientCertificate, DebugCredentialSettings, Operation, Product, Subscription, User } from '../model/resources.js';
import type { TraceSink } from '../core/request-traces.js';
import { HeaderMap } from './header-map.js';
import { MessageBody } from './message-body.js';
import { RequestUrl } from './request-url.js';
import type { RequestSlot } from './request-slot.js';
import type { PolicyTelemetry } from './policy-telemetry.js';
import type { EventLogging } from './event-logging.js';
import type { RequestTrace } from './request-trace.js';
import type { ManagedIdentityTokens } from './managed-identity.js';

export type Section = 'inbound' | 'backend' | 'outbound' | 'on-error';
export type Scope = 'global' | 'product' | 'api' | 'operation';

export const sections: readonly Section[] = ['inbound', 'backend', 'outbound', 'on-error'];

/** `context.LastError` (reference §2.4). */
export interface LastError {
  source: string;
  reason: string;
  message: string;
  scope?: Scope;
  section?: Section;
  path?: string;
  policyId?: string;
}

/** Options of one backend call (forward-request's attributes). */
export interface ForwardOptions {
  /** How long to wait for the response headers (forward-request `timeout` or `timeout-ms`). */
  timeoutMs: number;
  followRedirects: boolean;
  bufferRequestBody: boolean;
  failOnErrorStatusCode: boolean;
  /** `1` (default), `2or1` or `2`: the HTTP version spoken to the backend. */
  httpVersion?: '1' | '2or1' | '2';
  /** Default true: the response reaches the client in chunks of 8 KB at least (Azure's buffering). */
  bufferResponse?: boolean;
}

/** Sends the current request to the backend and fills `gw.response`. */
export interface Forwarder {
  forward(gw: GatewayContext, options: ForwardOptions): Promise<void>;
}

/** An HTTP proxy a policy's own call goes through (send-request's `proxy` child). */
export interface OutboundProxy {
  url: string;
  username?: string;
  password?: string;
}

/** A request a policy sends on its own (send-request, send-one-way-request). */
export interface OutboundRequest {
  method: string;
  /** Absolute http(s) URL. */
  url: string;
  headers: HeaderMap;
  body: MessageBody;
  /** The whole call, connect to last body byte. */
  timeoutMs: number;
  proxy?: OutboundProxy;
  /** The client certificate to present when the server asks (authentication-certificate child). */
  clientCertificate?: ClientCertificate;
}

/** Why a policy's own call failed: Azure's LastError reasons (reference §1.5). */
export class OutboundCallError extends Error {
  constructor(
    readonly reason: 'Timeout' | 'BackendConnectionFailure' | 'ResponseBodyTooLarge',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundCallError';
  }
}

/** Sends policies' own requests over the same connections as backend calls (tls, proxy, pools). */
export interface OutboundCalls {
  /** Sends and reads the whole response, its body at most `maxBodyBytes`; throws OutboundCallError. */
  send(request: OutboundRequest, maxBodyBytes: number): Promise<GatewayResponse>;
}

/**
 * The circuit breaker of one backend (src/gateway/circuit-breaker.ts); times are the gateway
 * clock's. A backend without a rule has none.
 */
export interface BackendCircuit {
  /** Whether calls to the backend are refused at `now`. */
  isOpen(now: number): boolean;
  /** Counts one answer of the backend: its status, and its Retry-After header if any. */
  answered(status: number, retryAfter: string | undefined, now: number): void;
  /** Counts one call that got no answer (connect failure, timeout): always a failure. */
  failed(now: number): void;
}

/** The breakers of a gateway process, kept across snapshots (Azure: per gateway instance). */
export interface BackendCircuits {
  /** The breaker of `backend`, or undefined when it has no circuit breaker rule. */
  of(backend: Backend): BackendCircuit | undefined;
}

/** Services shared by all requests of a gateway. */
export interface GatewayServices {
  counters: CounterStore;
  /** The built-in and external caches of the caching policies. */
  caches: GatewayCaches;
  clock: Clock;
  forwarder: Forwarder;
  /** Policies' own HTTP calls (send-request, send-one-way-request). */
  outbound: OutboundCalls;
  circuits: BackendCircuits;
  logger: Logger;
  /** Where `trace` and `emit-metric` go; absent: nowhere (a gateway without diagnostics). */
  telemetry?: PolicyTelemetry;
  /** Where `log-to-eventhub` sends; absent: its messages are dropped. */
  eventLogging?: EventLogging;
  /** Most bytes of one body a policy may buffer (`--max-buffered-body-size`); 2 MiB when absent. */
  maxBufferedBodyBytes?: number;
  /** Where traces of requests made with a debug token go (docs/tracing.md); absent: nowhere. */
  traces?: TraceSink;
  /** Tokens of the gateway's managed identity (`--managed-identity-endpoint`); absent: not enabled. */
  managedIdentity?: ManagedIdentityTokens;
  /** Microsoft Entra ID's authority for validate-azure-ad-token (`--entra-authority`); `https://login.microsoftonline.com` when absent. */
  entraAuthority?: string;
}

/** Read-only lookups into the snapshot the request is served from. */
export interface RuntimeCatalog {
  serviceName: string;
  gatewayId: string;
  backends: ReadonlyMap<string, Backend>;
  /** What checks `Apim-Debug-Authorization` tokens; absent: none is valid. */
  debugCredentials?: DebugCredentialSettings;
  /** The values of named values marked secret: a request trace masks them. */
  secretValues?: readonly string[];
  /** The `certificates` resources (context.Deployment.Certificates); none when absent. */
  certificates?: readonly Certificate[];
}

/** A private endpoint connection a request arrived through (reference §6.2). */
export interface PrivateEndpointInfo {
  name: string;
  groupId: string;
  memberName: string;
}

export interface GatewayRequest {
  method: string;
  /** Backend-bound URL; policies may change it. */
  url: RequestUrl;
  /** The URL as the client sent it. */
  readonly originalUrl: RequestUrl;
  readonly originalMethod: string;
  headers: HeaderMap;
  body: MessageBody;
  ipAddress: string;
  /** The connection's peer when it differs from `ipAddress` (a trusted proxy): what X-Forwarded-For to the backend appends. */
  peerAddress?: string;
  matchedParameters: Record<string, string>;
  privateEndpointConnection: PrivateEndpointInfo | null;
  /** The DER of the certificate the caller presented over TLS (a hostname that negotiates client certificates); absent without one. */
  clientCertificate?: Uint8Array;
  /** The certificates the caller sent after its own (intermediates for validate-client-certificate's trust). */
  clientIntermediates?: Uint8Array[];
}

export interface GatewayResponse {
  statusCode: number;
  statusReason: string;
  headers: HeaderMap;
  body: MessageBody;
}

/** What the router decided for a request. */
export interface RequestRouting {
  api: Api;
  apiId: string;
  operation: Operation;
  product: Product | null;
  subscription: Subscription | null;
  user: User | null;
  /** The backend base URL (serviceUrl or what set-backend-service chose), without query. */
  backendBase: RequestUrl | null;
  backendId?: string;
  /**
   * Set when the request matched no operation (`operation`) or no API at all (`api`): only
   * on-error runs, and `context.Operation` (and `context.Api`) read as null.
   */
  unmatched?: 'api' | 'operation';
}

export class GatewayContext {
  /** Made on first use: most requests never read it, and a UUID per request is measurable. */
  private id: string | undefined;
  readonly timestamp: number;
  lastError: LastError | null = null;
  /** Behind `variables` and `response`: made on first use, since a routed call with no policies reads neither. */
  private variableMap: Map<string, unknown> | undefined;
  private currentResponse: GatewayResponse | undefined;
  /**
   * While return-response builds its answer, expressions still read the response being
   * replaced (`@(context.Response.StatusCode)` in on-error is the error's status).
   */
  responseSeenByExpressions: GatewayResponse | null = null;
  /** Set by return-response, mock-response and the like: the rest of the pipeline is skipped. */
  responded = false;
  /** Set once the backend answered (forward-request ran). */
  forwarded = false;
  /** Run just before the response is written to the client (e.g. CORS headers). */
  readonly beforeRespond: Array<(gw: GatewayContext) => void> = [];
  /**
   * Run once the backend answered and before outbound runs, in order, awaited: what must be
   * known about the answer before outbound policies see it (the token counts of an LLM reply).
   */
  readonly beforeOutbound: Array<(gw: GatewayContext) => Promise<void> | void> = [];
  /** Run after the pipeline, in order, awaited (e.g. deferred rate-limit counting). */
  readonly afterPipeline: Array<(gw: GatewayContext) => Promise<void> | void> = [];
  /** Which section is running. */
  section: Section = 'inbound';
  /** Set when the caller presented a valid debug token: what the policies did is recorded here (request-trace.ts). */
  requestTrace: RequestTrace | undefined = undefined;
  backendBase: RequestUrl | null;
  backendId: string | undefined;
  /** The Backend entity the request goes to (a pool's chosen member), set by set-backend-service `backend-id`. */
  backend: Backend | undefined = undefined;
  /** The Host header the client sent; a different value at forwarding time was set by a policy. */
  readonly clientHostHeader: string | undefined;
  /** State other modules keep for this request (request-slot.ts); made on first write. */
  private slotValues: Map<RequestSlot<unknown>, unknown> | undefined;

  constructor(
    readonly request: GatewayRequest,
    readonly routing: RequestRouting,
    readonly services: GatewayServices,
    readonly catalog: RuntimeCatalog,
  ) {
    this.timestamp = services.clock.now();
    this.backendBase = routing.backendBase;
    this.backendId = routing.backendId;
    this.clientHostHeader = request.headers.get('host');
  }

  /** `context.Variables`. */
  get variables(): Map<string, unknown> {
    return (this.variableMap ??= new Map());
  }

  /**
   * The response on its way to the client: an empty 200 until the backend answers or a policy
   * builds one. A forwarded call replaces it without reading it, so the empty one is made only
   * when something reads it first.
   */
  get response(): GatewayResponse {
    return (this.currentResponse ??= { statusCode: 200, statusReason: 'OK', headers: new HeaderMap(), body: MessageBody.empty() });
  }

  set response(response: GatewayResponse) {
    this.currentResponse = response;
  }

  /** `context.RequestId`: one UUID per request, stable once read. */
  get requestId(): string {
    return (this.id ??= randomUUID());
  }

  get api(): Api {
    return this.routing.api;
  }

  get operation(): Operation {
    return this.routing.operation;
  }

  get product(): Product | null {
    return this.routing.product;
  }

  get subscription(): Subscription | null {
    return this.routing.subscription;
  }

  get user(): User | null {
    return this.routing.user;
  }

  /** The value a module keeps in `slot` for this request, if any. */
  slot<T>(slot: RequestSlot<T>): T | undefined {
    return this.slotValues?.get(slot) as T | undefined;
  }

  /** Keeps `value` in `slot` for this request; returns it. */
  setSlot<T>(slot: RequestSlot<T>, value: T): T {
    (this.slotValues ??= new Map()).set(slot, value);
    return value;
  }

  /** Records one trace entry in the running section when the request is traced (request-trace.ts). */
  traceStep(source: string, data: Readonly<Record<string, unknown>> | string): void {
    this.requestTrace?.record(this.section, source, data);
  }

  /** Milliseconds since the request was received. */
  get elapsedMs(): number {
    return this.services.clock.now() - this.timestamp;
  }
}

/** A failure raised while a policy runs; the executor records it in `context.LastError`. */
export class PolicyRuntimeError extends Error {
  /** Where it happened; filled by the executor for the innermost policy. */
  location: PolicyLocation | undefined;

  constructor(
    readonly source: string,
    readonly reason: string,
    message: string,
    /** Status and body message sent to the caller when on-error does not answer otherwise. */
    readonly status = 500,
    readonly clientMessage = status === 500 ? 'Internal server error' : message,
    /** Extra response headers for the caller (e.g. Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'PolicyRuntimeError';
  }
}

/** Where a compiled policy sits, for `context.LastError`. */
export interface PolicyLocation {
  policy: string;
  scope: Scope;
  section: Section;
  path: string;
  policyId?: string;
}
