/**
 * CORS origins as the cors policy compares them: scheme, host and port, with the default port
 * of the scheme filled in (reference §3 cors: "default ports 80/443"); any path is ignored, so
 * `http://localhost:8080/` as written in Azure's own example matches `http://localhost:8080`.
 */

export interface Origin {
  scheme: string;
  host: string;
  port: number;
}

/** Parses an origin or origin-like URI; undefined for `null`, opaque or malformed origins. */
export function parseOrigin(text: string): Origin | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (url.hostname === '') return undefined;
  const port = url.port !== '' ? Number(url.port) : defaultPort(scheme);
  if (port === undefined) return undefined;
  return { scheme, host: url.hostname.toLowerCase(), port };
}

/** True when two origins are the same scheme, host and port. */
export function sameOrigin(a: Origin, b: Origin): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

function defaultPort(scheme: string): number | undefined {
  if (scheme === 'http' || scheme === 'ws') return 80;
  if (scheme === 'https' || scheme === 'wss') return 443;
  return undefined;
}
