/** Request routing (reference §1.2–1.3): the route table and its request/answer types. */
export { RouteTable } from './route-table.js';
export { RoutingConfigError } from './routing-config-error.js';
export type { RouteMatch, RouteMiss, RouteMissReason, RouteRequest, RouteResult } from './route-types.js';
