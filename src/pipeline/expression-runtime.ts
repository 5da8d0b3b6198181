/**
 * Evaluates a compiled expression for a request. The `context` view handed to expressions
 * (src/expressions/context-view.ts, reference §4.2) is built here from the gateway's request
 * state; views read the live state, so changes made by earlier policies are visible.
 *
 * Bodies: expressions run synchronously, so `Body.As<T>()` reads the body from memory. A body
 * still streaming is read into memory first by `bufferBodiesForExpressions` — the document
 * compiler awaits it before any policy whose expressions mention `Body` — and otherwise
 * `As<T>()` fails with a clear evaluation error instead of blocking.
 */
import {
  ExpressionEvaluationError,
  expressionValueToString,
  responseVariable,
  toExpressionValue,
  type CompiledExpression,
  type ContextView,
} from '../expressions/index.js';
import type { BodyView, HeadersView, UrlView } from '../expressions/context-view.js';
import type { GatewayContext, GatewayResponse } from './gateway-context.js';
import type { HeaderMap } from './header-map.js';
import type { MessageBody } from './message-body.js';
import { RequestUrl } from './request-url.js';

/** Evaluates; any exception becomes an ExpressionEvaluationError naming the element. */
export function evaluateExpressionValue(expression: CompiledExpression, gw: GatewayContext, element: string): unknown {
  try {
    return expression.evaluate(contextView(gw));
  } catch (err) {
    if (err instanceof ExpressionEvaluationError) throw err;
    throw new ExpressionEvaluationError(`Expression evaluation failed in '${element}': ${(err as Error).message}`);
  }
}

/** An expression result as attribute/text content (.NET ToString(): `True`, `1.5`, JSON …). */
export function expressionValueText(value: unknown): string {
  return value === null || value === undefined ? '' : expressionValueToString(value);
}

/**
 * Reads still-streaming bodies into memory so expressions can use `Body.As<T>()`: the request
 * body (until it was sent to the backend), the response body, and bodies of responses kept in
 * variables (send-request results).
 */
export async function bufferBodiesForExpressions(gw: GatewayContext): Promise<void> {
  const bodies: MessageBody[] = [gw.response.body];
  if (!gw.forwarded) bodies.push(gw.request.body);
  for (const value of gw.variables.values()) if (isGatewayResponse(value)) bodies.push(value.body);
  for (const body of bodies) {
    if (body.bufferedContent === null && body.present && !body.isConsumed) await body.read(true);
  }
}

const views = new WeakMap<GatewayContext, ContextView>();

/** The `context` view of a request (cached per request; members read live state). */
export function contextView(gw: GatewayContext): ContextView {
  let view = views.get(gw);
  if (!view) {
    view = buildView(gw);
    views.set(gw, view);
  }
  return view;
}

function headersView(h: HeaderMap): HeadersView {
  return [...h].map(([name, values]) => [name, values] as const);
}

function urlView(u: RequestUrl): UrlView {
  return {
    Scheme: u.scheme,
    Host: u.host,
    Port: u.port,
    Path: u.path,
    Query: u.query.map(([k, v]) => [k, v] as const),
    QueryString: u.queryString,
    Text: u.toString(),
  };
}

function bodyView(body: MessageBody, which: string): BodyView {
  return {
    read(preserve: boolean): Buffer {
      const content = body.bufferedContent;
      if (content === null) {
        if (!body.present) return Buffer.alloc(0);
        throw new ExpressionEvaluationError(
          `Expression evaluation failed. The ${which} body is still streaming and was not buffered before the expression ran.`,
        );
      }
      // APIM: reading without preserveContent consumes the body; later readers see it empty.
      if (!preserve) body.replace(Buffer.alloc(0));
      return content;
    },
  };
}

function epoch(text: string | undefined): number | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Wraps values other policies stored in variables (e.g. send-request responses). */
function variableValue(v: unknown): unknown {
  if (isGatewayResponse(v)) return responseView(v);
  return toExpressionValue(v);
}

function isGatewayResponse(v: unknown): v is GatewayResponse {
  return typeof v === 'object' && v !== null && typeof (v as GatewayResponse).statusCode === 'number' &&
    typeof (v as GatewayResponse).headers?.getAll === 'function' && typeof (v as GatewayResponse).body?.replace === 'function';
}

const responseViews = new WeakMap<object, unknown>();

function responseView(r: GatewayResponse): unknown {
  let view = responseViews.get(r);
  if (view === undefined) {
    view = responseVariable({
      get StatusCode() { return r.statusCode; },
      get StatusReason() { return r.statusReason; },
      get Headers() { return headersView(r.headers); },
      get Body() { return bodyView(r.body, 'response'); },
    });
    responseViews.set(r, view);
  }
  return view;
}


function buildView(gw: GatewayContext): ContextView {
  const req = gw.request;
  const keyHeader = gw.api.subscriptionKeyParameterNames?.header ?? 'Ocp-Apim-Subscription-Key';
  const keyQuery = gw.api.subscriptionKeyParameterNames?.query ?? 'subscription-key';
  return {
    Request: {
      get Method() { return req.method; },
      get OriginalMethod() { return req.originalMethod; },
      get Url() { return urlView(req.url); },
      get OriginalUrl() { return urlView(req.originalUrl); },
      get Headers() { return headersView(req.headers); },
      get IpAddress() { return req.ipAddress; },
      get MatchedParameters() { return req.matchedParameters; },
      get Body() { return req.body.present || req.body.bufferedContent !== null ? bodyView(req.body, 'request') : null; },
      get PrivateEndpointConnection() {
        const p = req.privateEndpointConnection;
        return p ? { Name: p.name, GroupId: p.groupId, MemberName: p.memberName } : null;
      },
    },
    Response: {
      get StatusCode() { return gw.response.statusCode; },
      get StatusReason() { return gw.response.statusReason; },
      get Headers() { return headersView(gw.response.headers); },
      get Body() { return bodyView(gw.response.body, 'response'); },
    },
    get Api() {
      const a = gw.api;
      let serviceUrl: UrlView | null = null;
      try {
        serviceUrl = a.serviceUrl ? urlView(RequestUrl.parse(a.serviceUrl)) : null;
      } catch {
        serviceUrl = null;
      }
      return {
        Id: a.name.split(';rev=')[0]!,
        Name: a.displayName,
        Path: a.path,
        Revision: a.apiRevision,
        Version: a.apiVersion ?? '',
        IsCurrentRevision: a.isCurrent,
        ServiceUrl: serviceUrl,
        Protocols: a.protocols.slice(),
        SubscriptionKeyParameterNames: { Header: keyHeader, Query: keyQuery },
      };
    },
    get Operation() {
      const o = gw.operation;
      return { Id: o.name, Method: o.method, Name: o.displayName, UrlTemplate: o.urlTemplate };
    },
    get Product() {
      const p = gw.product;
      if (!p) return null;
      return {
        Id: p.name,
        Name: p.displayName,
        ApprovalRequired: p.approvalRequired ?? false,
        SubscriptionRequired: p.subscriptionRequired,
        SubscriptionLimit: p.subscriptionsLimit ?? null,
        State: String(p.state).toLowerCase() === 'published' ? 'Published' : 'NotPublished',
        Groups: p.groups.map((g) => ({ Id: g, Name: g })),
        Apis: p.apis.map((a) => ({ Id: a, Name: a, Path: '' })),
      };
    },
    get Subscription() {
      const s = gw.subscription;
      if (!s) return null;
      const presented = req.headers.get(keyHeader) ?? req.originalUrl.queryValue(keyQuery);
      return {
        Id: s.name,
        Key: presented === s.secondaryKey ? s.secondaryKey : s.primaryKey,
        Name: s.displayName,
        PrimaryKey: s.primaryKey,
        SecondaryKey: s.secondaryKey,
        CreatedDate: epoch(s.createdDate),
        StartDate: epoch(s.startDate),
        EndDate: epoch(s.endDate ?? s.expirationDate),
      };
    },
    get User() {
      const u = gw.user;
      if (!u) return null;
      return {
        Id: u.name,
        Email: u.email ?? '',
        FirstName: u.firstName ?? '',
        LastName: u.lastName ?? '',
        Note: u.note ?? '',
        RegistrationDate: epoch(u.registrationDate),
        Groups: u.groups.map((g) => ({ Id: g, Name: g })),
        Identities: [],
      };
    },
    Variables: {
      has: (name) => gw.variables.has(name),
      get: (name) => variableValue(gw.variables.get(name)),
      names: () => [...gw.variables.keys()],
    },
    get Deployment() {
      const region = (gw.catalog as { region?: string }).region ?? '';
      return { GatewayId: gw.catalog.gatewayId, Region: region, ServiceName: gw.catalog.serviceName };
    },
    RequestId: gw.requestId,
    Timestamp: gw.timestamp,
    get Elapsed() { return gw.elapsedMs; },
    get LastError() {
      const e = gw.lastError;
      if (!e) return null;
      return {
        Source: e.source,
        Reason: e.reason,
        Message: e.message,
        Scope: e.scope ?? null,
        Section: e.section ?? null,
        Path: e.path ?? null,
        PolicyId: e.policyId ?? null,
      };
    },
    Tracing: false,
    trace: (message) => gw.services.logger.debug({ requestId: gw.requestId, message }, 'context.Trace'),
    now: () => gw.services.clock.now(),
  };
}
