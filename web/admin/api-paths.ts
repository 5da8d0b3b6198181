/**
 * ARM paths of an API and its parts, relative to the service: the API (or one of its
 * revisions, `name;rev=N`), its base name without the revision, and its operations.
 */

/** The API's name without `;rev=N`. */
export function baseApiName(api: string): string {
  const i = api.indexOf(';rev=');
  return i === -1 ? api : api.slice(0, i);
}

/** `/apis/{name}` for an API or revision name. */
export function apiPath(api: string): string {
  return `/apis/${encodeURIComponent(api)}`;
}

/** A reference to an API or revision in a request body (`sourceApiId`, a release's `apiId`): not URL-encoded. */
export function apiReference(api: string): string {
  return `/apis/${api}`;
}

/** `/apis/{name}/operations/{operation}`. */
export function operationPath(api: string, operation: string): string {
  return `${apiPath(api)}/operations/${encodeURIComponent(operation)}`;
}

/** The If-Match that writes whatever version is stored: the console shows the server's answer after every change. */
export const anyVersion = { 'if-match': '*' };
