/**
 * The `Apim-Debug-Authorization` header (Azure's request tracing, docs/tracing.md): a valid
 * debug token for the matched API starts a trace and the answer carries `Apim-Trace-Id`; a
 * token past its expiry is answered with `Apim-Debug-Authorization-Expired: true`, one issued
 * for another API with `Apim-Debug-Authorization-WrongAPI: true`; anything else (forged,
 * altered, for another gateway, invalidated) is ignored. Either way the request is served as
 * usual and the header never reaches the backend or the policies.
 */
import { readDebugToken } from '../core/debug-token.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { HeaderMap } from '../pipeline/header-map.js';
import { TraceRecorder, traceHeaders } from '../pipeline/trace-recorder.js';
import { alwaysMaskedHeaders, type TraceMasking } from '../pipeline/trace-masking.js';
import { secretQueryNames } from './redact-query.js';
import { subscriptionKeyNames } from './subscriptions/extract-subscription-key.js';

export const debugAuthorizationHeader = 'Apim-Debug-Authorization';

export type DebugAuthorization = 'traced' | 'expired' | 'wrong-api' | 'invalid';

/**
 * The header's name as HeaderMap keys it: every request looks it up, and lower-casing the
 * mixed-case name made a new string to hash each time.
 */
const debugAuthorizationKey = debugAuthorizationHeader.toLowerCase();

/** Takes the debug header off the request; returns its value, if it had one. */
export function takeDebugToken(headers: HeaderMap): string | undefined {
  const token = headers.get(debugAuthorizationKey);
  if (token !== undefined) headers.delete(debugAuthorizationKey);
  return token;
}

/** What `token` allows on the request `gw` (its API, its gateway, now). */
export function checkDebugToken(gw: GatewayContext, token: string): DebugAuthorization {
  const settings = gw.catalog.debugCredentials;
  if (!settings) return 'invalid';
  const claims = readDebugToken(token.trim(), settings.key);
  const gatewayId = gw.catalog.gatewayId.toLowerCase();
  if (!claims || claims.gatewayId.toLowerCase() !== gatewayId) return 'invalid';
  if (claims.issuedAt <= (settings.invalidatedAt[gatewayId] ?? -Infinity)) return 'invalid';
  if (gw.services.clock.now() >= claims.expiresAt) return 'expired';
  const apiName = gw.api.name.replace(/;rev=.*$/i, '');
  if (claims.apiName.toLowerCase() !== apiName.toLowerCase()) return 'wrong-api';
  return 'traced';
}

/**
 * Applies a debug token to the request: starts its trace (recording what the gateway matched)
 * or marks the answer as Azure does. Returns the recorder of a traced request.
 */
export function applyDebugToken(gw: GatewayContext, token: string, subscriptionKey: string | undefined): TraceRecorder | undefined {
  const outcome = checkDebugToken(gw, token);
  if (outcome === 'expired') gw.beforeRespond.push((c) => c.response.headers.set('Apim-Debug-Authorization-Expired', 'true'));
  if (outcome === 'wrong-api') gw.beforeRespond.push((c) => c.response.headers.set('Apim-Debug-Authorization-WrongAPI', 'true'));
  if (outcome !== 'traced') return undefined;
  const recorder = new TraceRecorder(gw.catalog.gatewayId, maskingFor(gw, subscriptionKey), gw.timestamp, gw.services.clock.now());
  gw.requestTrace = recorder;
  gw.beforeRespond.push((c) => c.response.headers.set('Apim-Trace-Id', recorder.traceId));
  recordMatch(gw);
  return recorder;
}

function maskingFor(gw: GatewayContext, subscriptionKey: string | undefined): TraceMasking {
  // The query parameters the access log hides too: the key's (default and the API's own) and the usual credential carriers.
  const headers = new Set([...alwaysMaskedHeaders, subscriptionKeyNames(gw.api).header.toLowerCase()]);
  const query = new Set(secretQueryNames(gw.api));
  const values = [...(gw.catalog.secretValues ?? [])];
  if (subscriptionKey) values.push(subscriptionKey);
  // Longest first: a secret containing another is masked whole.
  values.sort((a, b) => b.length - a.length);
  return { headers, query, values };
}

/** The api-inspector steps Azure's traces start with: the request as received, and what it matched. */
function recordMatch(gw: GatewayContext): void {
  const request = gw.request;
  gw.traceStep('api-inspector', { request: { method: request.originalMethod, url: request.originalUrl.toString(), headers: traceHeaders(request.headers) } });
  const base = gw.backendBase;
  const to = base && {
    scheme: base.scheme,
    host: base.host,
    port: base.port,
    path: base.path,
    queryString: base.queryString,
    query: Object.fromEntries(base.query.map(([k, v]) => [k, v])),
    isDefaultPort: base.port === (base.scheme === 'https' ? 443 : 80),
  };
  gw.traceStep('api-inspector', {
    configuration: {
      api: { from: `/${gw.api.path}`, to: to ?? null, version: gw.api.apiVersion ?? null, revision: gw.api.apiRevision },
      operation: { method: gw.operation.method, uriTemplate: gw.operation.urlTemplate },
      user: gw.user?.name ?? '-',
      product: gw.product?.name ?? '-',
      subscription: gw.subscription?.name ?? '-',
    },
  });
}

/** Ends a traced request: the last step, and the trace handed to the gateway's trace sink. */
export function finishTrace(gw: GatewayContext, recorder: TraceRecorder): void {
  recorder.record('outbound', 'transfer-response', { message: 'Response has been sent to the caller in full' });
  gw.services.traces?.keep(recorder.document());
}
