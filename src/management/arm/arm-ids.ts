/**
 * ARM resource ids and types (reference §5, §5.1): a resource's full id is the service id plus
 * its path below the service; references in bodies (`scope`, `ownerId`, `sourceApiId`,
 * `apiVersionSetId`) may be full ids or service-relative (`/products/p1`).
 */

/** The service an ARM path names: `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}`. */
export interface ServicePath {
  subscriptionId: string;
  resourceGroup: string;
  serviceName: string;
}

/** The full ARM id of the service. */
export function serviceId(service: ServicePath): string {
  return `/subscriptions/${service.subscriptionId}/resourceGroups/${service.resourceGroup}/providers/Microsoft.ApiManagement/service/${service.serviceName}`;
}

/** The full ARM id of a resource below the service (`apis/echo` → `/subscriptions/…/apis/echo`). */
export function resourceId(service: ServicePath, path: string): string {
  return path === '' ? serviceId(service) : `${serviceId(service)}/${path}`;
}

const servicePrefix = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+/i;

/**
 * The service-relative path (`products/p1`) of a reference given as a full id or as
 * `/products/p1`; undefined when it names another service's resource shape.
 */
export function relativeReference(reference: string): string {
  const rest = reference.replace(servicePrefix, '');
  return rest.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** The last segment of a reference (`…/apiVersionSets/vs1` → `vs1`). */
export function lastSegment(reference: string): string {
  const parts = reference.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}
