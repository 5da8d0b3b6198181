/**
 * The backend-bound URL: the API's serviceUrl + the operation-relative rest of the path + the
 * client's query (reference §1.3). Without a serviceUrl the request goes nowhere until a policy
 * (set-backend-service) chooses a backend; the URL then points at the gateway's own address.
 */
import { RequestUrl } from '../pipeline/request-url.js';

export interface BackendUrl {
  url: RequestUrl;
  base: RequestUrl | null;
}

/** Builds the backend URL for a matched request. */
export function buildBackendUrl(
  serviceUrl: string | undefined,
  remainingPath: string,
  rawQuery: string,
  originalUrl: RequestUrl,
): BackendUrl {
  if (!serviceUrl) {
    const url = originalUrl.clone();
    url.setRawQuery(rawQuery);
    return { url, base: null };
  }
  const base = RequestUrl.parse(serviceUrl);
  base.query = [];
  const url = new RequestUrl(base.scheme, base.host, base.port, joinBackendPath(base.path, remainingPath), []);
  url.setRawQuery(rawQuery);
  return { url, base };
}

/** Joins a base path and an operation-relative path with exactly one slash between them. */
export function joinBackendPath(basePath: string, rest: string): string {
  if (rest === '') return basePath === '' ? '/' : basePath;
  const trimmedBase = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  return trimmedBase + (rest.startsWith('/') ? rest : '/' + rest);
}
