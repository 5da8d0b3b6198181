/**
 * The base URLs options name (the Entra authority, a self-hosted gateway's management API): an
 * http:// or https:// URL without credentials, query or fragment, written without a trailing
 * slash so paths can be appended.
 */

/** `text` as such a base URL, or undefined when it is not one. */
export function baseHttpUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  return url.toString().replace(/\/+$/, '');
}
