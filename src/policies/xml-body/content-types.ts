/**
 * Which media types count as JSON and XML for the conversion policies and set-body's Liquid
 * `body` (Microsoft: "application/json, text/json (or any type ending with +json)", and
 * "application/xml, text/xml (or any type ending with +xml)").
 */

/** The media type of a Content-Type value, lower-cased, without parameters. */
function mediaType(value: string): string {
  return value.split(';')[0]!.trim().toLowerCase();
}

/** True for application/json, text/json and `…+json`. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = mediaType(contentType);
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/** True for application/xml, text/xml and `…+xml`. */
export function isXmlMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = mediaType(contentType);
  return type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');
}

/** True when an Accept header lists a media type `matches` accepts (quality 0 excluded). */
export function acceptRequests(accept: string | undefined, matches: (type: string) => boolean): boolean {
  if (accept === undefined) return false;
  for (const item of accept.split(',')) {
    const [type, ...params] = item.split(';');
    if (params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p))) continue;
    if (type !== undefined && matches(type)) return true;
  }
  return false;
}
