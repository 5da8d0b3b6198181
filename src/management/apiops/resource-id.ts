/** Helpers for ARM resource ids as they appear in exported files. */

/** The last non-empty segment of an id: `/subscriptions/…/apiVersionSets/vs1` → `vs1`. */
export function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}
