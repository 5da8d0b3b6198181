/**
 * Sends a try-it call through the portal server (`POST /portal-api/try`, src/portal/try-it-relay.ts),
 * which makes it on the gateway; with the session's CSRF token when signed in.
 */
import { jsonRequest, readAnswer } from '../shared/arm-answer.js';

/** What the console asks the portal to call: `path` is the path and query below the gateway. (The server's own definition is in src/portal/try-it-relay.ts, which the browser code may not import.) */
export type TryItRequest = { method: string; path: string; headers: Array<[string, string]>; body?: string };

/** The gateway's answer as the portal passes it on; `truncated` when the body was cut. */
export type TryItAnswer = { status: number; statusText: string; headers: Array<[string, string]>; body: string; truncated: boolean };

export async function sendTryIt(request: TryItRequest, csrfToken: string | undefined): Promise<TryItAnswer> {
  return readAnswer<TryItAnswer>(await fetch('/portal-api/try', jsonRequest('POST', request, csrfToken)));
}

let gateway: Promise<string> | undefined;

/** The gateway's URL, as the portal's session answer names it (for showing the full URL a call went to). */
export function gatewayUrl(): Promise<string> {
  gateway ??= fetch('/portal-api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((response) => readAnswer<{ gatewayUrl?: string }>(response))
    .then((answer) => answer.gatewayUrl ?? '');
  gateway.catch(() => (gateway = undefined));
  return gateway;
}
