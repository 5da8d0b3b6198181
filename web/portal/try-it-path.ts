/**
 * The path the try-it console calls on the gateway: the API's path, then the operation's URL
 * template with its `{parameters}` filled in (each value percent-encoded, so a value cannot add
 * segments or a query), a trailing `*` by the free path the developer wrote, and the query
 * parameters the developer filled (those left empty are not sent).
 */

export interface TryItPathValues {
  /** Template parameters by name. */
  template: Record<string, string>;
  /** What stands for the template's `*` (the rest of the path, segments kept). */
  wildcard: string;
  /** Query parameters, in order; empty values are left out. */
  query: Array<[string, string]>;
}

/** The names of the `{parameters}` in a URL template, in order, once each. */
export function templateParameterNames(urlTemplate: string): string[] {
  const names: string[] = [];
  for (const match of urlTemplate.matchAll(/\{([^{}]+)\}/g)) if (!names.includes(match[1]!)) names.push(match[1]!);
  return names;
}

/** Whether the template's path ends in `*` (any rest of the path). */
export function hasWildcard(urlTemplate: string): boolean {
  return /\*$/.test(urlTemplate.split('?')[0]!);
}

export function tryItPath(apiPath: string, urlTemplate: string, values: TryItPathValues): string {
  const [templatePath = '', templateQuery = ''] = splitOnce(urlTemplate, '?');
  const fill = (text: string) => text.replace(/\{([^{}]+)\}/g, (_all, name: string) => encodeURIComponent(values.template[name] ?? ''));
  let path = fill(templatePath);
  if (hasWildcard(urlTemplate)) path = path.slice(0, -1) + values.wildcard.replace(/^\/+/, '').split('/').map(encodeSegment).join('/');
  const base = apiPath.replace(/^\/+|\/+$/g, '');
  const full = `/${base}${base && path && !path.startsWith('/') ? '/' : ''}${path}`.replace(/^\/\/+/, '/');
  const query = [fill(templateQuery), ...values.query.filter(([, value]) => value !== '').map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)].filter((part) => part !== '');
  return query.length > 0 ? `${full}?${query.join('&')}` : full;
}

/** A path segment as written, percent-encoding only what a segment cannot hold. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(2[146-9ABC]|3[ABD]|40)/gi, (encoded) => decodeURIComponent(encoded));
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
