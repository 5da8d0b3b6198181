/**
 * Reading ARM ids the management API answers: the last segment (a resource's name) and the part
 * below the service (`/products/starter`), which is how the console shows owners and scopes.
 */

/** The last segment of an ARM id ('' for none). */
export function lastSegment(id: string | undefined): string {
  return id ? id.slice(id.lastIndexOf('/') + 1) : '';
}

/** An id relative to the service (`/products/starter`), '/' for the service itself. */
export function serviceRelative(id: string | undefined): string {
  if (!id) return '';
  const m = /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+(\/.*)?$/i.exec(id);
  if (!m) return id;
  return m[1] ?? '/';
}

