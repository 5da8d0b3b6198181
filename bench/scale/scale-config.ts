/**
 * Builds the scale configuration (scale-shape.ts) in memory as the ServiceConfig the APIOps
 * loader would produce from scale-folder.ts's files, for measurements that start at the
 * snapshot build (no disk in the way).
 */
import { emptyServiceConfig, type Api, type Product, type ServiceConfig, type Subscription } from '../../src/model/resources.js';
import {
  OPERATIONS,
  apiName,
  apiPath,
  apiPolicyXml,
  operationName,
  productName,
  productOf,
  subscriptionKey,
  subscriptionName,
  subscriptionScope,
  type ScaleShape,
} from './scale-shape.js';

/** The ServiceConfig of `shape` with every API forwarding to `backendUrl`; `revision` goes into API 0's policy. */
export function scaleServiceConfig(shape: ScaleShape, backendUrl: string, revision = 'r0'): ServiceConfig {
  const config = emptyServiceConfig('gatehouse');
  const apis: Api[] = [];
  for (let i = 0; i < shape.apis; i++) {
    apis.push({
      name: apiName(i),
      displayName: `API ${i}`,
      path: apiPath(i),
      serviceUrl: backendUrl,
      protocols: ['http', 'https'],
      subscriptionRequired: true,
      apiRevision: '1',
      isCurrent: true,
      isOnline: true,
      operations: OPERATIONS.slice(0, shape.operationsPerApi).map(([method, urlTemplate], k) => ({
        name: operationName(k),
        displayName: `${method} ${urlTemplate}`,
        method,
        urlTemplate,
        templateParameters: [...urlTemplate.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, type: 'string', required: true })),
        responses: [{ statusCode: 200, description: 'OK' }],
      })),
      policy: { xml: apiPolicyXml(i, i === 0 ? revision : 'r0'), source: `apis/${apiName(i)}/policy.xml` },
    });
  }
  const products: Product[] = Array.from({ length: shape.products }, (_, p) => ({
    name: productName(p),
    displayName: `Product ${p}`,
    subscriptionRequired: true,
    state: 'published',
    apis: [],
    groups: [],
  }));
  for (let i = 0; i < shape.apis; i++) products[productOf(shape, i)]!.apis.push(apiName(i));
  const subscriptions: Subscription[] = [];
  for (let n = 0; n < shape.subscriptions; n++) {
    subscriptions.push({
      name: subscriptionName(n),
      displayName: `Subscription ${n}`,
      scope: subscriptionScope(shape, n),
      primaryKey: subscriptionKey(n, 'primary'),
      secondaryKey: subscriptionKey(n, 'secondary'),
      state: 'active',
    });
  }
  config.apis = apis;
  config.products = products;
  config.subscriptions = subscriptions;
  return config;
}
