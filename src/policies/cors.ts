/**
 * `cors`: answers CORS preflight requests itself and adds CORS headers to the final response of
 * cross-origin requests (reference §3 cors and Azure's cors page).
 *
 * - Preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`, unless an explicit
 *   OPTIONS operation matched): origin, method and requested headers all allowed ⇒ empty `200`
 *   with the Access-Control-* headers. Otherwise `terminate-unmatched-request` true ⇒ empty
 *   `200` without them; false ⇒ the next direct-child cors of inbound decides (the pipeline runs
 *   those alone on a preflight and ends with an empty `200` when none answers, run-pipeline.ts).
 * - Other requests with `Origin`: an allowed origin gets Access-Control-Allow-Origin, -Credentials
 *   and -Expose-Headers on whatever response is finally sent (backend, return-response or error).
 *   An unmatched GET/HEAD with terminate true ends with an empty `200`; otherwise it proceeds
 *   without CORS headers.
 * - Only the first cors that matches a request applies ("Generally, only the first `cors` policy
 *   is applied"); the module is once per section, as Azure's page says.
 */
import type { GatewayContext } from '../pipeline/gateway-context.js';
import { HeaderMap } from '../pipeline/header-map.js';
import { MessageBody } from '../pipeline/message-body.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { RequestSlot } from '../pipeline/request-slot.js';
import { isCorsPreflight } from '../pipeline/run-pipeline.js';
import { readCorsSettings, type CorsSettings } from './cors/cors-settings.js';
import { parseOrigin, sameOrigin } from './cors/origin.js';

/** Set once a cors policy applied to the request, so later cors policies leave it alone. */
const applied = new RequestSlot<true>('cors applied');

export const cors: PolicyModule = {
  name: 'cors',
  sections: ['inbound'],
  oncePerSection: true,
  attributes: {
    'allow-credentials': { type: 'boolean', default: false, expression: true },
    // Azure's attribute table says false, its "common issues" text and observed behaviour say
    // true (an unmatched origin gets an empty 200); we follow the behaviour.
    'terminate-unmatched-request': { type: 'boolean', default: true, expression: true },
  },
  compile(element, ctx) {
    const allowCredentials = ctx.boolean(element, 'allow-credentials')!;
    const terminate = ctx.boolean(element, 'terminate-unmatched-request')!;
    const settings = readCorsSettings(element, ctx);
    if (allowCredentials.constant === true && settings.origins.some((o) => o.kind === 'any')) {
      ctx.fail(element, "The '*' origin cannot be used when allow-credentials is true; list the allowed origins instead.");
    }

    return (gw) => {
      if (gw.slot(applied)) return;
      const originHeader = gw.request.headers.get('Origin');
      if (originHeader === undefined) {
        // Azure's own trace line for this case.
        if (gw.requestTrace) gw.traceStep('cors', 'Origin header was missing or empty and the request was classified as not cross-domain. CORS policy was not applied.');
        return;
      }
      if (gw.requestTrace) gw.traceStep('cors', { message: 'Cross-domain request; CORS policy was applied.', origin: originHeader, preflight: isCorsPreflight(gw) });
      const credentials = allowCredentials.get(gw);
      const matched = matchOrigin(settings, gw, originHeader);
      // Browsers refuse `*` on credentialed requests, so the request's own origin is echoed.
      const origin = matched === '*' && credentials ? originHeader.trim() : matched;
      if (isCorsPreflight(gw)) {
        if (origin !== undefined && preflightAllowed(settings, gw)) {
          gw.setSlot(applied, true);
          answerPreflight(gw, settings, origin, credentials);
        } else if (terminate.get(gw)) {
          gw.setSlot(applied, true);
          answerEmpty(gw);
        }
        return;
      }
      if (origin !== undefined) {
        gw.setSlot(applied, true);
        const expose = settings.exposeHeaders.map((h) => h.get(gw).trim()).filter((h) => h !== '');
        gw.beforeRespond.push((done) => addActualHeaders(done.response.headers, origin, credentials, expose));
        return;
      }
      const method = gw.request.method.toUpperCase();
      if ((method === 'GET' || method === 'HEAD') && terminate.get(gw)) {
        gw.setSlot(applied, true);
        answerEmpty(gw);
      }
    };
  },
};

/**
 * The Access-Control-Allow-Origin value for a request origin (`*` or the origin as sent), or
 * undefined when the policy does not allow it.
 */
function matchOrigin(settings: CorsSettings, gw: GatewayContext, originHeader: string): string | undefined {
  const requested = parseOrigin(originHeader);
  for (const rule of settings.origins) {
    if (rule.kind === 'any') return '*';
    if (!requested) continue;
    if (rule.kind === 'origin' && sameOrigin(rule.origin, requested)) return originHeader.trim();
    if (rule.kind === 'dynamic') {
      const text = rule.value.get(gw).trim();
      if (text === '*') return '*';
      const configured = parseOrigin(text);
      if (configured && sameOrigin(configured, requested)) return originHeader.trim();
    }
  }
  return undefined;
}

/** True when the requested method and every requested header are allowed. */
function preflightAllowed(settings: CorsSettings, gw: GatewayContext): boolean {
  const method = (gw.request.headers.get('Access-Control-Request-Method') ?? '').trim().toUpperCase();
  const methods = settings.methods.map((m) => m.get(gw));
  if (!methods.includes('*') && !methods.includes(method)) return false;
  const allowed = new Set(settings.headers.map((h) => h.get(gw).trim().toLowerCase()));
  if (allowed.has('*')) return true;
  return requestedHeaders(gw).every((h) => allowed.has(h.toLowerCase()));
}

function requestedHeaders(gw: GatewayContext): string[] {
  return (gw.request.headers.get('Access-Control-Request-Headers') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
}

function answerPreflight(gw: GatewayContext, settings: CorsSettings, origin: string, credentials: boolean): void {
  const headers = new HeaderMap();
  headers.set('Access-Control-Allow-Origin', origin);
  if (credentials) headers.set('Access-Control-Allow-Credentials', 'true');
  headers.set('Access-Control-Allow-Methods', (gw.request.headers.get('Access-Control-Request-Method') ?? '').trim());
  const requested = requestedHeaders(gw);
  if (requested.length > 0) headers.set('Access-Control-Allow-Headers', requested.join(','));
  if (settings.maxAgeGiven) headers.set('Access-Control-Max-Age', String(settings.maxAge.get(gw)));
  if (origin !== '*') headers.set('Vary', 'Origin');
  gw.response = { statusCode: 200, statusReason: 'OK', headers, body: MessageBody.empty() };
  gw.responded = true;
}

/** Azure's answer to an unmatched CORS request when terminate-unmatched-request is true. */
function answerEmpty(gw: GatewayContext): void {
  gw.response = { statusCode: 200, statusReason: 'OK', headers: new HeaderMap(), body: MessageBody.empty() };
  gw.responded = true;
}

function addActualHeaders(headers: HeaderMap, origin: string, credentials: boolean, expose: readonly string[]): void {
  headers.set('Access-Control-Allow-Origin', origin);
  if (credentials) headers.set('Access-Control-Allow-Credentials', 'true');
  else headers.delete('Access-Control-Allow-Credentials');
  if (expose.length > 0) headers.set('Access-Control-Expose-Headers', expose.join(','));
  if (origin !== '*') {
    // Caches must key the response by Origin because the header echoes it.
    const vary = headers.getAll('Vary').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
    if (!vary.some((v) => v === '*' || v.toLowerCase() === 'origin')) headers.set('Vary', [...vary, 'Origin'].join(', '));
  }
}
