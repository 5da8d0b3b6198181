/**
 * Runs policy documents through the real compiler, scope merge and executor against a request
 * built here, forwarding with the real undici forwarder to a real backend (see echo-backend).
 * For policy unit tests; the e2e tests drive the whole gateway process instead.
 */
import { after, before } from 'node:test';
import type { Readable } from 'node:stream';
import type { CounterStore, Clock, GatewayCaches } from '../../src/core/ports.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { createLogger } from '../../src/core/logger.js';
import type { PolicyTelemetry } from '../../src/pipeline/policy-telemetry.js';
import { X509Certificate } from 'node:crypto';
import type { EventLogging } from '../../src/pipeline/event-logging.js';
import type { ManagedIdentityTokens } from '../../src/pipeline/managed-identity.js';
import type { RequestTrace } from '../../src/pipeline/request-trace.js';
import type { Api, Backend, Certificate, Operation, Product, Subscription, User } from '../../src/model/resources.js';
import { BackendForwarder } from '../../src/gateway/backend-forwarder.js';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import { compilePolicyDocument, type CompiledDocument } from '../../src/pipeline/compile-document.js';
import type { CompileEnvironment } from '../../src/pipeline/compile-environment.js';
import type { BackendCircuits, GatewayContext, Scope } from '../../src/pipeline/gateway-context.js';
import { matchedRequestContext } from '../../src/gateway/matched-request-context.js';
import { HeaderMap } from '../../src/pipeline/header-map.js';
import { mergeScopes } from '../../src/pipeline/merge-scopes.js';
import { MessageBody } from '../../src/pipeline/message-body.js';
import { parseQueryString, RequestUrl } from '../../src/pipeline/request-url.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { parseXml } from '../../src/pipeline/xml.js';
import { policyRegistry } from '../../src/policies/index.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';
import { builtInCachesOnly } from '../../src/store/memory-cache-store.js';
import { applyDebugToken, takeDebugToken } from '../../src/gateway/debug-authorization.js';
import type { DebugCredentialSettings } from '../../src/model/resources.js';

export interface HarnessRequest {
  method?: string;
  /** The client URL, absolute (default `http://gateway.test/api/op`). */
  url?: string;
  headers?: Record<string, string | string[]>;
  /** A stream stands for a body still arriving from the client. */
  body?: string | Buffer | Readable;
  ip?: string;
  /** The PEM of the certificate the caller presented over TLS. */
  clientCertificate?: string;
  /** PEMs of the certificates the caller sent after its own. */
  clientIntermediates?: string[];
}

export interface HarnessSetup {
  /** Policy documents per scope (XML). */
  global?: string;
  product?: string;
  api?: string;
  operation?: string;
  namedValues?: Record<string, string>;
  /** Fragment id → `<fragment>` XML. */
  fragments?: Record<string, string>;
  backends?: Backend[];
  /** The `certificates` resources policies may name. */
  certificates?: Certificate[];
  /** Backend base URL (the API's serviceUrl). */
  serviceUrl?: string;
  /** Path of the request relative to the API (default: the client URL's path after `/api`). */
  apiModel?: Partial<Api>;
  operationModel?: Partial<Operation>;
  productModel?: Product | null;
  subscription?: Subscription | null;
  user?: User | null;
  matchedParameters?: Record<string, string>;
  counters?: CounterStore;
  /** The caches of the caching policies (a fresh built-in cache per run when absent). */
  caches?: GatewayCaches;
  clock?: Clock;
  /** Backend circuit breakers kept across runs (a fresh set per run when absent). */
  circuits?: BackendCircuits;
  /** The gateway's `--max-buffered-body-size` in bytes (default 2 MiB). */
  maxBufferedBodyBytes?: number;
  /** Where trace and emit-metric go (nowhere when absent). */
  telemetry?: PolicyTelemetry;
  /** Loggers log-to-eventhub may name: name → type (e.g. `azureEventHub`). */
  loggers?: Record<string, string>;
  /** Records what the policies did, as for a request with a valid debug token. */
  requestTrace?: RequestTrace;
  /** Where log-to-eventhub sends (its messages are dropped when absent). */
  eventLogging?: EventLogging;
  /** The gateway's managed identity tokens (not enabled when absent). */
  managedIdentity?: ManagedIdentityTokens;
  /** validate-azure-ad-token's Entra authority (Microsoft's when absent). */
  entraAuthority?: string;
  /** `context.Variables` set before the pipeline runs (e.g. a response send-request would store). */
  variables?: Record<string, unknown>;
  /** The service's debug key and invalidations: a request with `Apim-Debug-Authorization` is checked as the gateway does. */
  debugCredentials?: DebugCredentialSettings;
  /** Values of secret named values (the trace masks them). */
  secretValues?: string[];
  /** The expressions' time budget (`--expression-time-budget`), milliseconds; 500 when absent. */
  expressionTimeBudgetMs?: number;
}

export interface HarnessResult {
  gw: GatewayContext;
  status: number;
  headers: HeaderMap;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

const sharedForwarder = new BackendForwarder();
const logger = createLogger('silent');

/** Builds the compile environment the harness and compile-only tests use. */
export function harnessEnvironment(setup: HarnessSetup = {}): CompileEnvironment {
  return {
    policies: policyRegistry,
    namedValues: new Map(Object.entries(setup.namedValues ?? {})),
    fragments: new Map(Object.entries(setup.fragments ?? {}).map(([id, xml]) => [id, parseXml(xml)])),
    backends: new Map((setup.backends ?? []).map((b) => [b.name, b])),
    loggers: new Map(Object.entries(setup.loggers ?? {}).map(([name, type]) => [name.toLowerCase(), { name, type }])),
    expressionLimits: setup.expressionTimeBudgetMs === undefined ? undefined : { maxMilliseconds: setup.expressionTimeBudgetMs },
    certificates: setup.certificates ?? [],
  };
}

/** Compiles one document at a scope (throws PolicyCompileError). */
export function compileOnly(xml: string, scope: Scope = 'api', setup: HarnessSetup = {}): CompiledDocument {
  return compilePolicyDocument({ xml, source: 'test' }, scope, harnessEnvironment(setup));
}

/** Compiles the documents of `setup`, runs one request through them and reads the response. */
export async function runPolicies(setup: HarnessSetup, request: HarnessRequest = {}): Promise<HarnessResult> {
  const gw = await runPipelineOnly(setup, request);
  const content = await gw.response.body.read(true);
  const text = content.toString('utf8');
  return {
    gw,
    status: gw.response.statusCode,
    headers: gw.response.headers,
    body: text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** As runPolicies, but leaves the response body unread (for tests of how it streams). */
export async function runPipelineOnly(setup: HarnessSetup, request: HarnessRequest = {}): Promise<GatewayContext> {
  const env = harnessEnvironment(setup);
  const compile = (xml: string | undefined, scope: Scope) =>
    xml === undefined ? undefined : compilePolicyDocument({ xml, source: `test ${scope}` }, scope, env);
  const defaultBackend = compilePolicyDocument(
    { xml: '<policies><backend><forward-request /></backend></policies>', source: 'default' },
    'global',
    env,
  ).sections.backend![0];
  if (defaultBackend === undefined || defaultBackend === 'base') throw new Error('default backend did not compile');
  const chain = [compile(setup.global, 'global'), compile(setup.product, 'product'), compile(setup.api, 'api'), compile(setup.operation, 'operation')];
  const pipeline = mergeScopes(chain, defaultBackend);

  const clientUrl = RequestUrl.parse(request.url ?? 'http://gateway.test/api/op');
  const api: Api = {
    name: 'test-api',
    displayName: 'Test API',
    path: 'api',
    protocols: ['http', 'https'],
    subscriptionRequired: false,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: [],
    serviceUrl: setup.serviceUrl,
    ...setup.apiModel,
  };
  const operation: Operation = {
    name: 'test-op',
    displayName: 'Test operation',
    method: request.method ?? 'GET',
    urlTemplate: '/*',
    ...setup.operationModel,
  };
  // The router's part: the path after the API's own path.
  const remainingPath = clientUrl.path.startsWith('/' + api.path) ? clientUrl.path.slice(api.path.length + 1) : clientUrl.path;
  const rawQuery = clientUrl.queryString.replace(/^\?/, '');
  const headers = HeaderMap.fromObject({ host: clientUrl.host, ...(request.headers ?? {}) });
  const debugToken = takeDebugToken(headers);
  const gw = matchedRequestContext(
    {
      method: request.method ?? 'GET',
      scheme: clientUrl.scheme,
      host: headers.get('host') ?? clientUrl.host,
      rawPath: clientUrl.path,
      rawQuery,
      query: parseQueryString(rawQuery),
      headers,
      body: request.body === undefined ? MessageBody.empty() : new MessageBody(request.body),
      ipAddress: request.ip ?? '127.0.0.1',
      privateEndpointConnection: null,
      clientCertificate: request.clientCertificate === undefined ? undefined : new Uint8Array(new X509Certificate(request.clientCertificate).raw),
      clientIntermediates: request.clientIntermediates?.map((pem) => new Uint8Array(new X509Certificate(pem).raw)),
    },
    { api, operation, remainingPath, matchedParameters: setup.matchedParameters ?? {} },
    { product: setup.productModel ?? null, subscription: setup.subscription ?? null, user: setup.user ?? null },
    {
      counters: setup.counters ?? new MemoryCounterStore(),
      caches: setup.caches ?? builtInCachesOnly(),
      clock: setup.clock ?? { now: () => Date.now() },
      forwarder: sharedForwarder,
      outbound: sharedForwarder.outbound,
      circuits: setup.circuits ?? new CircuitBreakers(),
      logger,
      ...(setup.maxBufferedBodyBytes === undefined ? {} : { maxBufferedBodyBytes: setup.maxBufferedBodyBytes }),
      ...(setup.telemetry === undefined ? {} : { telemetry: setup.telemetry }),
      ...(setup.eventLogging === undefined ? {} : { eventLogging: setup.eventLogging }),
      ...(setup.managedIdentity === undefined ? {} : { managedIdentity: setup.managedIdentity }),
      ...(setup.entraAuthority === undefined ? {} : { entraAuthority: setup.entraAuthority }),
    },
    { serviceName: 'gatehouse', gatewayId: 'managed', backends: env.backends, debugCredentials: setup.debugCredentials, secretValues: setup.secretValues, certificates: env.certificates },
  );
  for (const [name, value] of Object.entries(setup.variables ?? {})) gw.variables.set(name, value);
  if (debugToken !== undefined) applyDebugToken(gw, debugToken, undefined);
  if (setup.requestTrace) gw.requestTrace = setup.requestTrace;
  await runPipeline(pipeline, gw);
  for (const hook of gw.beforeRespond) hook(gw);
  return gw;
}

/** A fixed, settable clock for counter tests. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

/** Compiles a document that must fail, and returns the compile error. */
export function expectCompileError(xml: string, scope: Scope = 'api', setup: HarnessSetup = {}): PolicyCompileError {
  try {
    compileOnly(xml, scope, setup);
  } catch (err) {
    if (err instanceof PolicyCompileError) return err;
    throw err;
  }
  throw new Error(`expected a compile error for: ${xml}`);
}

/** A real echo backend started before the file's tests and closed after them. */
export function useEchoBackend(): { readonly url: string; readonly port: number } {
  let backend: EchoBackend | undefined;
  before(async () => {
    backend = await startEchoBackend();
  });
  after(async () => {
    await backend?.close();
  });
  const running = (): EchoBackend => {
    if (!backend) throw new Error('the echo backend is not started yet');
    return backend;
  };
  return {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
  };
}

/**
 * A gateway whose calls share one counter store and one settable clock, for throttling tests:
 * `call(setup, request)` merges `setup` over `base`; a string request is the client URL.
 */
export function sharedCounterGateway(base: HarnessSetup, clockStart?: number) {
  const counters = new MemoryCounterStore();
  const clock = manualClock(clockStart);
  const call = (setup: Partial<HarnessSetup> = {}, request: HarnessRequest | string = {}) =>
    runPolicies(
      { ...base, ...setup, counters, clock },
      typeof request === 'string' ? { url: request } : { url: 'http://gw.test/api/items', ...request },
    );
  return { counters, clock, call };
}
