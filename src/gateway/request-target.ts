/**
 * The request target as the gateway routes it. HTTP/1.1 clients normally send the origin form
 * (`/echo/resource?x=1`), but a server must also accept the absolute form
 * (`http://gateway.example/echo/resource?x=1`, RFC 9112 §3.2.2), which proxies and some
 * clients send. Its scheme and authority are dropped and the path and query kept, so both forms
 * reach the same operation and pass through the same dot-segment checks.
 */

const absoluteForm = /^https?:\/\/[^/?#]*/i;

/** The origin-form target (`/path?query`) of `target`; other forms are returned unchanged. */
export function originFormTarget(target: string): string {
  const authority = absoluteForm.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
