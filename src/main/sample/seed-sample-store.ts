/**
 * Puts the sample (sample-config.ts: the echo API, the starter product, the sample subscription)
 * into an empty store at first start, through the management REST API itself, so the sample is
 * validated and stored exactly as an operator's writes are. Later starts re-point the echo API
 * at the sample echo server, whose port changes from run to run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceConfig } from '../../model/resources.js';

/** The management API as the seeding needs it. */
export interface ManagementEndpoint {
  /** Base URL of the management API (HTTP, loopback). */
  url: string;
  token: string;
  serviceName: string;
}

const apiVersion = '2024-05-01';
const echoUrlFile = 'sample-echo-url';

/**
 * Writes the sample configuration's resources with PUT requests; throws on the first refusal.
 * The first API is created only if absent (`If-None-Match: *`): when several instances start
 * together on one new PostgreSQL store, the one that creates it seeds the sample and the
 * others leave it alone (false).
 */
export async function seedSampleStore(endpoint: ManagementEndpoint, sample: ServiceConfig): Promise<boolean> {
  let first = true;
  for (const api of sample.apis) {
    const created = await put(
      endpoint,
      `apis/${api.name}`,
      { displayName: api.displayName, path: api.path, serviceUrl: api.serviceUrl, protocols: api.protocols, subscriptionRequired: api.subscriptionRequired },
      first,
    );
    if (!created) return false;
    first = false;
    for (const op of api.operations) {
      await put(endpoint, `apis/${api.name}/operations/${op.name}`, { displayName: op.displayName, method: op.method, urlTemplate: op.urlTemplate });
    }
    if (api.policy) await put(endpoint, `apis/${api.name}/policies/policy`, { format: 'rawxml', value: api.policy.xml });
  }
  for (const product of sample.products) {
    await put(endpoint, `products/${product.name}`, {
      displayName: product.displayName,
      description: product.description,
      subscriptionRequired: product.subscriptionRequired,
      approvalRequired: product.approvalRequired,
      subscriptionsLimit: product.subscriptionsLimit,
      state: product.state,
    });
    for (const api of product.apis) await put(endpoint, `products/${product.name}/apis/${api}`, undefined);
    for (const group of product.groups) await put(endpoint, `products/${product.name}/groups/${group}`, undefined);
    if (product.policy) await put(endpoint, `products/${product.name}/policies/policy`, { format: 'rawxml', value: product.policy.xml });
  }
  for (const s of sample.subscriptions) {
    await put(endpoint, `subscriptions/${s.name}`, {
      displayName: s.displayName,
      scope: s.scope,
      primaryKey: s.primaryKey,
      secondaryKey: s.secondaryKey,
      state: s.state,
    });
  }
  return true;
}

/**
 * Records the sample echo server's URL of this run in the data folder and returns the previous
 * run's, so a restart can re-point the sample API that still uses it.
 */
export function swapEchoUrl(dataDir: string, current: string): string | undefined {
  const path = join(dataDir, echoUrlFile);
  const previous = existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
  writeFileSync(path, `${current}\n`);
  return previous;
}

/** Moves the API whose serviceUrl is `from` to `to` (a PATCH with the API's ETag); false when it has another URL or is gone. */
export async function repointApi(endpoint: ManagementEndpoint, api: string, from: string, to: string): Promise<boolean> {
  const res = await fetch(resourceUrl(endpoint, `apis/${api}`), { headers: headers(endpoint) });
  if (res.status !== 200) return false;
  const body = (await res.json()) as { properties?: { serviceUrl?: string } };
  if (body.properties?.serviceUrl !== from || from === to) return false;
  const patched = await fetch(resourceUrl(endpoint, `apis/${api}`), {
    method: 'PATCH',
    headers: { ...headers(endpoint), 'if-match': res.headers.get('etag') ?? '*', 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { serviceUrl: to } }),
  });
  if (!patched.ok) throw new Error(`re-pointing the sample API failed: ${patched.status} ${await patched.text()}`);
  return true;
}

/** PUTs one resource; with `onlyIfAbsent`, false when it already exists (412). */
async function put(endpoint: ManagementEndpoint, path: string, properties: Record<string, unknown> | undefined, onlyIfAbsent = false): Promise<boolean> {
  const res = await fetch(resourceUrl(endpoint, path), {
    method: 'PUT',
    headers: { ...headers(endpoint), 'content-type': 'application/json', ...(onlyIfAbsent ? { 'if-none-match': '*' } : {}) },
    body: JSON.stringify(properties === undefined ? {} : { properties }),
  });
  if (onlyIfAbsent && res.status === 412) {
    await res.arrayBuffer();
    return false;
  }
  if (!res.ok) throw new Error(`seeding the sample failed at ${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return true;
}

function headers(endpoint: ManagementEndpoint): Record<string, string> {
  return { authorization: `Bearer ${endpoint.token}` };
}

function resourceUrl(endpoint: ManagementEndpoint, path: string): string {
  const service = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/gatehouse/providers/Microsoft.ApiManagement/service/${endpoint.serviceName}`;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.url}${service}/${encoded}?api-version=${apiVersion}`;
}
