/** The check of the absolute URLs policies call (send-request `set-url`, `proxy` `url`). */

/** Why a request URL is unusable: it must be absolute http or https. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `'${text}' is not an absolute URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `'${text}' is not an http or https URL.`;
  return undefined;
}
