/**
 * The sample a newcomer gets from `npm start` without `--config`: an "echo" API in front of the
 * sample echo backend, a "starter" product and one subscription whose keys are generated once
 * and kept in the data folder, so the key printed at start stays valid across restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation, ServiceConfig } from '../../model/resources.js';
import { emptyServiceConfig } from '../../model/resources.js';

export interface SampleKeys {
  primaryKey: string;
  secondaryKey: string;
}

const keysFile = 'sample-subscription.json';

/** Reads the sample subscription keys from the data folder, creating them on first use. */
export function sampleKeys(dataDir: string): SampleKeys {
  const path = join(dataDir, keysFile);
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<SampleKeys>;
    if (typeof stored.primaryKey === 'string' && typeof stored.secondaryKey === 'string') {
      return { primaryKey: stored.primaryKey, secondaryKey: stored.secondaryKey };
    }
    throw new Error(`${path} is not a valid sample key file; delete it to generate new keys.`);
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = { primaryKey: randomBytes(16).toString('hex'), secondaryKey: randomBytes(16).toString('hex') };
  writeFileSync(path, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return keys;
}

const echoOperations: Operation[] = [
  { name: 'retrieve-resource', displayName: 'Retrieve resource', method: 'GET', urlTemplate: '/resource' },
  { name: 'create-resource', displayName: 'Create resource', method: 'POST', urlTemplate: '/resource' },
  { name: 'modify-resource', displayName: 'Modify resource', method: 'PUT', urlTemplate: '/resource' },
  { name: 'remove-resource', displayName: 'Remove resource', method: 'DELETE', urlTemplate: '/resource' },
  { name: 'retrieve-header-only', displayName: 'Retrieve header only', method: 'HEAD', urlTemplate: '/resource' },
  ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((method) => ({
    name: `${method.toLowerCase()}-anything`,
    displayName: `${method} anything`,
    method,
    urlTemplate: '/*',
  })),
];

/** The sample service configuration, forwarding to the echo backend at `backendUrl`. */
export function sampleConfig(serviceName: string, backendUrl: string, keys: SampleKeys): ServiceConfig {
  const config = emptyServiceConfig(serviceName);
  config.apis.push({
    name: 'echo-api',
    displayName: 'Echo API',
    path: 'echo',
    serviceUrl: backendUrl,
    protocols: ['http', 'https'],
    subscriptionRequired: true,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: echoOperations,
    policy: {
      source: 'sample echo-api policy',
      xml: `<policies>
  <inbound>
    <base />
    <set-header name="X-Request-Id" exists-action="skip"><value>@(context.RequestId.ToString())</value></set-header>
  </inbound>
  <backend><base /></backend>
  <outbound>
    <base />
    <set-header name="X-Served-By" exists-action="override"><value>Gatehouse</value></set-header>
  </outbound>
  <on-error><base /></on-error>
</policies>`,
    },
  });
  config.products.push({
    name: 'starter',
    displayName: 'Starter',
    description: 'Sample product: the echo API, 100 calls a minute per subscription.',
    subscriptionRequired: true,
    approvalRequired: false,
    state: 'published',
    apis: ['echo-api'],
    // Shown to visitors of the developer portal too, so a newcomer's portal is not empty.
    groups: ['guests', 'developers'],
    policy: {
      source: 'sample starter product policy',
      xml: `<policies>
  <inbound>
    <base />
    <rate-limit calls="100" renewal-period="60" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`,
    },
  });
  // A second product for the portal's subscribe flow: a developer asks, the administrator approves.
  config.products.push({
    name: 'unlimited',
    displayName: 'Unlimited',
    description: 'Sample product: the echo API without a rate limit; subscriptions need the administrator\'s approval.',
    subscriptionRequired: true,
    approvalRequired: true,
    subscriptionsLimit: 1,
    state: 'published',
    apis: ['echo-api'],
    groups: ['developers'],
  });
  config.subscriptions.push({
    name: 'sample',
    displayName: 'Sample subscription',
    scope: '/products/starter',
    primaryKey: keys.primaryKey,
    secondaryKey: keys.secondaryKey,
    state: 'active',
  });
  return config;
}
