/**
 * Subscription keys (reference §1.4, bodies §1.5) through a real `gatehouse start` process and
 * the real echo backend: where the key is read (header, query, header first, per-API names),
 * scopes (product, API, all APIs, all-access), states, primary and secondary keys, open products
 * and open APIs, and the product context: each product policy sets `X-Product`, so the backend
 * shows whether a request ran in a product's context.
 */
import { apiInformation, openApi, writeApiopsFolder, type FolderContent } from './helpers/apiops-writer.js';
import {
  describeGatewayTable,
  inboundPolicy,
  invalidKey,
  missingKey,
  setHeader,
  type GatewayRow,
} from './helpers/routing-keys-config.js';

/** Subscription keys written into the folder (the extractor never exports keys; tests pin them). */
const key = {
  goldPrimary: 'gold-primary-0123456789abcdef',
  goldSecondary: 'gold-secondary-0123456789abcdef',
  silver: 'silver-primary-0123456789abcdef',
  alphaApi: 'alpha-api-0123456789abcdef',
  allApis: 'all-apis-0123456789abcdef',
  allAccess: 'all-access-0123456789abcdef',
  pastExpiry: 'past-expiry-0123456789abcdef',
  suspended: 'suspended-0123456789abcdef',
  submitted: 'submitted-0123456789abcdef',
  expired: 'expired-0123456789abcdef',
  cancelled: 'cancelled-0123456789abcdef',
  rejected: 'rejected-0123456789abcdef',
  unknown: 'no-such-key-0123456789abcdef',
};

function api(name: string, backend: string, info: Record<string, unknown>): FolderContent {
  return {
    [`apis/${name}/apiInformation.json`]: apiInformation({ path: name, serviceUrl: `${backend}/${name}`, ...info }),
    [`apis/${name}/specification.json`]: openApi([{ method: 'GET', path: '/ping', operationId: 'ping' }]),
  };
}

/** A product whose policy sets `X-Product: <name>`, linked to `apis`. */
function product(name: string, apis: string[], info: Record<string, unknown> = {}): FolderContent {
  const files: FolderContent = {
    [`products/${name}/productInformation.json`]: { properties: { displayName: name, state: 'published', subscriptionRequired: true, ...info } },
    [`products/${name}/policy.xml`]: inboundPolicy(setHeader('X-Product', name)),
  };
  for (const a of apis) files[`products/${name}/apis/${a}/productApiInformation.json`] = { properties: { apiId: `/apis/${a}` } };
  return files;
}

function subscription(name: string, scope: string, state: string, primaryKey: string, extra: Record<string, unknown> = {}): FolderContent {
  return {
    [`subscriptions/${name}/subscriptionInformation.json`]: {
      properties: { displayName: name, scope, state, primaryKey, secondaryKey: `${primaryKey}-2nd`, ...extra },
    },
  };
}

function configFolder(backend: string): string {
  return writeApiopsFolder({
    ...api('alpha', backend, { subscriptionRequired: true }),
    ...api('beta', backend, { subscriptionRequired: true }),
    ...api('custom', backend, { subscriptionRequired: true, subscriptionKeyParameterNames: { header: 'X-Api-Key', query: 'api-key' } }),
    ...api('openapi', backend, { subscriptionRequired: false }),
    ...api('openprod', backend, { subscriptionRequired: true }),
    ...product('gold', ['alpha', 'custom']),
    ...product('silver', ['beta']),
    ...product('free', ['openprod'], { subscriptionRequired: false }),
    'subscriptions/gold/subscriptionInformation.json': {
      properties: { displayName: 'gold', scope: '/products/gold', state: 'active', primaryKey: key.goldPrimary, secondaryKey: key.goldSecondary },
    },
    ...subscription('silver', '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/gh/products/silver', 'active', key.silver),
    ...subscription('alpha-only', '/apis/alpha', 'active', key.alphaApi),
    ...subscription('all-apis', '/apis', 'active', key.allApis),
    ...subscription('master', '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/gh', 'active', key.allAccess),
    // Dates are for audit only: an active subscription past its expirationDate still works.
    ...subscription('past-expiry', '/products/gold', 'active', key.pastExpiry, { expirationDate: '2001-01-01T00:00:00Z' }),
    ...subscription('suspended', '/products/gold', 'suspended', key.suspended),
    ...subscription('submitted', '/products/gold', 'submitted', key.submitted),
    ...subscription('expired', '/products/gold', 'expired', key.expired),
    ...subscription('cancelled', '/products/gold', 'cancelled', key.cancelled),
    ...subscription('rejected', '/products/gold', 'rejected', key.rejected),
  });
}

const header = (k: string) => ({ 'Ocp-Apim-Subscription-Key': k });
const inProduct = (name: string) => ({ 'X-Product': name });
const noProduct = { 'X-Product': null };

const rows: GatewayRow[] = [
  // Where the key is read.
  { name: 'no key on an API that requires one: 401 missing', request: { path: '/alpha/ping' }, status: 401, body: missingKey },
  {
    name: 'key in Ocp-Apim-Subscription-Key header (product key: product context), header forwarded',
    request: { path: '/alpha/ping', headers: header(key.goldPrimary) },
    status: 200,
    backend: { path: '/alpha/ping', headers: { ...inProduct('gold'), 'Ocp-Apim-Subscription-Key': key.goldPrimary } },
  },
  {
    name: 'key in subscription-key query, forwarded to the backend',
    request: { path: `/alpha/ping?subscription-key=${key.goldPrimary}` },
    status: 200,
    backend: { path: '/alpha/ping', query: { 'subscription-key': [key.goldPrimary] }, headers: inProduct('gold') },
  },
  {
    name: 'header wins: valid header + invalid query: OK',
    request: { path: `/alpha/ping?subscription-key=${key.unknown}`, headers: header(key.goldPrimary) },
    status: 200,
    backend: { path: '/alpha/ping', query: { 'subscription-key': [key.unknown] }, headers: inProduct('gold') },
  },
  { name: 'header wins: invalid header + valid query: 401 invalid', request: { path: `/alpha/ping?subscription-key=${key.goldPrimary}`, headers: header(key.unknown) }, status: 401, body: invalidKey },
  { name: 'empty header counts as no key: the query key is read', request: { path: `/alpha/ping?subscription-key=${key.goldPrimary}`, headers: header('') }, status: 200, backend: { path: '/alpha/ping', query: { 'subscription-key': [key.goldPrimary] }, headers: { ...inProduct('gold'), 'Ocp-Apim-Subscription-Key': '' } } },
  { name: 'query parameter name is exact: Subscription-Key is no key', request: { path: `/alpha/ping?Subscription-Key=${key.goldPrimary}` }, status: 401, body: missingKey },
  { name: 'unknown key: 401 invalid', request: { path: '/alpha/ping', headers: header(key.unknown) }, status: 401, body: invalidKey },
  { name: 'keys compare exactly (upper-cased key is invalid)', request: { path: '/alpha/ping', headers: header(key.goldPrimary.toUpperCase()) }, status: 401, body: invalidKey },
  { name: 'secondary key works like the primary', request: { path: '/alpha/ping', headers: header(key.goldSecondary) }, status: 200, backend: { path: '/alpha/ping', headers: inProduct('gold') } },

  // Per-API names (subscriptionKeyParameterNames).
  { name: 'custom header name X-Api-Key', request: { path: '/custom/ping', headers: { 'X-Api-Key': key.goldPrimary } }, status: 200, backend: { path: '/custom/ping', headers: inProduct('gold') } },
  { name: 'custom query name api-key', request: { path: `/custom/ping?api-key=${key.goldPrimary}` }, status: 200, backend: { path: '/custom/ping', query: { 'api-key': [key.goldPrimary] }, headers: inProduct('gold') } },
  { name: 'custom names: the default header is not read (401 missing)', request: { path: '/custom/ping', headers: header(key.goldPrimary) }, status: 401, body: missingKey },
  { name: 'custom names: the default query is not read (401 missing)', request: { path: `/custom/ping?subscription-key=${key.goldPrimary}` }, status: 401, body: missingKey },
  { name: 'custom names: invalid key in the custom header: 401 invalid', request: { path: '/custom/ping', headers: { 'X-Api-Key': key.unknown } }, status: 401, body: invalidKey },

  // Scopes.
  { name: '/products/{id}: product does not contain the API: 401 invalid', request: { path: '/alpha/ping', headers: header(key.silver) }, status: 401, body: invalidKey },
  { name: '/products/{id} as a full ARM id: product contains the API, its policy applies', request: { path: '/beta/ping', headers: header(key.silver) }, status: 200, backend: { path: '/beta/ping', headers: inProduct('silver') } },
  { name: '/apis/{id}: that API, without product context (gold policy not applied)', request: { path: '/alpha/ping', headers: header(key.alphaApi) }, status: 200, backend: { path: '/alpha/ping', headers: noProduct } },
  { name: '/apis/{id}: another API: 401 invalid', request: { path: '/beta/ping', headers: header(key.alphaApi) }, status: 401, body: invalidKey },
  { name: '/apis (all APIs): alpha, without product context', request: { path: '/alpha/ping', headers: header(key.allApis) }, status: 200, backend: { path: '/alpha/ping', headers: noProduct } },
  { name: '/apis (all APIs): beta, without product context', request: { path: '/beta/ping', headers: header(key.allApis) }, status: 200, backend: { path: '/beta/ping', headers: noProduct } },
  { name: 'all-access (service scope): any API, without product context', request: { path: '/custom/ping', headers: { 'X-Api-Key': key.allAccess } }, status: 200, backend: { path: '/custom/ping', headers: noProduct } },
  { name: 'all-access secondary key', request: { path: '/beta/ping', headers: header(`${key.allAccess}-2nd`) }, status: 200, backend: { path: '/beta/ping', headers: noProduct } },

  // States: only active grants access; dates are audit only.
  { name: 'active with an expirationDate in the past still works', request: { path: '/alpha/ping', headers: header(key.pastExpiry) }, status: 200, backend: { path: '/alpha/ping', headers: inProduct('gold') } },
  { name: 'suspended: 401 invalid', request: { path: '/alpha/ping', headers: header(key.suspended) }, status: 401, body: invalidKey },
  { name: 'submitted: 401 invalid', request: { path: '/alpha/ping', headers: header(key.submitted) }, status: 401, body: invalidKey },
  { name: 'expired: 401 invalid', request: { path: '/alpha/ping', headers: header(key.expired) }, status: 401, body: invalidKey },
  { name: 'cancelled: 401 invalid', request: { path: '/alpha/ping', headers: header(key.cancelled) }, status: 401, body: invalidKey },
  { name: 'rejected: 401 invalid', request: { path: '/alpha/ping', headers: header(`${key.rejected}-2nd`) }, status: 401, body: invalidKey },

  // Without a key: open product, then open API.
  { name: 'open product (subscriptionRequired=false) without key: product context', request: { path: '/openprod/ping' }, status: 200, backend: { path: '/openprod/ping', headers: inProduct('free') } },
  { name: 'open product with an all-APIs key: the key decides, no product context', request: { path: '/openprod/ping', headers: header(key.allApis) }, status: 200, backend: { path: '/openprod/ping', headers: noProduct } },
  { name: 'open product with a key of another product: 401 invalid (never ignored)', request: { path: '/openprod/ping', headers: header(key.goldPrimary) }, status: 401, body: invalidKey },
  { name: 'API with subscriptionRequired=false without key: API context, no product', request: { path: '/openapi/ping' }, status: 200, backend: { path: '/openapi/ping', headers: noProduct } },
  { name: 'open API with a valid all-access key: OK', request: { path: '/openapi/ping', headers: header(key.allAccess) }, status: 200, backend: { path: '/openapi/ping', headers: noProduct } },
  { name: 'open API with an unknown key: 401 invalid', request: { path: '/openapi/ping', headers: header(key.unknown) }, status: 401, body: invalidKey },
];

describeGatewayTable('gateway subscription keys (reference §1.4–1.5), real process and backend', rows, configFolder);
