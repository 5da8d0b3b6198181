/**
 * The per-policy case's configuration, built in memory: the empty API (and a keyed twin), one
 * API per measured row with the row's policies added to the empty document (or, for keyed rows,
 * to its product's), the fragment include-fragment names, and a subscription per product.
 */
import { emptyServiceConfig, type Api, type Operation, type Product, type ServiceConfig, type Subscription } from '../../src/model/resources.js';
import { CHAT_SCHEMA, type CostSections, type PolicyCostRow } from './policy-cost-cases.js';

export const EMPTY_API = 'cost-empty';
export const EMPTY_KEYED_API = 'cost-empty-keyed';

/** The primary key of the subscription to product `product` (the keyed rows' and the empty product's). */
export function productKey(product: string): string {
  return `key-${product}`.padEnd(32, '0');
}

/** The document of a row: the empty pipeline (`<base />` in every section) plus the row's policies. */
export function policyDocument(sections: CostSections): string {
  return `<policies>
  <inbound><base />${sections.inbound ?? ''}</inbound>
  <backend>${sections.backend ?? '<base />'}</backend>
  <outbound><base />${sections.outbound ?? ''}</outbound>
  <on-error><base /></on-error>
</policies>`;
}

/** The path segment under which a row's API (or an empty one) is served. */
export const apiPathOf = (apiName: string): string => `cost/${apiName}`;

const chatAnswer = { contentType: 'application/json', schema: { type: 'object', properties: { id: { type: 'string' } } } };
const operations: Operation[] = [
  {
    name: 'chat',
    displayName: 'POST /chat/completions',
    method: 'POST',
    urlTemplate: '/chat/completions',
    request: { representations: [{ contentType: 'application/json', schema: CHAT_SCHEMA }] },
    responses: [{ statusCode: 200, description: 'OK', representations: [chatAnswer] }],
  },
  {
    name: 'chat-get',
    displayName: 'GET /chat/completions',
    method: 'GET',
    urlTemplate: '/chat/completions',
    responses: [{ statusCode: 200, description: 'OK', representations: [chatAnswer] }],
  },
];

function product(name: string, api: string, sections: CostSections): Product {
  return { name, displayName: name, subscriptionRequired: true, state: 'published', apis: [api], groups: [], policy: { xml: policyDocument(sections), source: `products/${name}/policy.xml` } };
}

function subscription(productName: string): Subscription {
  const key = productKey(productName);
  return { name: productName, displayName: productName, scope: `/products/${productName}`, primaryKey: key, secondaryKey: `${key.slice(0, -1)}2`, state: 'active' };
}

function api(name: string, backendUrl: string, keyed: boolean, sections: CostSections): Api {
  return {
    name,
    displayName: name,
    path: apiPathOf(name),
    serviceUrl: backendUrl,
    protocols: ['http', 'https'],
    subscriptionRequired: keyed,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations,
    policy: { xml: policyDocument(sections), source: `apis/${name}/policy.xml` },
  };
}

export function policyCostConfig(rows: readonly PolicyCostRow[], backendUrl: string): ServiceConfig {
  const config = emptyServiceConfig('gatehouse');
  const keyed = rows.filter((r) => r.keyed === true);
  config.apis = [api(EMPTY_API, backendUrl, false, {}), api(EMPTY_KEYED_API, backendUrl, true, {}), ...rows.map((r) => api(`cost-${r.id}`, backendUrl, r.keyed === true, r.keyed ? {} : r.sections))];
  config.products = [product(EMPTY_API, EMPTY_KEYED_API, {}), ...keyed.map((r) => product(`cost-${r.id}`, `cost-${r.id}`, r.sections))];
  config.subscriptions = config.products.map((p) => subscription(p.name));
  config.policyFragments = [{ name: 'bench-fragment', policy: { xml: '<fragment><set-header name="x-fragment" exists-action="override"><value>1</value></set-header></fragment>', source: 'policyFragments/bench-fragment.xml' } }];
  return config;
}
