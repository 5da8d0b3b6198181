/**
 * Joining a backend's base path and an operation-relative path: one rule for the router's first
 * backend URL (gateway/backend-url.ts) and for the policies that re-base a request
 * (set-backend-service, rewrite-uri), so re-basing never changes a path's shape.
 */

/** Joins a base path and an operation-relative path with exactly one slash between them (`/api/10.4/` + `/partners/15`). */
export function joinBackendPath(basePath: string, rest: string): string {
  if (rest === '') return basePath === '' ? '/' : basePath;
  const trimmedBase = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  return trimmedBase + (rest.startsWith('/') ? rest : '/' + rest);
}
