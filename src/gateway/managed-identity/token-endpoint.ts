/**
 * The two token endpoint protocols of Azure's managed identities: the Instance Metadata Service
 * of VMs and AKS (`GET …/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with
 * `Metadata: true`), and the local endpoint App Service and Container Apps announce in
 * `IDENTITY_ENDPOINT` (`?resource=…&api-version=2019-08-01` with `X-IDENTITY-HEADER:
 * $IDENTITY_HEADER`). Both answer `{ access_token, expires_on | expires_in, … }`.
 */
import { HeaderMap } from '../../pipeline/header-map.js';
import type { OutboundRequest } from '../../pipeline/gateway-context.js';
import { MessageBody } from '../../pipeline/message-body.js';

/** Where the gateway's managed identity tokens come from. */
export type ManagedIdentityEndpoint =
  | { protocol: 'imds'; url: string }
  | { protocol: 'app-service'; url: string; header: string }
  | { protocol: 'off' };

/** The Azure Instance Metadata Service's token URL, the default on a machine without IDENTITY_ENDPOINT. */
export const instanceMetadataTokenUrl = 'http://169.254.169.254/metadata/identity/oauth2/token';

/** A token and when it stops being valid (epoch milliseconds). */
export interface IssuedToken {
  accessToken: string;
  expiresAtMs: number;
}

/** The request for a token for `resource` as `clientId` (system-assigned when undefined). */
export function tokenRequest(endpoint: Exclude<ManagedIdentityEndpoint, { protocol: 'off' }>, resource: string, clientId: string | undefined, timeoutMs: number): OutboundRequest {
  const url = new URL(endpoint.url);
  const headers = new HeaderMap();
  if (endpoint.protocol === 'imds') {
    url.searchParams.set('api-version', '2018-02-01');
    url.searchParams.set('resource', resource);
    headers.set('Metadata', 'true');
  } else {
    url.searchParams.set('resource', resource);
    url.searchParams.set('api-version', '2019-08-01');
    headers.set('X-IDENTITY-HEADER', endpoint.header);
  }
  if (clientId !== undefined) url.searchParams.set('client_id', clientId);
  return { method: 'GET', url: url.toString(), headers, body: MessageBody.empty(), timeoutMs };
}

/** Reads a token answer; throws an Error saying what is wrong with it (never quoting the token). */
export function readTokenAnswer(status: number, text: string, nowMs: number): IssuedToken {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (status !== 200) {
    // IMDS: { error, error_description }; App Service: { statusCode, message }.
    const said = [fields.error, fields.error_description, fields.message].filter((v) => typeof v === 'string' && v !== '').join(': ');
    throw new Error(`The token endpoint answered ${status}${said ? ` (${said.slice(0, 500)})` : ''}.`);
  }
  const token = fields.access_token;
  if (typeof token !== 'string' || token === '') throw new Error('The token endpoint answered without an access_token.');
  const expiresAtMs = expiry(fields, nowMs);
  if (expiresAtMs === undefined) throw new Error('The token endpoint answered without a usable expires_on or expires_in.');
  return { accessToken: token, expiresAtMs };
}

/** `expires_on` (epoch seconds, as text or number) wins over `expires_in` (seconds from now). */
function expiry(fields: Record<string, unknown>, nowMs: number): number | undefined {
  const seconds = (value: unknown): number | undefined => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value.trim()) ? Number(value) : NaN;
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const on = seconds(fields.expires_on);
  if (on !== undefined) return on * 1000;
  const within = seconds(fields.expires_in);
  return within === undefined ? undefined : nowMs + within * 1000;
}
