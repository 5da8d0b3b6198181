/**
 * `GET /metrics` on the management listeners (docs/observability.md): Prometheus text for a
 * scraper holding the admin token (`Authorization: Bearer …`, checked like every management
 * request, with ARM's error bodies), or for the admin console's signed-in session (GET and HEAD
 * only, without an Authorization header: the dashboard and backends pages read it). Routed before
 * the ARM handler, which never sees the path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArmError } from '../management/arm/arm-error.js';
import { checkBearerToken } from '../management/arm/bearer-auth.js';
import { armErrorResponse, sendArmResponse } from '../management/arm/management-handler.js';
import type { MetricsSource } from './metrics-source.js';

/** True for a request to the metrics path (any method; the query string is ignored). */
export function isMetricsRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return url === '/metrics' || url.startsWith('/metrics?');
}

/**
 * Answers a metrics request; `source` is null while the metrics are off (`--metrics off`).
 * `consoleSignedIn` says whether the request carries a signed-in admin console session.
 */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  adminToken: string,
  source: MetricsSource | null,
  consoleSignedIn: (req: IncomingMessage) => boolean = () => false,
): Promise<void> {
  req.resume();
  try {
    const reads = req.method === 'GET' || req.method === 'HEAD';
    // An Authorization header is judged by its token alone, as on the ARM paths.
    const bySession = reads && req.headers.authorization === undefined && consoleSignedIn(req);
    if (!bySession) checkBearerToken(req.headers.authorization, adminToken);
    if (!reads) {
      throw new ArmError(405, 'MethodNotAllowed', `The metrics endpoint answers GET, not ${req.method}.`);
    }
    if (!source) throw new ArmError(404, 'NotFound', 'Metrics are off (--metrics off).');
    let text: string;
    try {
      text = await source.text();
    } catch (err) {
      throw new ArmError(503, 'MetricsUnavailable', `The gateway's metrics could not be collected: ${(err as Error).message}`);
    }
    res.writeHead(200, { 'content-type': source.contentType, 'content-length': String(Buffer.byteLength(text)) });
    res.end(req.method === 'HEAD' ? undefined : text);
  } catch (err) {
    // Refusals read like every other management answer (the 401's WWW-Authenticate included).
    const response = armErrorResponse(err);
    if (response.status === 405) response.headers.allow = 'GET, HEAD';
    sendArmResponse(req, res, response);
  }
}
