/**
 * The configuration the scale cases measure (issue 6 "Scale cases"): N APIs of 10 operations,
 * grouped into products, and M subscriptions scoped to APIs and products, each with a small
 * API policy. One description, written to disk by scale-folder.ts (what `gatehouse start`
 * loads) and built in memory by scale-config.ts (what the snapshot measurement compiles).
 */

export interface ScaleShape {
  apis: number;
  /** Operations per API (at most OPERATIONS.length). */
  operationsPerApi: number;
  subscriptions: number;
  products: number;
}

/** The figure: 10,000 APIs × 10 operations, 100,000 subscriptions. */
export const FULL_SHAPE: ScaleShape = { apis: 10_000, operationsPerApi: 10, subscriptions: 100_000, products: 100 };
/** `--quick`: the same structure, a twentieth of the size, so the smoke run stays under two minutes. */
export const QUICK_SHAPE: ScaleShape = { apis: 500, operationsPerApi: 10, subscriptions: 5_000, products: 10 };
/** The baseline of the throughput comparison: the same request shape with one API. */
export const ONE_API_SHAPE: ScaleShape = { apis: 1, operationsPerApi: 10, subscriptions: 1, products: 1 };

/** Operation templates of every API (method, template); `GET /size/{n}` is the one load hits. */
export const OPERATIONS: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/size/{n}'],
  ['GET', '/items'],
  ['POST', '/items'],
  ['GET', '/items/{id}'],
  ['PUT', '/items/{id}'],
  ['DELETE', '/items/{id}'],
  ['PATCH', '/items/{id}/flag'],
  ['GET', '/items/{id}/sub/{sub}'],
  ['GET', '/files/{name}'],
  ['GET', '/status'],
];

/** API resource name. */
export function apiName(i: number): string {
  return `api-${i}`;
}

/** API path: half at the root, half under one of 100 shared prefixes (as large estates look). */
export function apiPath(i: number): string {
  return i % 2 === 0 ? `svc${i}` : `group${i % 100}/svc${i}`;
}

/** Product resource name. */
export function productName(p: number): string {
  return `product-${p}`;
}

/** The product that contains API `i`. */
export function productOf(shape: ScaleShape, i: number): number {
  return i % shape.products;
}

/** Operation name derived from its index (the import normalises operationIds the same way). */
export function operationName(k: number): string {
  return `op-${k}`;
}

/** Subscription resource name. */
export function subscriptionName(n: number): string {
  return `sub-${n}`;
}

/** Every tenth subscription is scoped to a product, the others to one API. */
export function subscriptionScope(shape: ScaleShape, n: number): string {
  return n % 10 === 0 ? `/products/${productName((n / 10) % shape.products)}` : `/apis/${apiName(n % shape.apis)}`;
}

/** Deterministic, unique 32-character keys (so each key names one subscription). */
export function subscriptionKey(n: number, which: 'primary' | 'secondary'): string {
  return `${which === 'primary' ? 'p' : 's'}${n.toString(16).padStart(15, '0')}bench0scale0key0`;
}

/** The API policy every API carries: a header each way, as most real API policies have. */
export function apiPolicyXml(i: number, revision = 'r0'): string {
  return `<policies>
  <inbound>
    <base />
    <set-header name="x-bench-api" exists-action="override"><value>${apiName(i)}</value></set-header>
  </inbound>
  <backend><base /></backend>
  <outbound>
    <base />
    <set-header name="x-bench-rev" exists-action="override"><value>${revision}</value></set-header>
  </outbound>
  <on-error><base /></on-error>
</policies>`;
}

/** A request to API `i` that the gateway accepts: its `GET /size/{n}` path and a key valid for it. */
export function requestFor(shape: ScaleShape, i: number, bytes = 0): { path: string; key: string } {
  // Subscription n = i is scoped to API i when i is not a multiple of 10 (see subscriptionScope);
  // otherwise use the product subscription of API i's product.
  let n = i % 10 !== 0 && i < shape.subscriptions ? i : 10 * productOf(shape, i);
  if (n >= shape.subscriptions) n = 0;
  return { path: `/${apiPath(i)}/size/${bytes}`, key: subscriptionKey(n, 'primary') };
}

/**
 * The churn case's configuration: small enough that a reload (load folder + build snapshot)
 * fits well inside the 100 ms between changes; the build runs on the event loop, so a larger
 * configuration would show its build time in p99 rather than the cost of swapping.
 */
export const CHURN_SHAPE: ScaleShape = { apis: 10, operationsPerApi: 10, subscriptions: 100, products: 2 };
