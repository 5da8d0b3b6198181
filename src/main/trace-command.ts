/**
 * `gatehouse trace URL`: asks the running management API for a debug token for the API that
 * URL reaches (listDebugCredentials, with the admin token), sends the request with
 * `Apim-Debug-Authorization`, fetches the trace named by `Apim-Trace-Id` (listTrace) and prints
 * it: readably, section by section, or as JSON with `--json` (docs/tracing.md).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readCommandLine, UsageError } from './command-options.js';
import { ADMIN_TOKEN_FILE } from './admin-token.js';
import { traceCommand } from './trace-options.js';
import { formatTrace, type ListedTrace } from './trace-text.js';

/** How long each call may take. */
const callTimeoutMs = 30_000;
const armVersion = 'api-version=2024-05-01';

/** Runs `gatehouse trace` with the arguments after the command name; returns the exit code. */
export async function runTraceCommand(args: readonly string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const options = readCommandLine(traceCommand, args, env);
  const [target] = options.positionals as [string];
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`'${target}' is not a URL.`);
  }
  const management = (options.text('management-url') ?? 'http://127.0.0.1:8081').replace(/\/+$/, '');
  const token = options.text('admin-token') ?? (await readAdminToken(options.text('data') ?? '.gatehouse'));
  const service = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/gatehouse/providers/Microsoft.ApiManagement/service/${options.text('service-name') ?? 'gatehouse'}`;
  const gateway = options.text('gateway') ?? 'managed';
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${management}${service}/${path}${path.includes('?') ? '&' : '?'}${armVersion}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`the management API answered ${method} ${path} with ${res.status}: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };

  const apiName = options.text('api') ?? (await apiServing(url, call));
  const credentials = (await call('POST', `gateways/${encodeURIComponent(gateway)}/listDebugCredentials`, {
    credentialsExpireAfter: 'PT1M',
    apiId: `${service}/apis/${apiName}`,
    purposes: ['tracing'],
  })) as { token: string };
  const headers = new Headers();
  for (const line of options.list('header')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header '${line}' is not 'NAME: VALUE'.`);
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  headers.set('Apim-Debug-Authorization', credentials.token);
  const response = await fetch(url, { method: (options.text('method') ?? 'GET').toUpperCase(), headers, body: options.text('body'), signal: AbortSignal.timeout(callTimeoutMs) });
  await response.arrayBuffer();
  const traceId = response.headers.get('apim-trace-id');
  if (!traceId) {
    const why = response.headers.get('apim-debug-authorization-wrongapi') ? ` (the token is for API '${apiName}', which does not serve this URL)` : '';
    throw new Error(`the gateway answered ${response.status} without an Apim-Trace-Id header${why}.`);
  }
  const trace = (await call('POST', `gateways/${encodeURIComponent(gateway)}/listTrace`, { traceId })) as ListedTrace;
  if (options.switchOn('json')) {
    out(JSON.stringify(trace, null, 2));
    return 0;
  }
  out(`${response.status} ${response.statusText}  (API '${apiName}', trace ${traceId})`);
  for (const line of formatTrace(trace)) out(line);
  return 0;
}

async function readAdminToken(dataDir: string): Promise<string> {
  const path = join(resolve(dataDir), ADMIN_TOKEN_FILE);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    throw new UsageError(`no admin token: give --admin-token, or --data with the data folder of the running gatehouse (${path} cannot be read).`);
  }
}

/** The API whose path is the longest prefix of the URL's path (its name without a revision). */
async function apiServing(url: URL, call: (method: string, path: string) => Promise<unknown>): Promise<string> {
  const listed = (await call('GET', 'apis?$top=1000')) as { value: Array<{ name: string; properties: { path?: string } }> };
  const path = url.pathname.replace(/^\/+/, '');
  let best: { name: string; length: number } | undefined;
  for (const api of listed.value) {
    const prefix = (api.properties.path ?? '').replace(/^\/+|\/+$/g, '');
    const matches = prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
    if (matches && (!best || prefix.length > best.length)) best = { name: api.name.replace(/;rev=.*$/i, ''), length: prefix.length };
  }
  if (!best) throw new UsageError(`no API's path starts '${url.pathname}'; name the API with --api.`);
  return best.name;
}
