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
import { x509FromDer, type X509Certificate2Value } from '../expressions/runtime/x509.js';
import { DictionaryValue } from '../expressions/runtime/values.js';
import { certificateOf } from '../core/certificate-data.js';
import type { Certificate } from '../model/resources.js';
import type { GatewayContext, GatewayResponse } from './gateway-context.js';
import type { HeaderMap } from './header-map.js';
import type { MessageBody } from './message-body.js';
import { bufferWithinLimit, type BodySide } from './buffered-body.js';
import { RequestUrl } from './request-url.js';
import { RequestSlot } from './request-slot.js';

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
 * variables (send-request results). Each within the buffering limit (buffered-body.ts); a
 * failure names `policy`, the policy whose expressions wanted the bodies.
 */
export async function bufferBodiesForExpressions(gw: GatewayContext, policy: string): Promise<void> {
  const bodies: Array<[MessageBody, BodySide]> = [[gw.response.body, 'response']];
  if (!gw.forwarded) bodies.push([gw.request.body, 'request']);
  for (const value of gw.variables.values()) if (isGatewayResponse(value)) bodies.push([value.body, 'response']);
  for (const [body, side] of bodies) {
    if (body.bufferedContent === null && body.present && !body.isConsumed) await bufferWithinLimit(gw, body, side, policy);
  }
}

const viewSlot = new RequestSlot<ContextView>('expression context view');

/** The `context` view of a request (cached per request; members read live state). */
export function contextView(gw: GatewayContext): ContextView {
  return gw.slot(viewSlot) ?? gw.setSlot(viewSlot, buildView(gw));
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
function variableValue(gw: GatewayContext, v: unknown): unknown {
  if (isGatewayResponse(v)) return responseView(gw, v);
  return toExpressionValue(v);
}

function isGatewayResponse(v: unknown): v is GatewayResponse {
  return typeof v === 'object' && v !== null && typeof (v as GatewayResponse).statusCode === 'number' &&
    typeof (v as GatewayResponse).headers?.getAll === 'function' && typeof (v as GatewayResponse).body?.replace === 'function';
}

/** The views of responses kept in this request's variables, one per response. */
const responseViewsSlot = new RequestSlot<Map<GatewayResponse, unknown>>('response variable views');

function responseView(gw: GatewayContext, r: GatewayResponse): unknown {
  const responseViews = gw.slot(responseViewsSlot) ?? gw.setSlot(responseViewsSlot, new Map());
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


/** context.Deployment.Certificates: the uploaded certificates by thumbprint, built once per snapshot. */
const deploymentDictionaries = new WeakMap<readonly Certificate[], DictionaryValue>();
function deploymentCertificates(certificates: readonly Certificate[]): DictionaryValue {
  let dictionary = deploymentDictionaries.get(certificates);
  if (!dictionary) {
    dictionary = new DictionaryValue(false, true, ['string', 'X509Certificate2']);
    for (const c of certificates) {
      try {
        dictionary.set(c.thumbprint, x509FromDer(new Uint8Array(certificateOf(c.data, c.password).raw)));
      } catch {
        // A certificate that cannot be opened was refused when uploaded; nothing to show.
      }
    }
    deploymentDictionaries.set(certificates, dictionary);
  }
  return dictionary;
}

function buildView(gw: GatewayContext): ContextView {
  return new RequestContextView(gw);
}

// The views are classes, not object literals: an object literal with a score of accessors is
// rebuilt property by property for every request, while a class instance is two fields with
// the accessors shared on its prototype.

class RequestView {
  private certificate: X509Certificate2Value | null | undefined;
  constructor(private readonly req: GatewayContext['request']) {}
  get Certificate() {
    if (this.certificate === undefined) this.certificate = this.req.clientCertificate ? x509FromDer(this.req.clientCertificate) : null;
    return this.certificate;
  }
  get Method() { return this.req.method; }
  get OriginalMethod() { return this.req.originalMethod; }
  get Url() { return urlView(this.req.url); }
  get OriginalUrl() { return urlView(this.req.originalUrl); }
  get Headers() { return headersView(this.req.headers); }
  get IpAddress() { return this.req.ipAddress; }
  get MatchedParameters() { return this.req.matchedParameters; }
  get Body() { return this.req.body.present || this.req.body.bufferedContent !== null ? bodyView(this.req.body, 'request') : null; }
  get PrivateEndpointConnection() {
    const p = this.req.privateEndpointConnection;
    return p ? { Name: p.name, GroupId: p.groupId, MemberName: p.memberName } : null;
  }
}

class ResponseView {
  constructor(private readonly gw: GatewayContext) {}
  private get response() { return this.gw.responseSeenByExpressions ?? this.gw.response; }
  get StatusCode() { return this.response.statusCode; }
  get StatusReason() { return this.response.statusReason; }
  get Headers() { return headersView(this.response.headers); }
  get Body() { return bodyView(this.response.body, 'response'); }
}

class VariablesView {
  constructor(private readonly gw: GatewayContext) {}
  has(name: string) { return this.gw.variables.has(name); }
  get(name: string) { return variableValue(this.gw, this.gw.variables.get(name)); }
  names() { return [...this.gw.variables.keys()]; }
}

/**
 * `context.Subscription`: members are read when an expression asks for them, so the common
 * `@(context.Subscription.Id)` does not look the key up again or parse three dates per request.
 */
class SubscriptionView {
  constructor(
    private readonly s: NonNullable<GatewayContext['subscription']>,
    private readonly req: GatewayContext['request'],
    private readonly keyHeader: string,
    private readonly keyQuery: string,
  ) {}
  get Id() { return this.s.name; }
  get Key() {
    const presented = this.req.headers.get(this.keyHeader) ?? this.req.originalUrl.queryValue(this.keyQuery);
    return presented === this.s.secondaryKey ? this.s.secondaryKey : this.s.primaryKey;
  }
  get Name() { return this.s.displayName; }
  get PrimaryKey() { return this.s.primaryKey; }
  get SecondaryKey() { return this.s.secondaryKey; }
  get CreatedDate() { return epoch(this.s.createdDate); }
  get StartDate() { return epoch(this.s.startDate); }
  get EndDate() { return epoch(this.s.endDate ?? this.s.expirationDate); }
}

class RequestContextView implements ContextView {
  readonly Request: RequestView;
  readonly Response: ResponseView;
  readonly Variables: VariablesView;
  readonly Timestamp: number;
  readonly Tracing = false;

  constructor(private readonly gw: GatewayContext) {
    this.Request = new RequestView(gw.request);
    this.Response = new ResponseView(gw);
    this.Variables = new VariablesView(gw);
    this.Timestamp = gw.timestamp;
  }

  private get keyHeader() { return this.gw.api.subscriptionKeyParameterNames?.header ?? 'Ocp-Apim-Subscription-Key'; }
  private get keyQuery() { return this.gw.api.subscriptionKeyParameterNames?.query ?? 'subscription-key'; }

  get Api() {
    if (this.gw.routing.unmatched === 'api') return null;
    const a = this.gw.api;
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
      SubscriptionKeyParameterNames: { Header: this.keyHeader, Query: this.keyQuery },
    };
  }

  get Operation() {
    if (this.gw.routing.unmatched) return null;
    const o = this.gw.operation;
    return { Id: o.name, Method: o.method, Name: o.displayName, UrlTemplate: o.urlTemplate };
  }

  get Product() {
    const p = this.gw.product;
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
  }

  get Subscription() {
    const s = this.gw.subscription;
    if (!s) return null;
    return new SubscriptionView(s, this.gw.request, this.keyHeader, this.keyQuery);
  }

  get User() {
    const u = this.gw.user;
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
  }

  get Deployment() {
    const region = (this.gw.catalog as { region?: string }).region ?? '';
    const catalog = this.gw.catalog;
    return {
      GatewayId: catalog.gatewayId,
      Region: region,
      ServiceName: catalog.serviceName,
      get Certificates() { return deploymentCertificates(catalog.certificates ?? []); },
    };
  }

  get RequestId() { return this.gw.requestId; }
  get Elapsed() { return this.gw.elapsedMs; }

  get LastError() {
    const e = this.gw.lastError;
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
  }

  trace(message: string) { this.gw.services.logger.debug({ requestId: this.gw.requestId, message }, 'context.Trace'); }
  now() { return this.gw.services.clock.now(); }
}
