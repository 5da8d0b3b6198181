/**
 * Azure's gateway health path: GET or HEAD `/status-0123456789abcdef` answers 200 with an empty
 * body, without a subscription key and before any API is matched, so load balancers and
 * Kubernetes probes can ask whether a gateway serves without knowing a key or an API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The path Azure API Management's gateways answer for health probes. */
export const healthProbePath = '/status-0123456789abcdef';

/** Answers the probe and returns true; false (nothing written) for any other request. */
export function answerHealthProbe(req: IncomingMessage, method: string, path: string, res: ServerResponse): boolean {
  if (path !== healthProbePath || (method !== 'GET' && method !== 'HEAD')) return false;
  req.resume();
  res.writeHead(200, 'OK', { 'Content-Length': '0' });
  res.end();
  return true;
}
