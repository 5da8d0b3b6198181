/** URL templates as APIM writes them (reference §1.3): `/users/{id}/orders?status={status}`. */

/** The parameter names used in a URL template, path part first, in order (`{*rest}` → `rest`). */
export function templateParameterNames(urlTemplate: string): string[] {
  const names: string[] = [];
  for (const m of urlTemplate.matchAll(/\{\*?([^{}]*)\}/g)) {
    const name = m[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Appends `?a={a}&b={b}` (or `&…` when the template already has a query) for the given names. */
export function withQueryTemplate(path: string, names: readonly string[]): string {
  if (names.length === 0) return path;
  const query = names.map((n) => `${n}={${n}}`).join('&');
  return path + (path.includes('?') ? '&' : '?') + query;
}
