/**
 * Two operations of one API clash when they have the same method and the same URL template up
 * to parameter names (case-insensitive); a greedy `{*name}` differs from a one-segment `{name}`.
 */

/** The key under which an operation's method and template must be unique within an API. */
export function operationRouteKey(method: string, urlTemplate: string): string {
  return `${method.toUpperCase()} ${urlTemplate.toLowerCase().replace(/\{\s*(\*?)[^}]*\}/g, '{$1}')}`;
}
